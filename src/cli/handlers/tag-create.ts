// `sluice tag create NAME [REF]`: an immutable name for a commit.
import type { TagJson } from '../../internal.js';
import { shortId, tagJson } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  ref: string | undefined,
): Promise<number> {
  const repo = await ctx.repo();
  const rec = await repo.createTag(name, await ctx.ref(ref));
  printTagCreated(ctx, tagJson(rec));
  return 0;
}

/** What both the local and the remote command print. */
export function printTagCreated(ctx: CommandContext, tag: TagJson): void {
  ctx.out.result({ tag }, () => ctx.out.note(`created tag ${tag.name} at ${shortId(tag.commit)}`));
}
