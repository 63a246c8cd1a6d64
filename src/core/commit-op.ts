// The commit protocol. 1) Seal: swap in a fresh staging token, so new writes go elsewhere while the
// sealed rows are read. 2) Build the new tree from the sealed rows over the head's tree and write
// the commit. 3) Compare-and-swap the head (only if it did not move) and drop the sealed tokens.
// A crash anywhere leaves the old head with the sealed rows still read through (and committed by
// the next commit) or the new head: never a half state.
import { randomUUID } from 'node:crypto';
import {
  ConcurrentUpdateError,
  EmptyCommitError,
  UncommittedChangesError,
} from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type {
  BranchMoveStore,
  BranchRecord,
  IdempotencyRecord,
  RefStore,
  StagingStore,
} from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import type { RepoContext } from './context.js';
import { findApplied, type IdempotencyClaim, keyRecord, sameRequest } from './idempotency.js';
import { resolveBranch } from './refs.js';
import { applyChanges } from './tree-builder.js';
import { countItems, stagedChanges, toPathChange } from './view.js';

export interface CommitOptions {
  message: string;
  metadata?: Record<string, string>;
  allowEmpty?: boolean;
  /** Passed to the write policy (see WritePolicy). */
  authorization?: unknown;
  /**
   * Commit only the staged changes at or under these paths (path-commit.ts); everything else
   * staged on the branch stays staged. Without it, the commit takes all that is staged.
   */
  paths?: string[];
  signal?: AbortSignal;
}

/** Compare-and-swap attempts before a writer gives up (ConcurrentUpdateError). */
export const MAX_ATTEMPTS = 200;

export const newStagingToken = (): string => randomUUID();

/** A short random pause after a lost compare-and-swap, growing with the attempts. */
export async function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random());
  await new Promise((r) => setTimeout(r, ms));
}

async function seal(ctx: RepoContext<RefStore>, name: string): Promise<BranchRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const b = await resolveBranch(ctx, name);
    const sealed = await ctx.meta.updateBranch(ctx.repo, b.name, b.version, {
      stagingToken: newStagingToken(),
      sealedTokens: [b.stagingToken, ...b.sealedTokens],
    });
    if (sealed) return sealed;
    await backoff(attempt);
  }
  throw new ConcurrentUpdateError(`branch ${name} changed too often to commit; try again`, {
    ref: name,
  });
}

export async function commitBranch(
  ctx: RepoContext<RefStore & StagingStore>,
  branchName: string,
  opts: CommitOptions,
): Promise<Commit> {
  const sealed = await seal(ctx, branchName);
  const mine = sealed.sealedTokens;
  let cur = sealed;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    opts.signal?.throwIfAborted();
    // Commit the tokens this commit sealed that no concurrent commit has landed yet.
    const consumed = cur.sealedTokens.filter((t) => mine.includes(t));
    const head = await ctx.commits.get(cur.head);
    const changes = (async function* () {
      for await (const c of ctx.meta.listStaged(ctx.repo, consumed)) yield toPathChange(c);
    })();
    const built =
      consumed.length > 0
        ? await applyChanges(ctx.nodes, head.tree, changes, opts)
        : { root: head.tree };
    if (built.root === head.tree && !opts.allowEmpty) {
      // Nothing to record: forget the no-op rows so they do not linger, then refuse.
      const done = await ctx.meta.updateBranch(ctx.repo, cur.name, cur.version, {
        sealedTokens: cur.sealedTokens.filter((t) => !consumed.includes(t)),
      });
      if (done && consumed.length > 0) await ctx.meta.clearStaging(ctx.repo, consumed);
      const why =
        consumed.length === 0 ? ' (a concurrent commit already recorded the staged changes)' : '';
      throw new EmptyCommitError(
        `nothing to commit on ${cur.name}${why}; use allowEmpty to record an empty commit`,
        {
          branch: cur.name,
        },
      );
    }
    const commit = await putChildCommit(ctx, head, built.root, opts);
    const latest = await resolveBranch(ctx, cur.name);
    if (latest.head === cur.head) {
      const moved = await ctx.meta.updateBranch(ctx.repo, latest.name, latest.version, {
        head: commit.id,
        sealedTokens: latest.sealedTokens.filter((t) => !consumed.includes(t)),
      });
      if (moved) {
        await ctx.meta.clearStaging(ctx.repo, consumed);
        return commit;
      }
    }
    cur = await resolveBranch(ctx, cur.name);
    await backoff(attempt);
  }
  throw new ConcurrentUpdateError(`branch ${branchName} moved too often to commit; try again`, {
    ref: branchName,
  });
}

