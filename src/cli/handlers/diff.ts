// `sluice diff [LEFT] [RIGHT]`: no ref → a branch's uncommitted changes; one ref → LEFT against
// the branch's head commit; two → LEFT against RIGHT.
import { type Change, parseRepoPath } from '../../index.js';
import { changeJson, collect, countChanges, printChanges } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  left: string | undefined,
  right: string | undefined,
  opts: { prefix?: string; branch?: string },
): Promise<number> {
  if (opts.prefix) parseRepoPath(opts.prefix, { allowTrailingSlash: true });
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  let changes: Change[];
  let doc: Record<string, unknown>;
  if (left === undefined) {
    changes = await collect(repo.status(branch, { prefix: opts.prefix }));
    doc = { branch, uncommitted: true };
  } else {
    const to = right ?? branch;
    changes = await collect(repo.diff(left, to, { prefix: opts.prefix }));
    doc = { left, right: to };
  }
  printDiff(ctx, doc, changes);
  return 0;
}

/** What both the local and the remote command print (`doc`: what was compared). */
export function printDiff(
  ctx: CommandContext,
  doc: Record<string, unknown>,
  changes: Change[],
): void {
  ctx.out.result({ ...doc, changes: changes.map(changeJson), counts: countChanges(changes) }, () =>
    printChanges(ctx.out, changes, 'no changes'),
  );
}
