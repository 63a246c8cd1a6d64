// `sluice status`: the uncommitted changes on a branch.
import type { Change } from '../../index.js';
import { changeJson, collect, countChanges, printChanges } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { branch?: string }): Promise<number> {
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const changes = await collect(repo.status(branch));
  printStatus(ctx, branch, changes);
  return 0;
}

/** What both the local and the remote command print. */
export function printStatus(ctx: CommandContext, branch: string, changes: Change[]): void {
  ctx.out.result(
    { branch, changes: changes.map(changeJson), counts: countChanges(changes) },
    () => {
      ctx.out.line(`On branch ${branch}`);
      printChanges(ctx.out, changes, 'nothing to commit');
    },
  );
}
