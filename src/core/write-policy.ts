// The hook through which branch protection (which lives above the engine, in the quality gates)
// approves or refuses each write to a branch.

/** What a write does to a branch, as a write policy sees it. */
export type WriteOp =
  | 'write'
  | 'commit'
  | 'merge'
  | 'revert'
  | 'cherry-pick'
  | 'reset-branch'
  | 'delete-branch';

/**
 * Decides whether a write to a branch may happen (branch protection lives above the engine, in
 * the quality gates). `authorization` is whatever the caller passed with the operation — a gate
 * hands the merge it has approved a token only it can make.
 */
export interface WritePolicy {
  check(op: WriteOp, branch: string, authorization?: unknown): Promise<void>;
}

/** Checks one write against the repository's installed policy (a no-op without one). */
export type WriteGuard = (op: WriteOp, branch: string, authorization?: unknown) => Promise<void>;
