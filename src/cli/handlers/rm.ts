// `sluice rm PATH...`: stages deletions (all or nothing); -r also removes everything under PATH/.
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  paths: string[],
  opts: { branch?: string; recursive?: boolean },
): Promise<number> {
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const removed = await repo.deleteObjects(branch, paths, {
    recursive: opts.recursive === true,
  });
  printRemoved(ctx, branch, removed);
  return 0;
}

/** What both the local and the remote command print. */
export function printRemoved(ctx: CommandContext, branch: string, removed: string[]): void {
  ctx.out.result({ branch, removed }, () => {
    for (const p of removed) ctx.out.note(`removed ${p}`);
    ctx.out.note(`${removed.length} object(s) removed on ${branch} (staged)`);
  });
}
