// `sluice tag list`: every tag and the commit it names.
import { collect, shortId, tagJson } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { prefix?: string }): Promise<number> {
  const repo = await ctx.repo();
  const tags = await collect(repo.listTags({ prefix: opts.prefix }));
  ctx.out.result({ tags: tags.map(tagJson) }, () =>
    ctx.out.table(tags.map((t) => [t.name, shortId(t.commitId)])),
  );
  return 0;
}
