// Merging a ref into a branch, as the Repository offers it: find the merge base, then do nothing
// (up to date), fast-forward, or three-way merge the trees into a merge commit — each attempt run
// by advanceBranch, which seals the branch's staging area and moves its head by compare-and-swap
// (running the step again if the head moved underneath).
import { ConcurrentUpdateError, NoCommonAncestorError } from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type {
  BranchMoveStore,
  BranchRecord,
  IdempotencyRecord,
  RefStore,
  StagingStore,
} from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import { advanceBranch } from './commit-op.js';
import type { RepoContext } from './context.js';
import { mergeBase } from './history.js';
import type { IdempotencyClaim } from './idempotency.js';
import { type MergeStrategy, mergeTrees } from './merge.js';
import { type ResolvedRef, resolveBranch, resolveRef } from './refs.js';
import type { WriteGuard } from './write-policy.js';

export interface MergeOptions {
  strategy?: MergeStrategy;
  /** Passed to the write policy (see WritePolicy). */
  authorization?: unknown;
  /** Refuse (ConcurrentUpdateError) unless the destination can fast-forward to the source. */
  fastForwardOnly?: boolean;
  message?: string;
  metadata?: Record<string, string>;
  /** Always record a merge commit, even when the destination could fast-forward. */
  noFastForward?: boolean;
  /**
   * The key of the request this merge applies: recorded with the destination's move; when it was
   * applied already, nothing is merged and the result is its first application (`replayed`).
   */
  idempotency?: IdempotencyClaim;
  signal?: AbortSignal;
}

export interface MergeResult {
  /** The destination's new head (undefined when it was already up to date). */
  commit?: Commit;
  base: CommitId;
  fastForward: boolean;
  upToDate: boolean;
  /** Paths taken from the source. */
  applied: number;
  /** Conflicts resolved by a source-wins/dest-wins strategy. */
  resolved: { path: string; source: string; destination: string }[];
  /** The idempotency key had been applied already: its record (`commit` is the head it made). */
  replayed?: IdempotencyRecord;
}

/** One merge: what is merged where, how, and the outcome of the latest attempt. */
interface MergeRun {
  readonly ctx: RepoContext<RefStore & StagingStore & BranchMoveStore>;
  /** The source as the caller named it (used in messages and metadata). */
  readonly sourceName: string;
  readonly source: ResolvedRef;
  readonly destination: string;
  readonly opts: MergeOptions;
  result?: MergeResult;
}

/** Merges `source` into the branch `destination` (see MergeOptions for the choices). */
export async function mergeIntoBranch(
  ctx: RepoContext<RefStore & StagingStore & BranchMoveStore>,
  guard: WriteGuard,
  source: string,
  destination: string,
  opts: MergeOptions,
): Promise<MergeResult> {
  const src = await resolveRef(ctx, source);
  const dest = await resolveBranch(ctx, destination);
  await guard('merge', dest.name, opts.authorization, { metadata: opts.metadata ?? {} });
  const run: MergeRun = { ctx, sourceName: source, source: src, destination: dest.name, opts };
  const { authorization } = opts;
  const { commit, replayed } = await advanceBranch(
    ctx,
    dest.name,
    (branch) => mergeStep(run, branch),
    {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.idempotency ? { idempotency: opts.idempotency } : {}),
      beforeMove: (from, to) =>
        guard.move({ op: 'merge', branch: dest.name, from, to: to.id, authorization }),
    },
  );
  if (replayed) {
    const made = await ctx.commits.get(replayed.commitId);
    return {
      commit: made,
      base: made.id,
      fastForward: false,
      upToDate: true,
      applied: 0,
      resolved: [],
      replayed,
    };
  }
  return { ...(run.result as MergeResult), commit };
}

/**
 * One attempt against the destination's current head: the commit to move it to (the source's
 * for a fast-forward, a new merge commit otherwise), or undefined when it is up to date.
 */
async function mergeStep(run: MergeRun, branch: BranchRecord): Promise<Commit | undefined> {
  const { ctx, opts, sourceName, destination } = run;
  const base = await mergeBase(ctx.commits, run.source.commit, branch.head as CommitId);
  if (!base) {
    throw new NoCommonAncestorError(`${sourceName} and ${destination} share no history`, {
      source: sourceName,
      destination,
    });
  }
  const result: MergeResult = {
    base,
    fastForward: false,
    upToDate: false,
    applied: 0,
    resolved: [],
  };
  run.result = result;
  if (base === run.source.commit) {
    result.upToDate = true;
    return undefined;
  }
  const sourceCommit = await ctx.commits.get(run.source.commit);
  if (opts.fastForwardOnly && base !== branch.head) {
    throw new ConcurrentUpdateError(
      `${destination} moved since ${sourceName} was made from it: it cannot fast-forward`,
      { ref: destination },
    );
  }
  if (base === branch.head && !opts.noFastForward) {
    result.fastForward = true;
    return sourceCommit;
  }
  return mergeCommit(run, result, sourceCommit, branch);
}

/** Three-way merges the trees and writes the merge commit (destination head first). */
async function mergeCommit(
  run: MergeRun,
  result: MergeResult,
  sourceCommit: Commit,
  branch: BranchRecord,
): Promise<Commit> {
  const { ctx, opts, sourceName, destination } = run;
  const [b, d] = await Promise.all([ctx.commits.get(result.base), ctx.commits.get(branch.head)]);
  const merged = await mergeTrees(
    ctx,
    { base: b.tree, source: sourceCommit.tree, dest: d.tree },
    { source: sourceName, destination },
    opts.strategy ?? 'fail',
    opts,
  );
  result.applied = merged.applied;
  result.resolved = merged.resolved;
  return ctx.commits.put({
    tree: merged.root,
    parents: [d.id, sourceCommit.id],
    message: opts.message ?? `Merge ${sourceName} into ${destination}`,
    committer: ctx.committer,
    createdAt: new Date(),
    metadata: {
      ...opts.metadata,
      'sluice.merge.source': sourceName,
      'sluice.merge.strategy': opts.strategy ?? 'fail',
    },
    generation: Math.max(d.generation, sourceCommit.generation) + 1,
  });
}
