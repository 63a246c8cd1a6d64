// The event log's vocabulary: the kinds of workflow event (a discriminated union on `type`), their
// outcomes and fields. The outcome metrics (metrics.ts) are computed from nothing else, so each
// kind carries what they need.
import type { CheckSummary } from '../../quality/summary.js';

export const EVENT_TYPES = [
  'load',
  'check',
  'merge',
  'build',
  'promote',
  'deploy',
  'rollback',
  'alert',
  'config',
  'request',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * `success`; `failure` — it ran and was refused (checks, smoke checks, a gate, a sink's answer);
 * `error` — it could not run to the end (an exception); `skipped` — nothing to do.
 */
export const OUTCOMES = ['success', 'failure', 'error', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Colour = 'blue' | 'green';

export type { CheckSummary };

interface EventBase {
  outcome: Outcome;
  /** When it happened (ISO-8601 or a Date; kept to the millisecond); default now. */
  time?: string | Date;
  /** Who did it; default $SLUICE_ACTOR, else $SLUICE_USER, else the OS user. */
  actor?: string;
  /** Why it failed, errored or was skipped, for humans. */
  reason?: string;
}

/** One write–audit–publish run of an ingestor. */
export interface LoadEvent extends EventBase {
  type: 'load';
  ingestor: string;
  runId: string;
  /** The run branch, `ingest/<ingestor>/<run-id>` (kept when the run fails). */
  branch: string;
  /** The branch the run merges into. */
  target: string;
  /** The commit the run made on its branch (the ingest commit); absent if it committed nothing. */
  commit?: string;
  /** The target's head after the merge (success only). */
  mergeCommit?: string;
  rows?: number;
  tables?: string[];
  /** Names of the checks that failed. */
  failedChecks?: string[];
  durationMs?: number;
}

/** A check run on a ref. */
export interface CheckEvent extends EventBase {
  type: 'check';
  ref: string;
  commit: string;
  runId?: string;
  tables?: string[];
  summary: CheckSummary;
  durationMs?: number;
}

/** A merge (through the gates of its destination). */
export interface MergeEvent extends EventBase {
  type: 'merge';
  source: string;
  destination: string;
  /** The commit `source` named when the merge started (what was merged, or refused). */
  sourceCommit?: string;
  /** The destination's head after the merge. */
  commit?: string;
  fastForward?: boolean;
  /** Names of the gate checks that refused it (or that a forced merge overrode). */
  failedChecks?: string[];
  /** The gate's checks of the changed tables, when it ran any. */
  checks?: CheckSummary;
  /** Merged past a refusing gate with `--force` (where sluice.yml allows it). */
  forced?: boolean;
  /** Conflicting paths, when the merge stopped on conflicts. */
  conflicts?: number;
  durationMs?: number;
}

/** A pipeline build on a branch. */
export interface BuildEvent extends EventBase {
  type: 'build';
  branch: string;
  /** The commit the build landed (absent when it failed or changed nothing). */
  commit?: string;
  runId?: string;
  /** Which of `sluice build | run | test | seed` it was (absent: a build). */
  command?: 'build' | 'run' | 'test' | 'seed';
  /** Seeds and models. */
  models?: { built: number; reused: number; failed: number; skipped: number };
  /** The tests run after their models. */
  tests?: { pass: number; warn: number; fail: number; error: number; skipped: number };
  durationMs?: number;
}

/** `sluice promote ENV`: a source branch's head moved to an environment and built there. */
export interface PromoteEvent extends EventBase {
  type: 'promote';
  environment: string;
  /** The promotion's id; its candidate branch is `promote/<environment>/<id>`. */
  promoteId?: string;
  /** The candidate branch (kept when the promotion was refused). */
  branch?: string;
  /** The branch promoted from (`main`). */
  source: string;
  /** The source commit promoted. */
  commit: string;
  /** The environment's commit before. */
  fromCommit?: string;
  /** The environment's commit after its build (what a deploy takes). */
  builtCommit?: string;
  checks?: CheckSummary;
  durationMs?: number;
}

/** A successful load that a deploy brought into the environment for the first time. */
export interface DeployedLoad {
  runId: string;
  ingestor: string;
  /** The load's ingest commit. */
  commit: string;
  /** That commit's time (ISO-8601): where the load's lead time starts. */
  committedAt: string;
}

/**
 * A blue/green deploy: the candidate put on the idle colour, smoke-checked there, the alias
 * flipped only when they pass (outcome success) — a failed smoke check is outcome failure.
 */
export interface DeployEvent extends EventBase {
  type: 'deploy';
  environment: string;
  deployId: string;
  /** The colour the candidate went to (live after a successful deploy). */
  colour: Colour;
  /** The commit deployed. */
  commit: string;
  /** The environment's live commit before (absent for a first deploy). */
  fromCommit?: string;
  /** The deploy that was live before. */
  fromDeployId?: string;
  smoke: 'pass' | 'fail' | 'error' | 'skipped';
  /** The smoke checks' results, counted (absent when none ran). */
  smokeChecks?: CheckSummary;
  /** Names of the smoke checks that failed. */
  smokeFailed?: string[];
  /**
   * The successful loads in `commit` and not in `fromCommit` — what this deploy brings to the
   * environment (see `newLoads`). Lead time for changes is computed from these.
   */
  loads?: DeployedLoad[];
  durationMs?: number;
}

/** `sluice rollback ENV`: the alias flipped back to an earlier deploy. */
export interface RollbackEvent extends EventBase {
  type: 'rollback';
  environment: string;
  /** The deploy restored. */
  deployId: string;
  /** The commit restored. */
  commit: string;
  colour?: Colour;
  /** The commit that was live (and is no longer). */
  fromCommit?: string;
  /** The deploy undone. */
  fromDeployId?: string;
  /** When the problem behind the rollback was detected (ISO-8601); default the rollback's time. */
  detectedAt?: string;
}

/** One delivery attempt of an alert to one sink. */
export interface AlertEvent extends EventBase {
  type: 'alert';
  sink: string;
  kind?: 'webhook' | 'slack';
  alertId?: string;
  /** The alert's type (`load.failed` …). */
  alertType?: string;
  /** 1-based. */
  attempt: number;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Whether another attempt follows. */
  retrying?: boolean;
  durationMs?: number;
  /** The event the alert is about. */
  eventId?: number;
}

/**
 * `sluice config push`: a change of the rules the repository publishes on its default branch —
 * success (it landed), failure (the default branch's gate refused it) or error.
 */
export interface ConfigEvent extends EventBase {
  type: 'config';
  /** The default branch, where the rules live. */
  branch: string;
  /** The push's id (its branch was `config/<id>`). */
  runId: string;
  /** The default branch's head the change was made from. */
  fromCommit: string;
  /** The commit that published it — the default branch's new head (success only). */
  commit?: string;
  /** Files under `_sluice/config/` it adds, changes or removes. */
  files: { path: string; change: 'added' | 'changed' | 'removed' }[];
  /** Gate rules (by branch pattern) it adds, changes or removes. */
  gates: { added: string[]; changed: string[]; removed: string[] };
  /** The webhooks of the default branch's gate that refused it. */
  refusedBy?: string[];
  durationMs?: number;
}

/**
 * A request to the server (issue 15): every mutating request, and refused ones (401/403, rate
 * limited) — the event log is the audit log. `actor` is the authenticated user (`anonymous` when
 * the request had no valid credentials).
 */
export interface RequestEvent extends EventBase {
  type: 'request';
  method: string;
  /** The route's pattern (`/api/v1/repositories/:repository/branches`). */
  route: string;
  /** The path asked for, without its query. */
  path: string;
  status: number;
  requestId: string;
  /** The client's address. */
  sourceAddress: string;
  /** The error's code, for a refused or failed request. */
  errorCode?: string;
  /** Refusals from the same address and reason left out of the log since the last one recorded. */
  suppressed?: number;
}

export type WorkflowEvent =
  | ConfigEvent
  | RequestEvent
  | LoadEvent
  | CheckEvent
  | MergeEvent
  | BuildEvent
  | PromoteEvent
  | DeployEvent
  | RollbackEvent
  | AlertEvent;

/** An event as stored: its kind's fields, the id the log gave it, its time and actor. */
export type StoredEvent = WorkflowEvent & { id: number; time: string; actor: string };
