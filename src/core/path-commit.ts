// A commit of named paths (issue 14): only the staged changes at or under the given paths go into
// the commit, whatever else is staged on the branch — so a writer (an ingest, `sluice commit
// --path`) commits exactly its own changes under its own message while other writers stage and
// commit theirs on the same branch. No token is sealed: the commit reads each path's staged row
// (current token first, then the sealed ones), builds the tree over the head, and moves the head
// in one transaction with dropping those rows (BranchMoveStore.moveBranch) — a row staged again
// meanwhile with another value stays staged. A lost compare-and-swap reads and builds again.
import { ConcurrentUpdateError, EmptyCommitError } from '../common/errors.js';
import { parseRepoPath } from '../common/ids.js';
import { compareKeys } from '../common/keys.js';
import type {
  BranchMoveStore,
  BranchRecord,
  IdempotencyRecord,
  RefStore,
  StagedChange,
  StagingStore,
} from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import { backoff, type CommitOptions, MAX_ATTEMPTS, putChildCommit } from './commit-op.js';
import type { RepoContext } from './context.js';
import { findApplied, type IdempotencyClaim, keyRecord, sameRequest } from './idempotency.js';
import { resolveBranch } from './refs.js';
import { applyChanges } from './tree-builder.js';
import { tokensOf, toPathChange } from './view.js';

type PathCommitMeta = RefStore & StagingStore & BranchMoveStore;

/** A commit of a request that may carry an idempotency key: what it made, or what it had made. */
export interface CommitOutcome {
  commit: Commit;
  /** The key had been applied already: its record (`commit` is the head it made; nothing new). */
  replayed?: IdempotencyRecord;
}

/** The staged changes at or under `paths` on the branch, in key order (one per path). */
export async function stagedUnder(
  ctx: RepoContext<StagingStore>,
  branch: BranchRecord,
  paths: string[],
): Promise<StagedChange[]> {
  const tokens = tokensOf(branch);
  const found = new Map<string, StagedChange>();
  for (const p of paths) {
    const exact = await ctx.meta.getStaged(ctx.repo, tokens, p);
    if (exact) found.set(exact.path, exact);
    for await (const c of ctx.meta.listStaged(ctx.repo, tokens, { prefix: `${p}/` }))
      found.set(c.path, c);
  }
  return [...found.values()].sort((a, b) => compareKeys(a.path, b.path));
}

/**
 * Commits the staged changes at or under `opts.paths` (each a path or a folder) on the branch,
 * and nothing else. EmptyCommitError when they change nothing (unless `allowEmpty`). With an
 * idempotency claim, the key is recorded with the move; a key applied already answers with the
 * commit it made (`replayed`), and the rows staged for this request are dropped unapplied.
 */
export async function commitPaths(
  ctx: RepoContext<PathCommitMeta>,
  branchName: string,
  paths: string[],
  opts: CommitOptions & { idempotency?: IdempotencyClaim },
): Promise<CommitOutcome> {
  const named = [...new Set(paths.map((p) => parseRepoPath(p)))];
  const claim = opts.idempotency;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    opts.signal?.throwIfAborted();
    const branch = await resolveBranch(ctx, branchName);
    const staged = await stagedUnder(ctx, branch, named);
    if (claim) {
      const applied = await findApplied(ctx, claim);
      if (applied) return replayed(ctx, branch, staged, applied);
    }
    const head = await ctx.commits.get(branch.head);
    const built = await applyChanges(ctx.nodes, head.tree, staged.map(toPathChange), opts);
    if (built.root === head.tree && !opts.allowEmpty) {
      throw new EmptyCommitError(
        `nothing to commit on ${branch.name} at ${named.join(', ')}; use allowEmpty to record an empty commit`,
        { branch: branch.name },
      );
    }
    const commit = await putChildCommit(ctx, head, built.root, opts);
    const move = await ctx.meta.moveBranch(ctx.repo, branch.name, branch.version, {
      patch: { head: commit.id },
      committed: staged,
      ...(claim ? { idempotency: keyRecord(claim, branch.name, commit.id) } : {}),
    });
    if (move.taken)
      return replayed(ctx, branch, staged, sameRequest(move.taken, claim as IdempotencyClaim));
    if (move.moved) return { commit };
    await backoff(attempt);
  }
  throw new ConcurrentUpdateError(`branch ${branchName} moved too often to commit; try again`, {
    ref: branchName,
  });
}

/**
 * The answer to a request whose key was applied already: the commit it made. The rows this
 * request staged are dropped (where they still hold what it staged), so they are never committed.
 */
async function replayed(
  ctx: RepoContext<PathCommitMeta>,
  branch: BranchRecord,
  staged: StagedChange[],
  rec: IdempotencyRecord,
): Promise<CommitOutcome> {
  if (staged.length > 0) {
    const tokens = tokensOf(branch);
    const mine: string[] = [];
    for (const c of staged) {
      const now = await ctx.meta.getStaged(ctx.repo, tokens, c.path);
      if (now && JSON.stringify(now.value) === JSON.stringify(c.value)) mine.push(c.path);
    }
    if (mine.length > 0) await ctx.meta.clearStaging(ctx.repo, tokens, { paths: mine });
  }
  return { commit: await ctx.commits.get(rec.commitId), replayed: rec };
}
