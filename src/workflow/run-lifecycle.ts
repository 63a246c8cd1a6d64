// The lifecycle every workflow run shares — loads, promotions, deploys, rollbacks, scheduled
// builds: one id (common/run-id.ts), its events in the log, its alerts to the configured sinks,
// and the clean-up of what it leaves behind when it cannot finish. A run's own code says what
// happened (success, a refusal); what happens when it throws is said once, here (dbt's
// `BaseRunner.safe_run` → `handle_exception`, lakeFS's hooks run under one `NewRunID()`):
//
//   1. the `error` event the run describes is recorded, its reason the error's first line;
//   2. the run's error alert goes to the sinks, every attempt an `alert` event;
//   3. the clean-ups registered so far run, newest first (a candidate branch with no work on it,
//      a run branch with nothing committed) — each failure there is swallowed, not the error's;
//   4. the original error is thrown on, unchanged.
//
// Recording or alerting may fail too (the store is down): the run's own error still wins.
import { errorCode, errorLine } from '../common/error-line.js';
import { newRunId } from '../common/run-id.js';
import type { Repository } from '../core/repository.js';
import type { Alert, SendAlertResult } from './alerts.js';
import type { AlertConfig, Env } from './config/index.js';
import { recordEvent, type StoredEvent, type WorkflowEvent } from './events/index.js';
import { notify } from './notify.js';

/** The kinds of run the lifecycle carries. */
export type RunKind = 'load' | 'promote' | 'deploy' | 'rollback' | 'build';

/** What every workflow operation takes for its alerts and progress. */
export interface WorkflowRunOptions<Phase extends string = string> {
  /** Where `${VAR}` references of the alert sinks (and sources) are looked up; default process.env. */
  env?: Env;
  /** Overrides the alert sinks' (and a REST source's) backoff (tests). */
  backoffMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Progress, for the CLI. */
  onPhase?: (phase: Phase, detail?: string) => void;
}

/** How a run reports that it could not finish. */
export interface RunFailure {
  /** The `error` event to record; `reason` is the error's first line. */
  event(run: WorkflowRun, reason: string, err: unknown): WorkflowEvent | Promise<WorkflowEvent>;
  /** The alert to send about it (undefined: none). */
  alert?(run: WorkflowRun, reason: string, err: unknown): Alert | undefined;
}

export interface RunSpec {
  kind: RunKind;
  /** The configured alert sinks. */
  alerts: readonly AlertConfig[];
  options?: WorkflowRunOptions;
  /** The run's id when it must be known before it starts (default: a new one). */
  id?: string;
  failure: RunFailure;
}

/** One run in progress: its id and clock, and the way it records events and sends alerts. */
export class WorkflowRun {
  readonly id: string;
  readonly startedAt = Date.now();
  private readonly cleanups: (() => Promise<void>)[] = [];

  constructor(
    readonly repo: Repository,
    private readonly spec: RunSpec,
  ) {
    this.id = spec.id ?? newRunId(new Date(this.startedAt));
  }

  get kind(): RunKind {
    return this.spec.kind;
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Progress for the caller (the CLI's phase lines). */
  phase(name: string, detail?: string): void {
    this.spec.options?.onPhase?.(name, detail);
  }

  /** Appends one of the run's events to the log. */
  record(event: WorkflowEvent): Promise<StoredEvent> {
    return recordEvent(this.repo, event);
  }

  /** Sends an alert about the event `about` (its id is sent along) to the configured sinks. */
  alert(alert: Alert, about: StoredEvent): Promise<SendAlertResult> {
    const o = this.spec.options ?? {};
    return notify(this.repo, this.spec.alerts, alert, {
      eventId: about.id,
      ...(o.env ? { env: o.env } : {}),
      ...(o.backoffMs !== undefined ? { backoffBaseMs: o.backoffMs } : {}),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  }

  /** Undoes something of this run if it fails from here on (run newest first, errors ignored). */
  onFailure(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Steps 1–3 of a failed run (see the top of this file); never throws. */
  async fail(err: unknown): Promise<void> {
    const reason = errorLine(err);
    const { failure } = this.spec;
    try {
      const event = await this.record(await failure.event(this, reason, err));
      const alert = failure.alert?.(this, reason, err);
      if (alert) await this.alert(alert, event);
    } catch {
      // The log or a sink is out of reach: the run's own error is what the caller must see.
    }
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => {});
    this.cleanups.length = 0;
  }
}

/**
 * Runs `body` as one workflow run: what it returns is its result (its events and alerts recorded
 * by itself); what it throws is recorded, alerted and cleaned up after by the lifecycle, then
 * thrown on.
 */
export async function runWorkflow<T>(
  repo: Repository,
  spec: RunSpec,
  body: (run: WorkflowRun) => Promise<T>,
): Promise<T> {
  const run = new WorkflowRun(repo, spec);
  try {
    return await body(run);
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

/** A check that refused a run, as alerts and events list it. */
export interface RefusingCheck {
  name: string;
  table: string;
  status: string;
  message?: string;
}

/** The `failed` details of an alert: one entry per refusing check. */
export function failedDetails(failed: readonly RefusingCheck[]) {
  return failed.map((f) => ({
    table: f.table,
    check: f.name,
    status: f.status,
    ...(f.message ? { message: f.message } : {}),
  }));
}

/** "2 check(s) did not pass: orders: not_null(id), …": a refusal's reason. */
export function refusalReason(failed: readonly RefusingCheck[], what = 'check(s)'): string {
  return `${failed.length} ${what} did not pass: ${failed.map((f) => `${f.table}: ${f.name}`).join(', ')}`;
}

/** An error alert's `details`: the error's stable code. */
export const errorDetails = (err: unknown) => ({ code: errorCode(err) });
