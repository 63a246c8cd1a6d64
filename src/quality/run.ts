// Running checks: specs compile into as few scans as the checks allow, never one query per check
// (run/query-plan.ts); failing-row samples are fetched afterwards, only for checks that did not
// pass, with a limit. Every spec is validated against the tables at the ref first (table,
// columns, referenced table and field): a wrong name is a CheckSpecError with file and line
// before any query runs.
//
// `runChecks` runs named phases over one state (run/state.ts):
//   resolve (ref, commit, verdicts reused from `opts.reuse`: run/measured.ts, reuse.ts)
//   → validate the specs (run/validate-specs.ts) → plan the queries (run/query-plan.ts)
//   → execute them and decide each verdict (run/execute.ts, run/verdicts.ts)
//   → samples for checks that did not pass (run/samples.ts)
//   → history checks (run/history-checks.ts) → assemble the run and record what it measured
//   → store (run/store-run.ts).
import type { Json } from '@duckdb/node-api';
import type { Repository } from '../core/repository.js';
import type { DuckOptions } from '../engine/duckdb.js';
import { type SqlSession, withSqlSession } from '../engine/session.js';
import { listTables } from '../engine/tables.js';
import { readsExactly } from './data-at-ref.js';
import type { TableProfile } from './profile.js';
import { executePlan } from './run/execute.js';
import { runHistoryChecks } from './run/history-checks.js';
import { recordMeasured, reusableResults } from './run/measured.js';
import { planQueries } from './run/query-plan.js';
import { takeSamples } from './run/samples.js';
import { queriesIn, type RunState } from './run/state.js';
import { storeRun } from './run/store-run.js';
import { validateSpecs } from './run/validate-specs.js';
import type { CheckSpec } from './spec.js';
import { type CheckStatus, type CheckSummary, summarize, worstStatus } from './summary.js';

export { storeRun } from './run/store-run.js';
export { validateSpecs } from './run/validate-specs.js';
export { verdict } from './run/verdicts.js';
export type { CheckStatus, CheckSummary } from './summary.js';
export type Row = Record<string, Json>;

export interface CheckResult {
  id: string;
  name: string;
  table: string;
  column?: string;
  type: string;
  severity: 'warn' | 'error';
  status: CheckStatus;
  /** The measured value: an aggregate, the freshest timestamp, the failing count, … */
  observed?: Json;
  /** Rows the check looked at (after `where`; non-null rows for value checks). */
  elementCount?: number;
  unexpectedCount?: number;
  unexpectedPercent?: number;
  /** Failing rows (all columns, keys included), for checks that did not pass. */
  sample?: Row[];
  message?: string;
  source: { file: string; line: number };
}

export interface CheckRun {
  /** Set when the run was stored. */
  id?: string;
  ref: string;
  commit: string;
  startedAt: Date;
  durationMs: number;
  /** Queries run (scans, group-bys, anti-joins, custom SQL, samples). */
  queries: number;
  results: CheckResult[];
  /** The profile of each table checked, when stored or needed by an anomaly check (same scans). */
  profiles: TableProfile[];
  summary: CheckSummary;
  /** The worst status: what `sluice check` turns into its exit code. */
  status: CheckStatus;
  /**
   * Ids of the results taken from an earlier run on the same commit (`reuse`) instead of being
   * measured again; absent when every result was measured by this run.
   */
  reused?: string[];
}

export interface RunOptions {
  ref?: string;
  /** Only the checks of this table. */
  table?: string;
  /** Failing rows per check; default 5. */
  sample?: number;
  duck?: DuckOptions;
  cacheDir?: string;
  /** Clock for freshness checks (tests). */
  now?: Date;
  /**
   * Store the run, its results and the profile of each table checked (per commit: the history
   * that anomaly checks read). The CLI stores; the library default is not to.
   */
  store?: boolean;
  /**
   * Run in this open session (attached to `ref`) instead of opening one: a pipeline testing each
   * model right after building it.
   */
  session?: SqlSession;
  /**
   * An earlier run whose verdicts stand for this one where they provably would come out the same
   * (see `reusableResults`): a gate checking the very commit a load's audit already checked.
   */
  reuse?: CheckRun;
}

/** Runs the checks on the tables at a ref. */
export async function runChecks(
  repo: Repository,
  all: CheckSpec[],
  opts: RunOptions = {},
): Promise<CheckRun> {
  const s = await resolveRun(repo, all, opts);
  const plan = planQueries(s.specs, opts.store);
  // Everything reused: no session to open.
  if (s.specs.length > 0)
    await inSession(s, async (session) => {
      const q = queriesIn(s, session);
      await executePlan(s, session, q, plan);
      await takeSamples(s, q);
    });
  // Checks that compare with history: an earlier version of the table, stored profiles.
  await runHistoryChecks(s);
  const run = assembleRun(s);
  await recordMeasured(s, run);
  if (opts.store) await storeRun(repo, run);
  return run;
}

/** The ref's commit and tables, the verdicts reused, and the specs left to measure, validated. */
async function resolveRun(repo: Repository, all: CheckSpec[], opts: RunOptions): Promise<RunState> {
  const ref = opts.ref ?? repo.defaultBranch;
  const startedAt = new Date();
  const t0 = performance.now();
  const commit = (await repo.resolve(ref)).commit;
  // A pipeline's session may hold outputs not committed yet: its runs are never reused.
  const pinned = !opts.session && (await readsExactly(repo, ref, commit));
  const wanted = opts.table ? all.filter((s) => s.table === opts.table) : all;
  const reused = reusableResults(opts.reuse, wanted, commit);
  const toRun = wanted.filter((s) => !reused.has(s.id));
  const tables = await listTables(repo, ref);
  const specs = validateSpecs(toRun, tables, ref);
  return {
    repo,
    opts,
    ref,
    commit,
    startedAt,
    t0,
    pinned,
    wanted,
    reused,
    tables,
    specs,
    now: opts.now ?? new Date(),
    results: new Map(reused),
    profiles: new Map(),
    queries: 0,
  };
}

/** Runs `fn` in the caller's session, or in one attached to the run's ref. */
async function inSession(s: RunState, fn: (session: SqlSession) => Promise<void>): Promise<void> {
  const { opts } = s;
  await (opts.session
    ? fn(opts.session)
    : withSqlSession(s.repo, { refs: [s.ref], duck: opts.duck, cacheDir: opts.cacheDir }, fn));
}

/** The run: its results in the order the specs were asked for, their summary and worst status. */
function assembleRun(s: RunState): CheckRun {
  const ordered = s.wanted.map((spec) => s.results.get(spec.id) as CheckResult);
  return {
    ref: s.ref,
    commit: s.commit,
    startedAt: s.startedAt,
    durationMs: performance.now() - s.t0,
    queries: s.queries,
    results: ordered,
    profiles: [...s.profiles.values()],
    summary: summarize(ordered),
    status: worstStatus(ordered),
    ...(s.reused.size > 0 ? { reused: [...s.reused.keys()] } : {}),
  };
}
