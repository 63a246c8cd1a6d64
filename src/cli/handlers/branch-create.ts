// `sluice branch create NAME [--from REF]`: a new branch at a commit (O(1): no data is copied).
import type { BranchInfo } from '../../index.js';
import { branchJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { from?: string },
): Promise<number> {
  const repo = await ctx.repo();
  const info = await repo.createBranch(name, { from: opts.from });
  printBranchCreated(ctx, info, opts.from);
  return 0;
}

/** What both the local and the remote command print. */
export function printBranchCreated(ctx: CommandContext, info: BranchInfo, from?: string): void {
  ctx.out.result({ branch: branchJson(info) }, () =>
    ctx.out.note(
      `created branch ${info.name} at ${shortId(info.head)}${from ? ` (from ${from})` : ''}`,
    ),
  );
}
