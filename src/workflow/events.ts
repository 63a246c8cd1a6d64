// The workflow's event log: every load, check run, merge, build, promotion, deploy, rollback and
// alert delivery, appended to the MetaStore's append-only log and read back as typed events. The
// outcome metrics (metrics.ts) are computed from nothing else, so each kind carries what they need.
//
// Storage split: the fields naming things (REF_FIELDS: branch, commit, run id, environment …) go
// to the record's `refs`, everything else to its `data`; reading merges them back, so a stored
// event is its kind's fields plus `id`, `time` (ISO-8601, ms) and `actor`.
import { userInfo } from 'node:os';
import { errorLine } from '../common/error-line.js';
import { InvalidArgumentError } from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type { Commit } from '../core/commit-codec.js';
import type { Repository } from '../core/repository.js';
import type { EventRecord } from '../meta/meta-store.js';
import type { BuildCommand, BuildOutcome } from '../pipeline/build.js';
import type { BuildRun, NodeResult } from '../pipeline/types.js';
import type { CheckSummary } from '../quality/summary.js';

export const EVENT_TYPES = [
  'load',
  'check',
  'merge',
  'build',
  'promote',
  'deploy',
  'rollback',
  'alert',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * `success`; `failure` — it ran and was refused (checks, smoke checks, a gate, a sink's answer);
 * `error` — it could not run to the end (an exception); `skipped` — nothing to do.
 */
export const OUTCOMES = ['success', 'failure', 'error', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Colour = 'blue' | 'green';

export type { CheckSummary } from '../quality/summary.js';

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

export type WorkflowEvent =
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

/** Fields that name things: stored in the record's refs (string values only). */
const REF_FIELDS = new Set([
  'ingestor',
  'runId',
  'branch',
  'target',
  'commit',
  'mergeCommit',
  'ref',
  'source',
  'sourceCommit',
  'destination',
  'environment',
  'deployId',
  'fromCommit',
  'fromDeployId',
  'builtCommit',
  'promoteId',
  'colour',
  'sink',
  'alertId',
]);
const BASE_FIELDS = new Set(['type', 'outcome', 'time', 'actor', 'id']);
const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const KNOWN_OUTCOMES: ReadonlySet<string> = new Set(OUTCOMES);

/** $SLUICE_ACTOR, else $SLUICE_USER (who commits), else the OS user, else `sluice`. */
export function defaultActor(): string {
  const env = process.env.SLUICE_ACTOR || process.env.SLUICE_USER;
  if (env) return env;
  try {
    return userInfo().username || 'sluice';
  } catch {
    return 'sluice'; // no passwd entry for this uid (some containers)
  }
}

/** Appends `event` to the repository's log; returns it as stored (with its id). */
export async function recordEvent(repo: Repository, event: WorkflowEvent): Promise<StoredEvent> {
  if (!KNOWN_TYPES.has(event.type)) throw invalid('type', `unknown event type ${event.type}`);
  if (!KNOWN_OUTCOMES.has(event.outcome))
    throw invalid('outcome', `outcome must be one of ${OUTCOMES.join(', ')}`);
  const time = event.time === undefined ? new Date() : toDate(event.time, 'time');
  const refs: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    if (v === undefined || BASE_FIELDS.has(k)) continue;
    if (REF_FIELDS.has(k) && typeof v === 'string') refs[k] = v;
    else data[k] = v;
  }
  const rec = await repo.meta.appendEvent(repo.name, {
    time,
    type: event.type,
    actor: event.actor ?? defaultActor(),
    outcome: event.outcome,
    refs,
    data,
  });
  return toStoredEvent(rec) as StoredEvent;
}

export interface EventFilter {
  /** Only events at or after this time. */
  since?: Date;
  /** Only events before this time. */
  until?: Date;
  /** Only these kinds (default: all). */
  types?: readonly EventType[];
  /** Only events with a greater id (a cursor for tailing the log). */
  afterId?: number;
  beforeId?: number;
  limit?: number;
  /** `desc`: newest first. Default `asc`, the order they were appended. */
  order?: 'asc' | 'desc';
}

/** The repository's events, in id order. Kinds this version does not know are left out. */
export async function* listEvents(
  repo: Repository,
  filter: EventFilter = {},
): AsyncIterable<StoredEvent> {
  const types = [...(filter.types ?? EVENT_TYPES)];
  for await (const rec of repo.meta.listEvents(repo.name, { ...filter, types })) {
    const e = toStoredEvent(rec);
    if (e) yield e;
  }
}

/** A stored record as a typed event (undefined for a kind this version does not know). */
export function toStoredEvent(rec: EventRecord): StoredEvent | undefined {
  if (!KNOWN_TYPES.has(rec.type)) return undefined;
  const base = {
    id: rec.id,
    time: rec.time.toISOString(),
    type: rec.type,
    outcome: rec.outcome,
    actor: rec.actor,
  };
  // The base fields first (JSON key order) and last (they win over anything in data or refs).
  return Object.assign({ ...base }, rec.data, rec.refs, base) as unknown as StoredEvent;
}

/** One line for humans: what the event is about, without its time, type, outcome and actor. */
export function describeEvent(e: StoredEvent): string {
  const short = (id: string | undefined): string => (id ? id.slice(0, 12) : '?');
  const why = e.reason ? ` — ${e.reason}` : '';
  switch (e.type) {
    case 'load':
      return `${e.ingestor} run ${e.runId} → ${e.target}${e.rows === undefined ? '' : `, ${e.rows} rows`}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.failedChecks?.length ? `, failed: ${e.failedChecks.join(', ')}` : ''}${why}`;
    case 'check': {
      const s = e.summary;
      return `${e.ref} @ ${short(e.commit)}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error${why}`;
    }
    case 'merge':
      return `${e.source} → ${e.destination}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.forced ? ' (forced)' : ''}${e.failedChecks?.length ? `, failed: ${e.failedChecks.join(', ')}` : ''}${why}`;
    case 'build':
      return `${e.command && e.command !== 'build' ? `${e.command} ` : ''}${e.branch}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.models ? `: ${e.models.built} built, ${e.models.reused} reused, ${e.models.failed} failed` : ''}${e.tests ? `${e.models ? ',' : ':'} ${e.tests.pass} test(s) passed, ${e.tests.fail + e.tests.error} failed` : ''}${why}`;
    case 'promote':
      return `${e.source} @ ${short(e.commit)} → ${e.environment}${why}`;
    case 'deploy':
      return `${e.environment} ${e.deployId} (${e.colour}) @ ${short(e.commit)}, smoke ${e.smoke}${e.loads ? `, ${e.loads.length} new load(s)` : ''}${why}`;
    case 'rollback':
      return `${e.environment} → ${e.deployId} @ ${short(e.commit)}${e.fromDeployId ? ` (undoing ${e.fromDeployId})` : ''}${why}`;
    case 'alert':
      return `${e.sink}${e.alertType ? ` ${e.alertType}` : ''} attempt ${e.attempt}${e.status === undefined ? '' : ` (HTTP ${e.status})`}${why}`;
  }
}

// ---- durations and times -----------------------------------------------------------------------

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w)/g;

/** `30m`, `24h`, `7d`, `2w`, `1d12h`, `500ms` → milliseconds. InvalidArgumentError otherwise. */
export function parseDuration(text: string, argument = 'duration'): number {
  const s = text.trim();
  if (!DURATION.test(s))
    throw invalid(
      argument,
      `expected a duration such as 30m, 24h or 7d (got ${JSON.stringify(text)})`,
    );
  let ms = 0;
  for (const [, n, unit] of s.matchAll(DURATION_PART))
    ms += Number(n) * (UNIT_MS[unit as string] as number);
  return ms;
}

/**
 * A point in time given as a duration back from `now` (`7d`, `24h`, `30m`) or as an ISO-8601
 * date or time (`2024-05-01`, `2024-05-01T12:00:00Z`). InvalidArgumentError otherwise.
 */
export function parseSince(text: string, now: Date = new Date(), argument = '--since'): Date {
  const s = text.trim();
  if (DURATION.test(s)) return new Date(now.getTime() - parseDuration(s, argument));
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  throw invalid(
    argument,
    `expected a duration such as 7d, 24h or 30m, or an ISO date or time (got ${JSON.stringify(text)})`,
  );
}

function toDate(v: string | Date, argument: string): Date {
  const d = typeof v === 'string' ? new Date(v) : v;
  if (!Number.isFinite(d.getTime()))
    throw invalid(argument, `not a valid time: ${JSON.stringify(String(v))}`);
  return d;
}

function invalid(argument: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`${argument}: ${reason}`, { argument, reason });
}

