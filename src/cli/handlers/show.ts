// `sluice show REF`: a commit's details and its changes against its first parent.
import type { Change, Commit } from '../../index.js';
import { commitChanges } from '../../internal.js';
import { changeJson, commitJson, countChanges, printChanges, printCommit } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, ref: string | undefined): Promise<number> {
  const repo = await ctx.repo();
  const c = await repo.getCommit(await ctx.ref(ref));
  const changes = await commitChanges(repo, c);
  printShow(ctx, c, changes);
  return 0;
}

/** What both the local and the remote command print. */
export function printShow(ctx: CommandContext, c: Commit, changes: Change[]): void {
  ctx.out.result(
    {
      commit: commitJson(c),
      changes: changes.map(changeJson),
      counts: countChanges(changes),
    },
    () => {
      printCommit(ctx.out, c, { metadata: true });
      ctx.out.line();
      printChanges(ctx.out, changes, 'no changes');
    },
  );
}
