// Singleton work — the scheduler, periodic GC — that one replica among those sharing a database
// does: each task runs only while this process holds the task's lease (LeaseStore: a PostgreSQL
// advisory lock). A replica that does not hold it tries again every `retryMs`, so when the holder
// stops or dies another takes over within that time. A lost lease (the holder's connection cut)
// aborts the task: another replica may be leading already. Stopping aborts the task, waits for
// it to wind down, then releases the lease.
import type { LeaseStore } from '../internal.js';

export interface SingletonTask {
  /** The lease's name: one holder among every process of the database. */
  name: string;
  /** Runs while the lease is held; `signal` aborts when it is lost or the server stops. */
  run(signal: AbortSignal): Promise<void>;
}

export interface LeaderLog {
  info(msg: string): void;
  error(err: unknown, msg: string): void;
}

export interface LeaderOptions {
  /** How often a replica without the lease tries to take it (default 10 s). */
  retryMs?: number;
  log: LeaderLog;
}

export interface Leadership {
  /** Whether this process leads `task` now. */
  leading(task: string): boolean;
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_RETRY_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Starts contending for each task's lease; stop() ends every task and releases its lease. */
export function startLeadership(
  leases: LeaseStore,
  tasks: readonly SingletonTask[],
  opts: LeaderOptions,
): Leadership {
  const stopping = new AbortController();
  const leading = new Set<string>();
  const retryMs = opts.retryMs ?? DEFAULT_LEASE_RETRY_MS;

  const leadWhileHeld = async (task: SingletonTask): Promise<void> => {
    const lease = await leases.tryLead(task.name);
    if (!lease) return;
    const held = new AbortController();
    const abort = (): void => held.abort();
    stopping.signal.addEventListener('abort', abort, { once: true });
    let lost = false;
    void lease.lost.then(() => {
      lost = true;
      held.abort();
    });
    leading.add(task.name);
    opts.log.info(`leading ${task.name}`);
    try {
      await task.run(held.signal);
    } catch (err) {
      opts.log.error(err, `${task.name} failed`);
    } finally {
      leading.delete(task.name);
      stopping.signal.removeEventListener('abort', abort);
      await lease.release();
      opts.log.info(lost ? `lost the lease of ${task.name}` : `released ${task.name}`);
    }
  };

  const contend = async (task: SingletonTask): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        await leadWhileHeld(task);
      } catch (err) {
        opts.log.error(err, `cannot take the lease of ${task.name}`);
      }
      await sleep(retryMs, stopping.signal);
    }
  };

  const loops = tasks.map((t) => contend(t));
  return {
    leading: (task) => leading.has(task),
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}
