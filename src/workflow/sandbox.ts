// Pipeline sandboxes (DESIGN §2 workflow 2): `sandbox create feat-x` gives a developer a writable,
// zero-copy snapshot of production data — a branch `sandbox/<name>` created in O(1) (one branch row,
// no object written) — plus a MetaStore record of who made it, from what, and when it expires.
// `gc` removes the expired ones (the CLI composes expireSandboxes with the core gc).
//
// Invariants: the branch is created before its record and removed before its record, so a record
// never outlives a sandbox's creation failure, and a record whose branch is gone (deleted by hand,
// or a removal cut short) is visible as `missing` and cleaned by delete or expire.
import {
  BranchNotFoundError,
  InvalidArgumentError,
  InvalidNameError,
  RefAlreadyExistsError,
  SandboxNotFoundError,
  type SluiceError,
  toSluiceError,
} from '../common/errors.js';
import { type CommitId, parseBranchName } from '../common/ids.js';
import type { Repository } from '../core/repository.js';
import type { BranchRecord, SandboxRecord } from '../meta/meta-store.js';
import { defaultActor } from './events/index.js';

/** Every sandbox's branch is `sandbox/<name>`. */
export const SANDBOX_BRANCH_PREFIX = 'sandbox/';

/** A stored sandbox: its branch, owner, origin and expiry. */
export type Sandbox = SandboxRecord;

export interface CreateSandboxOptions {
  /** Any ref (branch, tag, alias, commit, `main~2`); default the repository's default branch. */
  from?: string;
  /** Time to live in milliseconds; absent: it never expires. */
  ttlMs?: number;
  /** Default `$SLUICE_ACTOR`, else `$SLUICE_USER`, else the OS user. */
  owner?: string;
  /** Readable only by its owner and admins when served (`sluice serve`); default false. */
  private?: boolean;
  /** Injected clock, for tests. */
  now?: Date;
}

export type SandboxState = 'active' | 'expired' | 'missing';

/** A sandbox as `list` shows it, at a moment (`now`). */
export interface SandboxStatus extends Sandbox {
  /** `missing`: the branch is gone (deleted by hand); else `expired` or `active`. */
  state: SandboxState;
  ageMs: number;
  /** Whether its expiry has passed (false when it never expires). */
  expired: boolean;
  /** Milliseconds until it expires (negative once past); null when it never expires. */
  expiresInMs: number | null;
  /** The branch's head; null when the branch is missing. */
  head: CommitId | null;
  /** Whether the branch has uncommitted changes (false when missing). */
  uncommitted: boolean;
}

export interface ExpireSandboxesOptions {
  now?: Date;
  /** Report what would be removed; remove nothing. */
  dryRun?: boolean;
}

export interface ExpireReport {
  dryRun: boolean;
  /** The expired sandboxes removed (or that would be), and records whose branch was gone. */
  removed: SandboxStatus[];
  /** Expired sandboxes that could not be removed (e.g. an alias targets the branch); kept. */
  failed: { sandbox: SandboxStatus; error: SluiceError }[];
}

export interface DeletedSandbox {
  sandbox: Sandbox;
  /** False when the branch was already gone (only the record was removed). */
  branchDeleted: boolean;
}

/** The branch that holds sandbox `name`'s data. */
export function sandboxBranch(name: string): string {
  return `${SANDBOX_BRANCH_PREFIX}${name}`;
}

/**
 * Validates a sandbox name: one branch-name segment (letters, digits, `.`, `_`, `-`; starting with
 * a letter or digit; no `..`, no trailing `.` or `.lock`). InvalidNameError (kind `sandbox`).
 */
export function validateSandboxName(name: string): string {
  const fail = (reason: string): never => {
    throw new InvalidNameError(`invalid sandbox name ${JSON.stringify(name)}: ${reason}`, {
      name,
      kind: 'sandbox',
      reason,
    });
  };
  if (name.length === 0) fail('it is empty');
  if (name.length > 100) fail('it is longer than 100 characters');
  if (name.includes('/')) fail('it must be one name, without "/"');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail('use only letters, digits, ".", "_" and "-"');
  if (!/^[A-Za-z0-9]/.test(name)) fail('it must start with a letter or a digit');
  if (name.endsWith('.')) fail('it must not end with "."');
  if (name.includes('..')) fail('it must not contain ".."');
  if (name.endsWith('.lock')) fail('it must not end with ".lock"');
  parseBranchName(sandboxBranch(name)); // the branch rules, as a backstop
  return name;
}

/**
 * Creates sandbox `name`: the branch `sandbox/<name>` at `from`'s commit (O(1): no data is
 * copied, no object written) and its record. RefAlreadyExistsError when the sandbox or a ref named
 * like its branch exists; nothing is left behind on any failure.
 */
