// `sluice alias list`: every alias and the branch it names.
import { type AliasJson, aliasJson } from '../../internal.js';
import { collect } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const aliases = await collect(repo.listAliases());
  printAliases(ctx, aliases.map(aliasJson));
  return 0;
}

/** What both the local and the remote command print. */
export function printAliases(ctx: CommandContext, aliases: AliasJson[]): void {
  ctx.out.result({ aliases }, () => ctx.out.table(aliases.map((a) => [a.name, '→', a.target])));
}
