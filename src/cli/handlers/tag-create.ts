// `sluice tag create NAME [REF]`: an immutable name for a commit.
import { shortId, tagJson } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  ref: string | undefined,
): Promise<number> {
  const repo = await ctx.repo();
  const rec = await repo.createTag(name, await ctx.ref(ref));
  ctx.out.result({ tag: tagJson(rec) }, () =>
    ctx.out.note(`created tag ${rec.name} at ${shortId(rec.commitId)}`),
  );
  return 0;
}