/** Writes the commit of `tree` on top of `head`, with the commit's message and metadata. */
export function putChildCommit(
  ctx: RepoContext<unknown>,
  head: Commit,
  tree: Commit['tree'],
  opts: Pick<CommitOptions, 'message' | 'metadata'>,
): Promise<Commit> {
  return ctx.commits.put({
    tree,
    parents: [head.id],
    message: opts.message,
    committer: ctx.committer,
    createdAt: new Date(),
    metadata: opts.metadata ?? {},
    generation: head.generation + 1,
  });
}

/** What advanceBranch did: the new head (none: nothing to do), or the key's first application. */
export interface Advanced {
  commit?: Commit;
  /** The request's idempotency key was applied already: its record (nothing moved now). */
  replayed?: IdempotencyRecord;
}

/**
 * Moves a branch head to a commit computed from its current head (merge, revert, cherry-pick).
 * Like a commit, it first seals the staging area: the branch must have no staged row that
 * changes anything (UncommittedChangesError otherwise), and the sealed no-op rows are dropped in
 * the same compare-and-swap that moves the head — left behind, they would hide what moved in.
 * Writes that arrive meanwhile go to the fresh token and stay on top. If the head moves
 * underneath, `compute` runs again against the new head; it returns undefined for "nothing to do".
 * With an idempotency key, the key is recorded with the move, and a key applied already (found
 * before each attempt, or at the move) answers instead.
 */
export async function advanceBranch(
  ctx: RepoContext<RefStore & StagingStore & BranchMoveStore>,
  branchName: string,
  compute: (branch: BranchRecord) => Promise<Commit | undefined>,
  opts: {
    signal?: AbortSignal;
    idempotency?: IdempotencyClaim;
    /** Judges the move (the write policy's checkMove) before the compare-and-swap. */
    beforeMove?: (from: CommitId, to: Commit) => Promise<void>;
  } = {},
): Promise<Advanced> {
  const refuseIfDirty = async (b: BranchRecord, tokens: string[]): Promise<void> => {
    const dirty = await countItems(stagedChanges(ctx, b.head, tokens));
    if (dirty > 0) {
      throw new UncommittedChangesError(
        `${b.name} has ${dirty} uncommitted change(s): commit or reset them first`,
        { branch: b.name, count: dirty },
      );
    }
  };
  const claim = opts.idempotency;
  const applied = async (): Promise<IdempotencyRecord | undefined> =>
    claim && (await findApplied(ctx, claim));
  // Refuse before sealing, so a refusal leaves no trace; check again what the seal caught.
  const before = await resolveBranch(ctx, branchName);
  const early = await applied();
  if (early) return { replayed: early };
  await refuseIfDirty(before, [before.stagingToken, ...before.sealedTokens]);
  const sealed = await seal(ctx, branchName);
  const mine = sealed.sealedTokens;
  let cur = sealed;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    opts.signal?.throwIfAborted();
    const consumed = cur.sealedTokens.filter((t) => mine.includes(t));
    if (attempt > 0) {
      const replayed = await applied();
      if (replayed) return { replayed };
    }
    await refuseIfDirty(cur, consumed);
    const next = await compute(cur);
    if (!next) return {};
    await opts.beforeMove?.(cur.head as CommitId, next);
    const patch = {
      head: next.id,
      sealedTokens: cur.sealedTokens.filter((t) => !consumed.includes(t)),
    };
    const moved = claim
      ? await ctx.meta.moveBranch(ctx.repo, cur.name, cur.version, {
          patch,
          idempotency: keyRecord(claim, cur.name, next.id),
        })
      : { moved: await ctx.meta.updateBranch(ctx.repo, cur.name, cur.version, patch) };
    if (moved.taken) return { replayed: sameRequest(moved.taken, claim as IdempotencyClaim) };
    if (moved.moved) {
      if (consumed.length > 0) await ctx.meta.clearStaging(ctx.repo, consumed);
      return { commit: next };
    }
    cur = await resolveBranch(ctx, cur.name);
    await backoff(attempt);
  }
  throw new ConcurrentUpdateError(`branch ${branchName} moved too often; try again`, {
    ref: branchName,
  });
}
