// A running build's lease: the object `leases/builds/<run id>` in the repository's object store,
// written when the run opens and rewritten every minute while it runs (its time is the heartbeat),
// deleted when the build ends, however it ends. Every client of the repository — another machine
// on the same PostgreSQL + S3, the server — sees it, so `gc` can tell a build that is still
// running from one whose process was killed: a live build's lease is never older than a few
// heartbeats; a killed build's stops moving. (The MetaStore keeps no timestamps on branches; the
// object store's modification time is the clock gc already trusts for its grace period.)
import type { Repository } from '../../core/repository.js';

export const RUN_LEASE_PREFIX = 'leases/builds/';
/** How often a running build rewrites its lease. */
export const HEARTBEAT_MS = 60_000;
/** A lease not rewritten for this long belongs to a build that is no longer running. */
export const LEASE_STALE_MS = 15 * 60_000;

export const runLeaseKey = (runId: string): string => `${RUN_LEASE_PREFIX}${runId}`;

export interface RunLease {
  /** Stops the heartbeat and deletes the lease. */
  release(): Promise<void>;
}

/** Writes the lease of run `runId` and keeps it fresh until released. */
export async function holdRunLease(
  repo: Repository,
  runId: string,
  branch: string,
): Promise<RunLease> {
  const key = runLeaseKey(runId);
  const body = Buffer.from(`${JSON.stringify({ runId, branch, pid: process.pid })}\n`);
  await repo.store.put(key, body);
  let beat: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    // A missed heartbeat is retried at the next one; fifteen minutes of them must fail in a row
    // before gc may take the build for dead.
    beat = repo.store.put(key, body).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await beat;
      await repo.store.delete(key).catch(() => {});
    },
  };
}

/** Whether run `runId` holds a lease rewritten within LEASE_STALE_MS of `now`. */
export async function holdsLiveLease(repo: Repository, runId: string, now: Date): Promise<boolean> {
  const info = await repo.store.head(runLeaseKey(runId));
  return info !== undefined && now.getTime() - info.lastModified.getTime() < LEASE_STALE_MS;
}
