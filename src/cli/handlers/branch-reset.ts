// `sluice branch reset NAME --to REF`: points a branch at a commit and drops its uncommitted
// changes (git reset --hard).
import type { BranchInfo } from '../../index.js';
import { branchJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { to: string },
): Promise<number> {
  const repo = await ctx.repo();
  const info = await repo.resetBranch(name, opts.to);
  printBranchReset(ctx, info, opts.to);
  return 0;
}

/** What both the local and the remote command print. */
export function printBranchReset(ctx: CommandContext, info: BranchInfo, to: string): void {
  ctx.out.result({ branch: branchJson(info) }, () =>
    ctx.out.note(`branch ${info.name} now at ${shortId(info.head)} (${to})`),
  );
}
