// The hook through which branch protection (which lives above the engine, in the quality gates)
// approves or refuses each write to a branch.
import type { CommitId } from '../common/ids.js';

/** What a write does to a branch, as a write policy sees it. */
export type WriteOp =
  | 'write'
  | 'commit'
  | 'merge'
  | 'revert'
  | 'cherry-pick'
  | 'reset-branch'
  | 'delete-branch';

/** What a write carries that a policy may judge: the paths it stages, the metadata it records. */
export interface WriteDetail {
  /** The paths a staging write puts or deletes. */
  paths?: readonly string[];
  /** The paths are folders deleted with everything under them (a recursive delete). */
  recursive?: boolean;
  /** The caller's metadata of the commit a commit or merge records. */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * A branch head about to move by compare-and-swap (merge, revert, cherry-pick, branch reset):
 * from the commit it is at to the commit it will be at.
 */
export interface HeadMove {
  op: WriteOp;
  branch: string;
  from: CommitId;
  to: CommitId;
  authorization?: unknown;
}

/**
 * Decides whether a write to a branch may happen (branch protection lives above the engine, in
 * the quality gates). `authorization` is whatever the caller passed with the operation — a gate
 * hands the merge it has approved a token only it can make.
 */
export interface WritePolicy {
  check(op: WriteOp, branch: string, authorization?: unknown, detail?: WriteDetail): Promise<void>;
  /**
   * Judges a head move once its target commit is known, just before the compare-and-swap; a
   * throw refuses it and the head stays where it was.
   */
  checkMove?(move: HeadMove): Promise<void>;
}

/** Checks writes and head moves against the repository's installed policy (no-ops without one). */
export interface WriteGuard {
  (op: WriteOp, branch: string, authorization?: unknown, detail?: WriteDetail): Promise<void>;
  move(move: HeadMove): Promise<void>;
}