// ---- what a deploy brings ----------------------------------------------------------------------

/**
 * The successful loads whose ingest commit is in `to` and not in `from` (both refs or commit
 * ids; no `from` = everything in `to`), oldest commit first — what a deploy of `to` over `from`
 * brings to an environment, for its event's `loads`. One walk of the commits between the two
 * (git's `from..to`, highest generation first), then one read of the loads since the oldest of
 * them.
 */
export async function newLoads(
  repo: Repository,
  to: string,
  from?: string,
): Promise<DeployedLoad[]> {
  const commits = await commitsBetween(
    repo,
    (await repo.resolve(to)).commit,
    from === undefined ? undefined : (await repo.resolve(from)).commit,
  );
  if (commits.size === 0) return [];
  let oldest = Number.POSITIVE_INFINITY;
  for (const c of commits.values()) oldest = Math.min(oldest, c.createdAt.getTime());
  const out: DeployedLoad[] = [];
  const seen = new Set<string>();
  // A load event is recorded after its commit, so none of these is older than the oldest commit.
  for await (const e of listEvents(repo, { types: ['load'], since: new Date(oldest) })) {
    if (e.type !== 'load' || e.outcome !== 'success' || e.commit === undefined) continue;
    const c = commits.get(e.commit);
    if (!c || seen.has(e.runId)) continue;
    seen.add(e.runId);
    out.push({
      runId: e.runId,
      ingestor: e.ingestor,
      commit: e.commit,
      committedAt: c.createdAt.toISOString(),
    });
  }
  return out.sort((a, b) => a.committedAt.localeCompare(b.committedAt));
}

