// The JSON shapes of Sluice's long operations as both edges show them: the documents `sluice
// check | check history | build | load | promote | deploy | rollback --json` print, which are also
// the results of the server's runs; and a server run itself (its status, log lines). One
// definition each, so a remote command prints exactly what a local one does. Their zod schemas
// (the server's response schemas) are in wire-ops-schemas.ts, apart so the CLI's start loads no zod.
import type {
  CheckResultRecord,
  ServerRunLogLine,
  ServerRunRecord,
  ServerRunStatus,
} from '../meta/meta-store.js';
import type { BuildOutcome } from '../pipeline/build.js';
import type { NodeResult } from '../pipeline/types.js';
import type { CheckResult, CheckRun } from '../quality/index.js';
import type { SendAlertResult, StoredEvent } from '../workflow/index.js';

// ---- server runs ----------------------------------------------------------------------------------

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'lost'] as const;

export interface RunErrorJson {
  code: string;
  message: string;
  data: unknown;
}

export interface RunJson {
  runId: string;
  kind: string;
  status: ServerRunStatus;
  actor: string;
  createdAt: string;
  updatedAt: string;
  request: unknown;
  result?: unknown;
  error?: RunErrorJson;
  exitCode?: number;
  links: { self: string; log: string; events: string };
}

/** A run record as JSON; `base` is the run's URL path (`/api/v1/repositories/R/runs/ID`). */
export function runJson(rec: ServerRunRecord & { status: ServerRunStatus }, base: string): RunJson {
  return {
    runId: rec.id,
    kind: rec.kind,
    status: rec.status,
    actor: rec.actor,
    createdAt: rec.createdAt.toISOString(),
    updatedAt: rec.updatedAt.toISOString(),
    request: JSON.parse(rec.request) as unknown,
    ...(rec.result !== null ? { result: JSON.parse(rec.result) as unknown } : {}),
    ...(rec.error !== null
      ? { error: (JSON.parse(rec.error) as { error: RunErrorJson }).error }
      : {}),
    ...(rec.exitCode !== null ? { exitCode: rec.exitCode } : {}),
    links: { self: base, log: `${base}/log`, events: `${base}/events` },
  };
}

export interface RunLogLineJson {
  seq: number;
  time: string;
  line: string;
}

export function runLogLineJson(l: ServerRunLogLine): RunLogLineJson {
  return { seq: l.seq, time: l.time.toISOString(), line: l.line };
}

/** True once a run will not change again. */
export const isFinished = (status: ServerRunStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'lost';

// ---- the documents of the commands ------------------------------------------------------------

/** `sluice check --json`. */
export function checkDocument(run: CheckRun, event: StoredEvent | undefined, html?: string) {
  return { check: run, ...(html !== undefined ? { html } : {}), event: event?.id ?? null };
}
export type CheckDocument = ReturnType<typeof checkDocument>;

export interface CheckHistoryRun {
  id: string;
  commit: string;
  at: string;
  results: CheckResult[];
}
export interface CheckHistoryDocument {
  table: string;
  runs: CheckHistoryRun[];
}

/** `sluice check history TABLE --json`: the stored results, grouped by run, newest `limit` runs. */
export function checkHistoryDocument(
  table: string,
  rows: readonly CheckResultRecord[],
  limit: number,
): CheckHistoryDocument {
  const runs: CheckHistoryRun[] = [];
  for (const r of rows) {
    let run = runs.at(-1);
    if (run?.id !== r.runId) {
      if (runs.length === limit) break;
      run = { id: r.runId, commit: r.commitId, at: r.createdAt.toISOString(), results: [] };
      runs.push(run);
    }
    run.results.push(JSON.parse(r.data) as CheckResult);
  }
  return { table, runs };
}

/** `sluice build --json`. */
export function buildDocument(outcome: BuildOutcome, event: StoredEvent | undefined) {
  const { run } = outcome;
  return {
    run: { ...run, results: run.results },
    ...(outcome.landed ? { commit: outcome.landed.id } : {}),
    ...(outcome.artifacts ? { artifacts: outcome.artifacts } : {}),
    warnings: outcome.warnings,
    event: event?.id ?? null,
  };
}
export type BuildDocument = ReturnType<typeof buildDocument>;

/** A workflow run (load, promote, deploy) as JSON: its event by id, its alert as `{ok, sinks}`. */
export function workflowRunJson<R extends { event: StoredEvent; alert?: SendAlertResult }>(
  run: R,
): Omit<R, 'event' | 'alert'> & { event: number; alert?: { ok: boolean; sinks: string[] } } {
  const { event, alert, ...rest } = run;
  return {
    ...rest,
    event: event.id,
    ...(alert ? { alert: { ok: alert.ok, sinks: alert.results.map((r) => r.sink) } } : {}),
  };
}

/** `sluice load --json`: the run, its checks as their summary. */
export function loadDocument<
  R extends { event: StoredEvent; alert?: SendAlertResult; checks?: { summary: unknown } },
>(run: R) {
  const { checks, ...shown } = run;
  return { ...workflowRunJson(shown), ...(checks ? { checks: checks.summary } : {}) };
}

/** `sluice rollback --json`: the run, its event by id. */
export function rollbackDocument<R extends { event: StoredEvent }>(run: R) {
  const { event, ...rest } = run;
  return { ...rest, event: event.id };
}

// ---- progress lines (the CLI prints them as they come; a server run logs them) -----------------

const WORD: Record<NodeResult['status'], string> = {
  success: 'OK',
  reused: 'REUSED',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

function describeNode(r: NodeResult): string {
  const what =
    r.kind === 'test'
      ? `test ${r.name}`
      : `${r.kind} ${r.name}${r.rows !== undefined ? ` (${r.rows} rows)` : ''}`;
  return r.message && r.status !== 'success' && r.status !== 'pass'
    ? `${what}: ${r.message}`
    : what;
}

/** A build's line for a finished node, like dbt: ` 3 of 12 OK     model orders (40 rows) [0.12s]`. */
export function buildNodeLine(r: NodeResult, done: number, total: number): string {
  const seconds = ((r.completedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(2);
  return `${String(done).padStart(String(total).length)} of ${total} ${WORD[r.status].padEnd(6)} ${describeNode(r)} [${seconds}s]`;
}

/** A workflow run's phase line (load, promote, deploy): `phase detail`. */
export const phaseLine = (phase: string, detail?: string): string =>
  `${phase}${detail ? ` ${detail}` : ''}`;
