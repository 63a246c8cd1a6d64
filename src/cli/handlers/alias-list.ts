// `sluice alias list`: every alias and the branch it names.
import { collect } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const aliases = await collect(repo.listAliases());
  ctx.out.result(
    {
      aliases: aliases.map((a) => ({
        name: a.name,
        target: a.target,
        updatedAt: a.updatedAt.toISOString(),
      })),
    },
    () => ctx.out.table(aliases.map((a) => [a.name, '→', a.target])),
  );
  return 0;
}