export async function createSandbox(
  repo: Repository,
  name: string,
  opts: CreateSandboxOptions = {},
): Promise<Sandbox> {
  validateSandboxName(name);
  const ttlMs = opts.ttlMs;
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
    throw new InvalidArgumentError(`ttl: expected a positive duration (got ${ttlMs} ms)`, {
      argument: 'ttl',
      reason: 'not a positive whole number of milliseconds',
    });
  }
  const owner = opts.owner ?? defaultActor();
  if (owner.trim() === '') {
    throw new InvalidArgumentError('owner: it is empty', { argument: 'owner', reason: 'empty' });
  }
  if ((await repo.meta.getSandbox(repo.name, name)) !== undefined) {
    throw new RefAlreadyExistsError(`sandbox ${name} already exists`, { name, kind: 'sandbox' });
  }
  const fromRef = opts.from ?? repo.defaultBranch;
  const branch = sandboxBranch(name);
  const info = await repo.createBranch(branch, { from: fromRef });
  const createdAt = opts.now ?? new Date();
  const record: Sandbox = {
    name,
    branch,
    createdAt,
    expiresAt: ttlMs === undefined ? null : new Date(createdAt.getTime() + ttlMs),
    owner,
    fromRef,
    fromCommit: info.head,
    private: opts.private ?? false,
  };
  try {
    await repo.meta.createSandbox(repo.name, record);
  } catch (err) {
    // No half state: the branch goes with the record that failed (a concurrent creator of the
    // same name cannot own this branch — branch creation is the unique step).
    await dropBranch(repo, branch).catch(() => {}); // keep the original error
    throw err;
  }
  return record;
}

/** Every sandbox with its state at `now` (default the current time), in name order. */
export async function listSandboxes(
  repo: Repository,
  opts: { now?: Date } = {},
): Promise<SandboxStatus[]> {
  const now = opts.now ?? new Date();
  const out: SandboxStatus[] = [];
  for await (const rec of repo.meta.listSandboxes(repo.name))
    out.push(await statusOf(repo, rec, now));
  return out;
}

/** One sandbox with its state at `now`. SandboxNotFoundError when there is none by that name. */
export async function getSandbox(
  repo: Repository,
  name: string,
  opts: { now?: Date } = {},
): Promise<SandboxStatus> {
  return statusOf(repo, await requireSandbox(repo, name), opts.now ?? new Date());
}

/**
 * Deletes sandbox `name`: its branch (with any uncommitted changes), then its record. A record
 * whose branch is already gone is just removed. SandboxNotFoundError when there is no such
 * sandbox; a refused branch deletion (e.g. an alias targets it) keeps the record too.
 */
export async function deleteSandbox(repo: Repository, name: string): Promise<DeletedSandbox> {
  const sandbox = await requireSandbox(repo, name);
  const branchDeleted = await removeBranch(repo, sandbox.branch);
  await repo.meta.deleteSandbox(repo.name, name);
  return { sandbox, branchDeleted };
}

/**
 * Removes every sandbox expired at `now` (branch, then record), and the records of sandboxes
 * whose branch is gone. One that cannot be removed is reported in `failed` and kept; the others
 * are still removed.
 */
export async function expireSandboxes(
  repo: Repository,
  opts: ExpireSandboxesOptions = {},
): Promise<ExpireReport> {
  const dryRun = opts.dryRun === true;
  const report: ExpireReport = { dryRun, removed: [], failed: [] };
  for (const s of await listSandboxes(repo, { now: opts.now })) {
    if (s.state === 'active') continue;
    if (!dryRun) {
      try {
        if (s.state !== 'missing') await removeBranch(repo, s.branch);
        await repo.meta.deleteSandbox(repo.name, s.name);
      } catch (err) {
        report.failed.push({ sandbox: s, error: toSluiceError(err) });
        continue;
      }
    }
    report.removed.push(s);
  }
  return report;
}

// ---- helpers -----------------------------------------------------------------------------------

async function requireSandbox(repo: Repository, name: string): Promise<Sandbox> {
  const rec = await repo.meta.getSandbox(repo.name, name);
  if (!rec) throw new SandboxNotFoundError(`sandbox ${name} not found`, { sandbox: name });
  return rec;
}

async function statusOf(repo: Repository, rec: Sandbox, now: Date): Promise<SandboxStatus> {
  const branch = await repo.meta.getBranch(repo.name, rec.branch);
  const uncommitted = branch !== undefined && (await hasUncommitted(repo, branch));
  const expiresInMs = rec.expiresAt === null ? null : rec.expiresAt.getTime() - now.getTime();
  const expired = expiresInMs !== null && expiresInMs <= 0;
  return {
    ...rec,
    state: branch === undefined ? 'missing' : expired ? 'expired' : 'active',
    ageMs: now.getTime() - rec.createdAt.getTime(),
    expired,
    expiresInMs,
    head: branch === undefined ? null : (branch.head as CommitId),
    uncommitted,
  };
}

/** Whether the branch's staging differs from its head (stops at the first difference). */
async function hasUncommitted(repo: Repository, branch: BranchRecord): Promise<boolean> {
  try {
    for await (const _ of repo.status(branch.name)) return true;
  } catch (err) {
    if (err instanceof BranchNotFoundError) return false; // deleted meanwhile
    throw err;
  }
  return false;
}

/** Deletes a sandbox's branch through the repository (write policy included); false if gone. */
async function removeBranch(repo: Repository, branch: string): Promise<boolean> {
  if ((await repo.meta.getBranch(repo.name, branch)) === undefined) return false;
  try {
    await repo.deleteBranch(branch);
    return true;
  } catch (err) {
    if (err instanceof BranchNotFoundError) return false; // deleted meanwhile
    throw err;
  }
}

/** Undoes a branch this module just created (no write policy: it never held anyone's data). */
async function dropBranch(repo: Repository, branch: string): Promise<void> {
  const rec = await repo.meta.getBranch(repo.name, branch);
  if (!rec) return;
  await repo.meta.deleteBranch(repo.name, branch, rec.version);
  await repo.meta.clearStaging(repo.name, [rec.stagingToken, ...rec.sealedTokens]);
}