/** Commits reachable from `to` and not from `from`, by id. */
async function commitsBetween(
  repo: Repository,
  to: CommitId,
  from: CommitId | undefined,
): Promise<Map<string, Commit>> {
  const IN = 1;
  const OUT = 2;
  const flags = new Map<string, number>();
  const queued = new Set<string>();
  const queue = new MaxHeap<Commit>((c) => c.generation);
  let queuedIn = 0; // queued commits not (yet) known to be reachable from `from`
  const visit = async (id: CommitId, f: number): Promise<void> => {
    const old = flags.get(id);
    if (old === undefined) {
      flags.set(id, f);
      queued.add(id);
      if (f === IN) queuedIn++;
      queue.push(await repo.ctx.commits.get(id));
      return;
    }
    if ((old | f) === old) return;
    flags.set(id, old | f);
    if (old === IN && queued.has(id)) queuedIn--;
  };
  const result = new Map<string, Commit>();
  await visit(to, IN);
  if (from !== undefined) await visit(from, OUT);
  // Parents have lower generations than children: a commit's flags are final when it is popped.
  // Once every queued commit is reachable from `from`, so is everything older: stop.
  while (queuedIn > 0) {
    const c = queue.pop() as Commit;
    queued.delete(c.id);
    const f = flags.get(c.id) as number;
    if (f === IN) {
      queuedIn--;
      result.set(c.id, c);
    }
    for (const p of c.parents) await visit(p, f);
  }
  return result;
}

/** A binary max-heap by `key`. */
class MaxHeap<T> {
  readonly #items: T[] = [];
  constructor(readonly key: (x: T) => number) {}
  push(x: T): void {
    const a = this.#items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.key(a[p] as T) >= this.key(a[i] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l] as T) > this.key(a[m] as T)) m = l;
        if (r < a.length && this.key(a[r] as T) > this.key(a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

// ---- build events ---------------------------------------------------------------------------

/** Seeds and models by status, and tests by status: a build event's `models` and `tests`. */
export function buildCounts(
  run: BuildRun,
): Required<Pick<BuildEvent, 'models'>> & Pick<BuildEvent, 'tests'> {
  const n = (test: boolean, status: NodeResult['status']): number =>
    run.results.filter((r) => (r.kind === 'test') === test && r.status === status).length;
  const tests = run.results.some((r) => r.kind === 'test');
  return {
    models: {
      built: n(false, 'success'),
      reused: n(false, 'reused'),
      failed: n(false, 'error'),
      skipped: n(false, 'skipped'),
    },
    ...(tests
      ? {
          tests: {
            pass: n(true, 'pass'),
            warn: n(true, 'warn'),
            fail: n(true, 'fail'),
            error: n(true, 'error'),
            skipped: n(true, 'skipped'),
          },
        }
      : {}),
  };
}

/** The event of a build that returned: success, or failure when a node failed. */
export function buildEvent(command: BuildCommand, outcome: BuildOutcome): BuildEvent {
  const { run } = outcome;
  const base = {
    type: 'build' as const,
    branch: run.branch,
    runId: run.id,
    command,
    ...buildCounts(run),
    durationMs: run.completedAt.getTime() - run.startedAt.getTime(),
  };
  if (run.status === 'success')
    return {
      ...base,
      outcome: 'success',
      ...(outcome.landed ? { commit: outcome.landed.id } : {}),
    };
  // `sluice test` writes nothing, so it leaves no run branch to point at.
  const where = command === 'test' ? '' : ` (outputs on ${run.runBranch})`;
  return {
    ...base,
    outcome: 'failure',
    reason: `the build failed: ${describeBroken(run)}${where}`,
  };
}

/** `test unique(email) fail, model orders error`: what failed in a build, for a reason. */
export function describeBroken(run: BuildRun): string {
  return run.results
    .filter((r) => r.status === 'error' || r.status === 'fail')
    .map((r) => `${r.kind} ${r.name} ${r.status}`)
    .join(', ');
}

/**
 * The event of a build that threw: a project that cannot compile, a branch with uncommitted
 * changes, or the final merge refused — buildProject then attaches the run (its outputs stay on
 * the run branch).
 */
export function buildErrorEvent(
  command: BuildCommand,
  branch: string,
  err: unknown,
  startedAt: number,
): BuildEvent {
  const run = (err as { run?: BuildRun } | null)?.run;
  return {
    type: 'build',
    outcome: 'error',
    branch,
    command,
    ...(run ? { runId: run.id, ...buildCounts(run) } : {}),
    reason: `${errorLine(err)}${run && command !== 'test' ? ` (outputs on ${run.runBranch})` : ''}`,
    durationMs: Date.now() - startedAt,
  };
}
