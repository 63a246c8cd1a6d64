// The long-running operations a request starts (check runs, builds, loads, promote, deploy,
// rollback): the request gets 202 and the run's id at once; the operation runs here, in the
// process that accepted it, and writes its status, heartbeat, log lines and outcome to the
// metadata store (ServerRunStore) — never to this process's memory — so any replica answers for
// it. A run whose heartbeat stops (its process died) reads as `lost`.
import { type Repository, RunNotFoundError, type SluiceError, toSluiceError } from '../index.js';
import { newRunId, type ServerRunRecord, type ServerRunStatus } from '../internal.js';
import { errorDocument } from './errors.js';

/** What an operation ends with: the document the CLI prints with --json, and its exit code. */
export interface RunOutcome {
  result?: unknown;
  /** An error the CLI reports as the run's outcome (it prints it and exits with `exitCode`). */
  error?: SluiceError;
  exitCode: number;
}

/** Where an operation writes the lines the CLI prints as progress. */
export type RunLog = (line: string) => void;

export interface RunsOptions {
  /** How often a running run's heartbeat is written (default 10 s). */
  heartbeatMs?: number;
  /** A live run whose heartbeat is older reads as lost (default 60 s). */
  lostAfterMs?: number;
  /** How long log lines wait to be written together (default 200 ms). */
  flushMs?: number;
  /** How often an event stream reads the store for new lines (default 500 ms). */
  pollMs?: number;
}

/** Exit codes at or above this are a run that did not do what it was asked (refused, failed). */
const FAILED_EXIT = 2;

/** The run as a replica reads it: a live run without a recent heartbeat is lost. */
export function effectiveStatus(
  rec: ServerRunRecord,
  now: Date,
  lostAfterMs: number,
): ServerRunStatus {
  const live = rec.status === 'queued' || rec.status === 'running';
  return live && now.getTime() - rec.updatedAt.getTime() > lostAfterMs ? 'lost' : rec.status;
}

/** Log lines of one run, written in batches, in order, one batch at a time. */
class RunLogWriter {
  private pending: { time: Date; line: string }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: Repository,
    private readonly id: string,
    private readonly flushMs: number,
  ) {}

  write(line: string): void {
    for (const l of line.split('\n')) this.pending.push({ time: new Date(), line: l });
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) {
      this.chain = this.chain
        .then(() => this.repo.meta.appendServerRunLog(this.repo.name, this.id, lines))
        .then(
          () => undefined,
          () => undefined, // a lost log line must not fail the operation
        );
    }
    return this.chain;
  }
}

export class ServerRuns {
  readonly heartbeatMs: number;
  readonly lostAfterMs: number;
  readonly pollMs: number;
  private readonly flushMs: number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(opts: RunsOptions = {}) {
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.lostAfterMs = opts.lostAfterMs ?? 60_000;
    this.flushMs = opts.flushMs ?? 200;
    this.pollMs = opts.pollMs ?? 500;
  }

  /**
   * Records a run of `kind` and starts `op` in the background (in the caller's async context, so
   * it acts as the request's user); returns the record as stored, before the operation ends.
   */
  async start(
    repo: Repository,
    kind: string,
    actor: string,
    request: unknown,
    op: (log: RunLog) => Promise<RunOutcome>,
  ): Promise<ServerRunRecord> {
    const now = new Date();
    const rec: ServerRunRecord = {
      id: newRunId(now),
      kind,
      status: 'queued',
      actor,
      createdAt: now,
      updatedAt: now,
      request: JSON.stringify(request ?? {}),
      result: null,
      error: null,
      exitCode: null,
    };
    await repo.meta.createServerRun(repo.name, rec);
    const done = this.execute(repo, rec.id, op);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return rec;
  }

  private async execute(
    repo: Repository,
    id: string,
    op: (log: RunLog) => Promise<RunOutcome>,
  ): Promise<void> {
    const log = new RunLogWriter(repo, id, this.flushMs);
    const update = (patch: Parameters<Repository['meta']['updateServerRun']>[2]) =>
      repo.meta.updateServerRun(repo.name, id, patch).catch(() => false);
    await update({ status: 'running', updatedAt: new Date() });
    const heartbeat = setInterval(() => void update({ updatedAt: new Date() }), this.heartbeatMs);
    heartbeat.unref();
    let outcome: RunOutcome;
    try {
      outcome = await op((line) => log.write(line));
    } catch (err) {
      outcome = { error: toSluiceError(err), exitCode: -1 };
    } finally {
      clearInterval(heartbeat);
    }
    await log.flush();
    const failed = outcome.error !== undefined || outcome.exitCode >= FAILED_EXIT;
    await update({
      status: failed ? 'failed' : 'succeeded',
      updatedAt: new Date(),
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error ? JSON.stringify(errorDocument(outcome.error)) : null,
      // -1: it threw; the client maps the error to its exit code as the CLI does.
      exitCode: outcome.exitCode < 0 ? null : outcome.exitCode,
    });
  }

  /** A run of `repo` as any replica reads it; RunNotFoundError when there is none. */
  async get(repo: Repository, id: string): Promise<ServerRunRecord> {
    const rec = await repo.meta.getServerRun(repo.name, id);
    if (!rec) throw new RunNotFoundError(`no run ${id} in ${repo.name}`, { run: id });
    return { ...rec, status: this.statusOf(rec, new Date()) };
  }

  /** A stored run's status as read now (lost when its heartbeat stopped). */
  statusOf(rec: ServerRunRecord, now: Date): ServerRunStatus {
    return effectiveStatus(rec, now, this.lostAfterMs);
  }

  /** Waits for the runs this process started (graceful shutdown: they finish, then it stops). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
