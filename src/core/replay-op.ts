// Revert and cherry-pick: replaying one commit's change (inverted, or as is) on top of a branch
// as a three-way merge of trees — revert merges the commit's parent into the head with the
// commit as base; cherry-pick merges the commit with its parent as base. Moved by advanceBranch.
import {
  EmptyCommitError,
  InvalidArgumentError,
  MergeCommitParentError,
} from '../common/errors.js';
import type { NodeId } from '../common/ids.js';
import type { BranchMoveStore, BranchRecord, RefStore, StagingStore } from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import { advanceBranch } from './commit-op.js';
import type { RepoContext } from './context.js';
import { mergeTrees } from './merge.js';
import { EMPTY_TREE_ID } from './node-codec.js';
import { resolveBranch, resolveRef } from './refs.js';
import type { WriteGuard } from './write-policy.js';

export type ReplayMode = 'revert' | 'cherry-pick';

export interface ReplayOptions {
  /** For a merge commit: which parent (1-based) its change is taken against. */
  parent?: number;
  message?: string;
}

/** A validated replay: the commit, the tree its change is taken against, and where it goes. */
interface ReplayPlan {
  readonly mode: ReplayMode;
  readonly target: Commit;
  readonly parentTree: NodeId;
  readonly destination: string;
  readonly message?: string;
}

export async function replay(
  ctx: RepoContext<RefStore & StagingStore & BranchMoveStore>,
  guard: WriteGuard,
  branchName: string,
  commitRef: string,
  opts: ReplayOptions,
  mode: ReplayMode,
): Promise<Commit> {
  const plan = await planReplay(ctx, guard, branchName, commitRef, opts, mode);
  const { commit } = await advanceBranch(
    ctx,
    plan.destination,
    (branch) => replayStep(ctx, plan, branch),
    {
      beforeMove: (from, to) => guard.move({ op: mode, branch: plan.destination, from, to: to.id }),
    },
  );
  return commit as Commit;
}

/** Resolves the commit and the branch, asks the write policy, and picks the parent to compare with. */
async function planReplay(
  ctx: RepoContext<RefStore>,
  guard: WriteGuard,
  branchName: string,
  commitRef: string,
  opts: ReplayOptions,
  mode: ReplayMode,
): Promise<ReplayPlan> {
  const target = await ctx.commits.get((await resolveRef(ctx, commitRef)).commit);
  const dest = await resolveBranch(ctx, branchName);
  await guard(mode, dest.name);
  if (target.parents.length > 1 && opts.parent === undefined) {
    throw new MergeCommitParentError(
      `${target.id.slice(0, 12)} is a merge commit: choose the parent to compare with`,
      {
        commit: target.id,
        parents: target.parents.length,
      },
    );
  }
  const parentId = target.parents[(opts.parent ?? 1) - 1];
  if (opts.parent !== undefined && !parentId) {
    throw new InvalidArgumentError(
      `commit ${target.id.slice(0, 12)} has no parent ${opts.parent}`,
      {
        argument: 'parent',
        reason: 'out of range',
      },
    );
  }
  const parentTree: NodeId = parentId ? (await ctx.commits.get(parentId)).tree : EMPTY_TREE_ID;
  return { mode, target, parentTree, destination: dest.name, message: opts.message };
}

/** One attempt against the branch's current head: the replayed commit (EmptyCommitError if a no-op). */
async function replayStep(
  ctx: RepoContext<unknown>,
  plan: ReplayPlan,
  branch: BranchRecord,
): Promise<Commit> {
  const { mode, target, parentTree, destination } = plan;
  const short = target.id.slice(0, 12);
  const head = await ctx.commits.get(branch.head);
  const trees =
    mode === 'revert'
      ? { base: target.tree, source: parentTree, dest: head.tree }
      : { base: parentTree, source: target.tree, dest: head.tree };
  const merged = await mergeTrees(ctx, trees, { source: `${mode} ${short}`, destination }, 'fail');
  if (merged.root === head.tree) {
    throw new EmptyCommitError(`${mode} of ${short} changes nothing on ${destination}`, {
      branch: destination,
    });
  }
  const message =
    plan.message ??
    (mode === 'revert'
      ? `Revert "${target.message}"\n\nThis reverts commit ${target.id}.`
      : target.message);
  return ctx.commits.put({
    tree: merged.root,
    parents: [head.id],
    message,
    committer: ctx.committer,
    createdAt: new Date(),
    metadata:
      mode === 'revert'
        ? { 'sluice.revert': target.id }
        : { ...target.metadata, 'sluice.cherry-pick': target.id },
    generation: head.generation + 1,
  });
}
