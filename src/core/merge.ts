// Three-way merge of trees. Both sides are diffed against the merge base (each diff costs what
// changed); a path changed on one side takes that side, the same change on both sides is kept
// once, and different changes on both sides are conflicts, resolved by the strategy or reported.
import { type MergeConflict, MergeConflictError } from '../common/errors.js';
import type { NodeId, RepoPath } from '../common/ids.js';
import { compareKeys } from '../common/keys.js';
import type { RepoContext } from './context.js';
import type { Change, PathChange } from './entry.js';
import { sameValue } from './entry.js';
import { Peekable } from './peekable.js';
import { applyChanges } from './tree-builder.js';
import { diffTrees } from './tree-diff.js';

export type MergeStrategy = 'fail' | 'source-wins' | 'dest-wins';

export interface TreeMergeResult {
  root: NodeId;
  /** Paths taken from the source side. */
  applied: number;
  /** Conflicts resolved by the strategy (empty with `fail`, which throws instead). */
  resolved: MergeConflict[];
}

const MAX_LISTED_CONFLICTS = 1000;

export async function mergeTrees(
  ctx: RepoContext<unknown>,
  trees: { base: NodeId; source: NodeId; dest: NodeId },
  names: { source: string; destination: string },
  strategy: MergeStrategy,
  opts: { signal?: AbortSignal } = {},
): Promise<TreeMergeResult> {
  const s = new Peekable(diffTrees(ctx.nodes, trees.base, trees.source, opts));
  const d = new Peekable(diffTrees(ctx.nodes, trees.base, trees.dest, opts));
  const take: PathChange[] = [];
  const conflicts: MergeConflict[] = [];
  let conflictCount = 0;
  const fromSource = (c: Change): PathChange => ({
    path: c.path as RepoPath,
    value: c.right ?? null,
  });
  for (;;) {
    const x = await s.peek();
    const y = await d.peek();
    if (!x && !y) break;
    const cmp = x && y ? compareKeys(x.path, y.path) : x ? -1 : 1;
    if (cmp < 0 && x) {
      await s.next();
      take.push(fromSource(x));
    } else if (cmp > 0) {
      await d.next();
    } else if (x && y) {
      await s.next();
      await d.next();
      if (sameValue(x.right, y.right)) continue;
      conflictCount++;
      const conflict: MergeConflict = { path: x.path, source: x.type, destination: y.type };
      if (strategy === 'source-wins') {
        take.push(fromSource(x));
        conflicts.push(conflict);
      } else if (strategy === 'dest-wins') {
        conflicts.push(conflict);
      } else if (conflicts.length < MAX_LISTED_CONFLICTS) {
        conflicts.push(conflict);
      }
    }
  }
  if (strategy === 'fail' && conflictCount > 0) {
    const listed = conflicts
      .slice(0, 10)
      .map((c) => `  ${c.path} (source ${c.source}, destination ${c.destination})`)
      .join('\n');
    const more = conflictCount > 10 ? `\n  … and ${conflictCount - 10} more` : '';
    throw new MergeConflictError(
      `merging ${names.source} into ${names.destination}: ${conflictCount} conflicting path(s)\n${listed}${more}\n` +
        'Resolve them on one side, or merge with strategy source-wins or dest-wins.',
      { source: names.source, destination: names.destination, conflicts, count: conflictCount },
    );
  }
  const built =
    take.length > 0 ? await applyChanges(ctx.nodes, trees.dest, take, opts) : { root: trees.dest };
  return { root: built.root, applied: take.length, resolved: conflicts };
}
