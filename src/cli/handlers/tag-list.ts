// `sluice tag list`: every tag and the commit it names.
import type { TagJson } from '../../internal.js';
import { collect, shortId, tagJson } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { prefix?: string }): Promise<number> {
  const repo = await ctx.repo();
  const tags = await collect(repo.listTags({ prefix: opts.prefix }));
  printTags(ctx, tags.map(tagJson));
  return 0;
}

/** What both the local and the remote command print. */
export function printTags(ctx: CommandContext, tags: TagJson[]): void {
  ctx.out.result({ tags }, () => ctx.out.table(tags.map((t) => [t.name, shortId(t.commit)])));
}
