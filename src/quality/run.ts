// Running checks: specs compile into as few scans as the checks allow, never one query per check.
//
// - All row and aggregate checks of one table and one `where` filter are one aggregate SELECT:
//   each row check adds `count(*) FILTER (WHERE <fails>)`, each aggregate check its aggregate.
// - Uniqueness checks share one GROUP BY per key set (and filter).
// - A relationship is one anti-join against the referenced table.
// - Custom SQL counts the failing rows its query returns; schema checks read the manifest only.
// Failing-row samples are fetched afterwards, only for checks that did not pass, with a limit.
//
// Every spec is validated against the tables at the ref first (table, columns, referenced table
// and field): a wrong name is a CheckSpecError with file and line before any query runs.
import type { Json } from '@duckdb/node-api';
import type { CheckSpecError } from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, sqlIdent } from '../engine/duckdb.js';
import { type SqlSession, schemaNameOf, withSqlSession } from '../engine/session.js';
import { type Column, fileRows, getTable, listTables, type TableAtRef } from '../engine/tables.js';
import { checkDef, type ProfileMetric, refTable, strictness } from './checks.js';
import { dataAtRef, readsExactly } from './data-at-ref.js';
import {
  type FooterFacts,
  footerFacts,
  metricOf,
  type ProfilePlan,
  profileExprs,
  profileHistory,
  readProfile,
  storeProfile,
  type TableProfile,
} from './profile.js';
import { definitionDigest, verdictReusable } from './reuse.js';
import { type CheckSpec, checkSpecError, type Threshold } from './spec.js';
import { type CheckStatus, type CheckSummary, summarize, worstStatus } from './summary.js';

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

function specError(spec: CheckSpec, reason: string): CheckSpecError {
  return checkSpecError(spec.source.file, spec.source.line, reason);
}

/** The column of a table by name, ignoring case (the table's spelling is returned). */
function columnOf(t: TableAtRef, name: string): Column | undefined {
  return t.manifest.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Checks every name a spec uses against the tables at the ref; returns the specs, resolved. */
export function validateSpecs(
  specs: CheckSpec[],
  tables: Map<string, TableAtRef>,
  ref: string,
): CheckSpec[] {
  return specs.map((spec) => {
    const t = tables.get(spec.table);
    if (!t) throw specError(spec, `table ${spec.table} does not exist at ${ref}`);
    const col = (name: string): string => {
      const c = columnOf(t, name);
      if (!c)
        throw specError(
          spec,
          `table ${spec.table} has no column ${name} (columns: ${t.manifest.columns.map((x) => x.name).join(', ')})`,
        );
      return c.name;
    };
    const out: CheckSpec = { ...spec, params: { ...spec.params } };
    if (spec.column !== undefined) out.column = col(spec.column);
    if (spec.type === 'unique' && spec.column === undefined) {
      const cols = (spec.params.columns ?? spec.params.combination_of_columns) as
        | string[]
        | undefined;
      if (!cols) throw specError(spec, 'a table-level unique check needs columns: [...]');
      out.params.columns = cols.map(col);
    }
    if (spec.type === 'relationships') {
      const target = tables.get(refTable(String(spec.params.to)));
      if (!target)
        throw specError(
          spec,
          `relationships: table ${refTable(String(spec.params.to))} does not exist at ${ref}`,
        );
      const f = columnOf(target, String(spec.params.field));
      if (!f)
        throw specError(
          spec,
          `relationships: table ${target.name} has no column ${spec.params.field}`,
        );
      out.params.to = target.name;
      out.params.field = f.name;
    }
    return out;
  });
}

// ---- verdicts that can be reused (reuse.ts decides which) --------------------------------------

/**
 * The verdicts runChecks measured, per run it returned — recorded only when the data it read was
 * exactly one commit's (see `readsExactly`, data-at-ref.ts) — as they were then: a copy, so neither a caller's
 * later edits of the run nor a run object built by hand can stand in for a measurement.
 */
const measured = new WeakMap<
  CheckRun,
  { commit: string; results: Map<string, { definition: string; result: CheckResult }> }
>();

/**
 * The results of `run` that hold for `specs` at `commit` without measuring again: `run` was
 * measured by runChecks on exactly that commit's data (same commit id ⇒ same files ⇒ same
 * rows), the spec is defined exactly as it was then (same id and definition digest), its
 * verdict depends on the data alone (`verdictReusable`, reuse.ts), and it did not error (an error
 * may be transient). Anything else must run again. A result taken carries the
 * spec's current name and source (file and line).
 */
function reusableResults(
  run: CheckRun | undefined,
  specs: CheckSpec[],
  commit: string,
): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>();
  const m = run ? measured.get(run) : undefined;
  if (!m || m.commit !== commit) return out;
  for (const s of specs) {
    const was = m.results.get(s.id);
    if (
      was &&
      was.result.status !== 'error' &&
      verdictReusable(s) &&
      was.definition === definitionDigest(s)
    )
      out.set(s.id, { ...structuredClone(was.result), name: s.name, source: s.source });
  }
  return out;
}

/** Runs the checks on the tables at a ref. */
export async function runChecks(
  repo: Repository,
  all: CheckSpec[],
  opts: RunOptions = {},
): Promise<CheckRun> {
  const ref = opts.ref ?? repo.defaultBranch;
  const started = new Date();
  const t0 = performance.now();
  const commit = (await repo.resolve(ref)).commit;
  // A pipeline's session may hold outputs not committed yet: its runs are never reused.
  const pinned = !opts.session && (await readsExactly(repo, ref, commit));
  const wanted = opts.table ? all.filter((s) => s.table === opts.table) : all;
  const reused = reusableResults(opts.reuse, wanted, commit);
  const toRun = wanted.filter((s) => !reused.has(s.id));
  const tables = await listTables(repo, ref);
  const specs = validateSpecs(toRun, tables, ref);
  const sampleSize = opts.sample ?? 5;
  const now = opts.now ?? new Date();
  const results = new Map<string, CheckResult>(reused);
  const profiles = new Map<string, TableProfile>();
  let queries = 0;

  const within = async (fn: (s: SqlSession) => Promise<void>): Promise<void> => {
    if (specs.length === 0) return; // everything was reused: no session to open
    await (opts.session
      ? fn(opts.session)
      : withSqlSession(repo, { refs: [ref], duck: opts.duck, cacheDir: opts.cacheDir }, fn));
  };
  await within(async (session) => {
    const duck = session.duck;
    const schema = sqlIdent(schemaNameOf(ref));
    const from = (table: string): string => `${schema}.${sqlIdent(table)}`;
    const query = async (sql: string) => {
      queries++;
      return duck.query(sql);
    };
    const setError = (spec: CheckSpec, err: unknown): void => {
      results.set(spec.id, {
        ...baseResult(spec),
        status: 'error',
        message: err instanceof Error ? err.message : String(err),
      });
    };

    // 1. One aggregate scan per table and filter: row checks, aggregates, freshness — and, in
    // the unfiltered scan of each table, the table's profile (no extra pass over the data).
    const scans = new Map<string, { table: string; where?: string; specs: CheckSpec[] }>();
    const scanOf = (table: string, where: string | undefined) => {
      const key = `${table}\u0000${where ?? ''}`;
      let g = scans.get(key);
      if (!g) {
        g = { table, ...(where !== undefined ? { where } : {}), specs: [] };
        scans.set(key, g);
      }
      return g;
    };
    for (const s of specs) {
      const kind = checkDef(s.type).kind;
      if (kind === 'rows' || kind === 'aggregate' || kind === 'freshness')
        scanOf(s.table, s.where).specs.push(s);
    }
    // The profile is measured only when it is stored, or when an anomaly check compares with
    // it; and then cheaply (profile.ts): counts and ranges from the Parquet footers, the metrics
    // that need every value only for the columns anomaly checks watch.
    const profiled = new Set(
      specs.filter((s) => opts.store || s.type === 'anomaly').map((s) => s.table),
    );
    const watched = new Set(
      specs.filter((s) => s.type === 'anomaly').map((s) => `${s.table}\u0000${s.column ?? ''}`),
    );
    const plans = new Map<string, Required<ProfilePlan>>();
    for (const name of profiled) {
      const t = tables.get(name) as TableAtRef;
      const paths: string[] = [];
      for (const f of t.files) paths.push(await session.cache.fileFor(f));
      let footer: FooterFacts = { nulls: new Map(), range: new Map() };
      try {
        queries++;
        footer = await footerFacts(duck, t, paths);
      } catch {
        // Footers that DuckDB cannot read as expected: the scan measures everything instead.
      }
      plans.set(name, { footer, deep: (c) => watched.has(`${name}\u0000${c}`) });
      scanOf(name, undefined);
    }
    for (const group of scans.values()) {
      const plan = group.where === undefined ? plans.get(group.table) : undefined;
      const cols = (tables.get(group.table) as TableAtRef).manifest.columns;
      const exprs = ['count(*) AS "__rows"', ...(plan ? profileExprs(cols, plan) : [])];
      const fused = fusedScanExprs(group.specs);
      exprs.push(...fused.exprs);
      const sql = `SELECT ${exprs.join(', ')} FROM ${from(group.table)}${whereSql(group.where)}`;
      let row: Row | undefined;
      try {
        row = fused.unpack((await query(sql)).rows[0] ?? {});
      } catch {
        // One bad expression (a where or a cast) must not take the others down: run them apart.
        if (plan) {
          try {
            const p = await query(
              `SELECT count(*) AS "__rows", ${profileExprs(cols, plan).join(', ')} FROM ${from(group.table)}`,
            );
            profiles.set(group.table, readProfile(group.table, cols, p.rows[0] ?? {}, plan.footer));
          } catch {
            // no profile of this table this time
          }
        }
        for (const [i, s] of group.specs.entries()) {
          try {
            const r = await query(
              `SELECT count(*) AS "__rows", ${scanExprs(s, i).join(', ')} FROM ${from(s.table)}${whereSql(s.where)}`,
            );
            results.set(s.id, scanResult(baseResult(s), s, i, r.rows[0] ?? {}, now));
          } catch (err) {
            setError(s, err);
          }
        }
        continue;
      }
      if (plan) profiles.set(group.table, readProfile(group.table, cols, row ?? {}, plan.footer));
      group.specs.forEach((s, i) => {
        results.set(s.id, scanResult(baseResult(s), s, i, row ?? {}, now));
      });
    }

    // 2. Uniqueness: one GROUP BY per key set and filter.
    const uniques = new Map<string, CheckSpec[]>();
    for (const s of specs) {
      if (s.type !== 'unique') continue;
      const cols = keyColumns(s);
      const key = `${s.table}\u0000${s.where ?? ''}\u0000${cols.join('\u0000')}`;
      uniques.set(key, [...(uniques.get(key) ?? []), s]);
    }
    for (const group of uniques.values()) {
      const s0 = group[0] as CheckSpec;
      const cols = keyColumns(s0).map(sqlIdent);
      const notNull = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
      const sql =
        `WITH g AS (SELECT ${cols.join(', ')}, count(*) AS n FROM ${from(s0.table)} WHERE ${notNull}${s0.where ? ` AND (${s0.where})` : ''} GROUP BY ALL) ` +
        'SELECT coalesce(sum(n), 0) AS rows, count(*) FILTER (WHERE n > 1) AS dup_values, coalesce(sum(n) FILTER (WHERE n > 1), 0) AS dup_rows FROM g';
      try {
        const r = (await query(sql)).rows[0] ?? {};
        for (const s of group) {
          const element = Number(r.rows ?? 0);
          const unexpected = Number(r.dup_rows ?? 0);
          results.set(
            s.id,
            countResult(baseResult(s), s, element, unexpected, Number(r.dup_values ?? 0)),
          );
        }
      } catch (err) {
        for (const s of group) setError(s, err);
      }
    }

    // 3. Relationships (anti-joins), custom SQL, schema.
    for (const s of specs) {
      const kind = checkDef(s.type).kind;
      try {
        if (kind === 'relationship') {
          const c = sqlIdent(s.column as string);
          const other = `(SELECT DISTINCT ${sqlIdent(String(s.params.field))} AS k FROM ${from(String(s.params.to))})`;
          const sql =
            `SELECT (SELECT count(${c}) FROM ${from(s.table)}${whereSql(s.where)}) AS n, ` +
            `(SELECT count(*) FROM ${from(s.table)} t ANTI JOIN ${other} o ON t.${c} = o.k WHERE t.${c} IS NOT NULL${s.where ? ` AND (${s.where})` : ''}) AS u`;
          const r = (await query(sql)).rows[0] ?? {};
          results.set(s.id, countResult(baseResult(s), s, Number(r.n ?? 0), Number(r.u ?? 0)));
        } else if (kind === 'sql') {
          const r =
            (await query(`SELECT count(*) AS u FROM (${String(s.params.query)})`)).rows[0] ?? {};
          const u = Number(r.u ?? 0);
          results.set(s.id, countResult(baseResult(s), s, u, u, u));
        } else if (kind === 'schema') {
          // Declared types in DuckDB's own spelling (TIMESTAMPTZ, INT8, numeric(10, 2) …), as
          // the manifest holds them.
          const canonical = async (type: string): Promise<string> =>
            String((await duck.query(`SELECT typeof(CAST(NULL AS ${type})) AS t`)).rows[0]?.t);
          results.set(
            s.id,
            await schemaResult(baseResult(s), s, tables.get(s.table) as TableAtRef, canonical),
          );
        }
      } catch (err) {
        setError(s, err);
      }
    }

    // 4. Samples of failing rows, only for checks that did not pass.
    if (sampleSize > 0) {
      for (const s of specs) {
        const r = results.get(s.id);
        if (!r || r.status === 'pass' || r.status === 'error') continue;
        const sql = sampleSql(s, from, sampleSize);
        if (!sql) continue;
        try {
          r.sample = (await query(sql)).rows;
        } catch {
          // A sample is a courtesy; the verdict stands without it.
        }
      }
    }
  });

  // 5. Checks that compare with history: an earlier version of the table, stored profiles.
  for (const s of specs) {
    if (checkDef(s.type).kind !== 'history') continue;
    const r = baseResult(s);
    try {
      results.set(
        s.id,
        s.type === 'row_count_change'
          ? await rowCountChange(repo, r, s, commit, tables.get(s.table) as TableAtRef)
          : await anomaly(repo, r, s, commit, profiles.get(s.table)),
      );
    } catch (err) {
      results.set(s.id, {
        ...r,
        status: 'error',
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  const ordered = wanted.map((s) => results.get(s.id) as CheckResult);
  const summary = summarize(ordered);
  const worst = worstStatus(ordered);
  const run: CheckRun = {
    ref,
    commit,
    startedAt: started,
    durationMs: performance.now() - t0,
    queries,
    results: ordered,
    profiles: [...profiles.values()],
    summary,
    status: worst,
    ...(reused.size > 0 ? { reused: [...reused.keys()] } : {}),
  };
  // Recorded only if nothing moved under the run: the same commit, still nothing uncommitted.
  if (pinned && (await readsExactly(repo, ref, commit)))
    measured.set(run, {
      commit,
      results: new Map(
        wanted.map((s) => [
          s.id,
          {
            definition: definitionDigest(s),
            result: structuredClone(results.get(s.id) as CheckResult),
          },
        ]),
      ),
    });
  if (opts.store) await storeRun(repo, run);
  return run;
}

/** Stores a run, its results, and the profiles of tables whose data is exactly the commit's. */
export async function storeRun(repo: Repository, run: CheckRun): Promise<void> {
  const id = newRunId(run.startedAt);
  run.id = id;
  const { results, profiles, ...rest } = run;
  await repo.meta.putCheckRun(
    repo.name,
    {
      id,
      ref: run.ref,
      commitId: run.commit,
      createdAt: run.startedAt,
      status: run.status,
      data: JSON.stringify(rest),
    },
    results.map((r) => ({
      runId: id,
      checkId: r.id,
      table: r.table,
      commitId: run.commit,
      createdAt: run.startedAt,
      status: r.status,
      data: JSON.stringify(r),
    })),
  );
  for (const p of profiles) {
    const { commit, exact } = await dataAtRef(repo, run.ref, p.table);
    if (exact) await storeProfile(repo, p, commit, run.startedAt);
  }
}

const rowsOf = (t: TableAtRef): number => t.files.reduce((n, f) => n + (fileRows(f) ?? 0), 0);

async function rowCountChange(
  repo: Repository,
  r: CheckResult,
  s: CheckSpec,
  commit: string,
  current: TableAtRef,
): Promise<CheckResult> {
  const to = (s.params.compare_to as string | undefined) ?? 'previous';
  const base =
    to === 'previous' ? (await repo.getCommit(commit)).parents[0] : (await repo.resolve(to)).commit;
  const then =
    base === undefined ? undefined : await getTable(repo, base, s.table).catch(() => undefined);
  if (!then) return { ...r, message: `no earlier version of ${s.table} to compare with (${to})` };
  const now = rowsOf(current);
  const before = rowsOf(then);
  const pct =
    before === 0 ? (now === 0 ? 0 : Number.POSITIVE_INFINITY) : (100 * (now - before)) / before;
  const up = s.params.max_increase_pct as number | undefined;
  const down = s.params.max_decrease_pct as number | undefined;
  const bad = (up !== undefined && pct > up) || (down !== undefined && -pct > down);
  const change = Number.isFinite(pct) ? `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %` : 'from none';
  return {
    ...r,
    status: bad ? failingStatus(s) : 'pass',
    observed: Number.isFinite(pct) ? Math.round(pct * 100) / 100 : null,
    message: `${before} → ${now} rows (${change}) vs ${to}`,
  };
}

async function anomaly(
  repo: Repository,
  r: CheckResult,
  s: CheckSpec,
  commit: string,
  profile: TableProfile | undefined,
): Promise<CheckResult> {
  const metric = s.params.metric as ProfileMetric;
  const value = profile && metricOf(profile, metric, s.column);
  if (value === undefined)
    return { ...r, status: 'error', message: `${metric} cannot be measured here` };
  const lookback = (s.params.lookback as number | undefined) ?? 20;
  const need = (s.params.min_history as number | undefined) ?? 5;
  const sensitivity = (s.params.sensitivity as number | undefined) ?? 3;
  const history = (await profileHistory(repo, s.table, commit, lookback))
    .map((p) => metricOf(p, metric, s.column))
    .filter((v): v is number => v !== undefined);
  if (history.length < need)
    return {
      ...r,
      observed: value,
      message: `collecting history: ${history.length} of ${need} profiles`,
    };
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / (history.length - 1));
  const z =
    sd === 0 ? (value === mean ? 0 : Number.POSITIVE_INFINITY) : Math.abs(value - mean) / sd;
  const zText = Number.isFinite(z) ? z.toFixed(2) : '∞';
  return {
    ...r,
    status: z > sensitivity ? failingStatus(s) : 'pass',
    observed: value,
    message: `${value} vs mean ${mean.toFixed(2)} ± ${sd.toFixed(2)} over ${history.length} commits: z = ${zText} (limit ${sensitivity})`,
  };
}

/** A result for a spec before anything is measured: passing, with the spec's identity. */
function baseResult(spec: CheckSpec): CheckResult {
  return {
    id: spec.id,
    name: spec.name,
    table: spec.table,
    ...(spec.column !== undefined ? { column: spec.column } : {}),
    type: spec.type,
    severity: spec.severity,
    status: 'pass',
    source: spec.source,
  };
}

const whereSql = (where: string | undefined): string => (where ? ` WHERE (${where})` : '');

function keyColumns(s: CheckSpec): string[] {
  return s.column !== undefined ? [s.column] : (s.params.columns as string[]);
}

/** The SQL predicate a failing, non-null value meets (row checks other than not_null). */
function failingPredicate(s: CheckSpec): string {
  const def = checkDef(s.type);
  return (def.failing as (col: string, p: Record<string, unknown>) => string)(
    sqlIdent(s.column as string),
    s.params,
  );
}

/** The quantile a median or quantile check measures; undefined for other checks. */
const quantileOf = (s: CheckSpec): number | undefined =>
  s.type === 'median' ? 0.5 : s.type === 'quantile' ? Number(s.params.q) : undefined;

/**
 * The select list of one fused scan: each check's expressions, except that the quantiles of one
 * column (median, quantile checks) share one `quantile_cont(col, [q…])`, so the column's values
 * are buffered and sorted once. `unpack` spreads the shared list back into each check's `o{i}`.
 */
function fusedScanExprs(specs: CheckSpec[]): { exprs: string[]; unpack: (row: Row) => Row } {
  const byColumn = new Map<string, { i: number; q: number }[]>();
  specs.forEach((s, i) => {
    const q = quantileOf(s);
    if (q !== undefined && s.column !== undefined)
      byColumn.set(s.column, [...(byColumn.get(s.column) ?? []), { i, q }]);
  });
  const shared = [...byColumn.entries()].filter(([, qs]) => qs.length > 1);
  const sharedIds = new Set(shared.flatMap(([, qs]) => qs.map((x) => x.i)));
  const exprs: string[] = [];
  specs.forEach((s, i) => {
    exprs.push(
      ...(sharedIds.has(i)
        ? [`count(${sqlIdent(s.column as string)}) AS "n${i}"`]
        : scanExprs(s, i)),
    );
  });
  shared.forEach(([column, qs], k) => {
    exprs.push(
      `quantile_cont(${sqlIdent(column)}, [${qs.map((x) => x.q).join(', ')}]) AS "qs${k}"`,
    );
  });
  const unpack = (row: Row): Row => {
    const out: Row = { ...row };
    shared.forEach(([, qs], k) => {
      const list = row[`qs${k}`];
      qs.forEach((x, j) => {
        out[`o${x.i}`] = Array.isArray(list) ? (list[j] ?? null) : null;
      });
    });
    return out;
  };
  return { exprs, unpack };
}

function scanExprs(s: CheckSpec, i: number): string[] {
  const def = checkDef(s.type);
  if (s.type === 'row_count') return [];
  if (def.kind === 'aggregate' || def.kind === 'freshness') {
    const col = sqlIdent(s.column ?? '');
    return [
      `${(def.observed as (c: string, p: Record<string, unknown>) => string)(col, s.params)} AS "o${i}"`,
      // The values the aggregate looked at: the column's non-NULL ones.
      ...(s.column !== undefined ? [`count(${col}) AS "n${i}"`] : []),
    ];
  }
  const c = sqlIdent(s.column as string);
  if (s.type === 'not_null')
    return [`count(*) FILTER (WHERE ${c} IS NULL) AS "u${i}"`, `count(*) AS "n${i}"`];
  return [
    `count(${c}) AS "n${i}"`,
    `count(*) FILTER (WHERE ${c} IS NOT NULL AND (${failingPredicate(s)})) AS "u${i}"`,
  ];
}

function scanResult(r: CheckResult, s: CheckSpec, i: number, row: Row, now: Date): CheckResult {
  const def = checkDef(s.type);
  if (def.kind === 'rows')
    return countResult(r, s, Number(row[`n${i}`] ?? 0), Number(row[`u${i}`] ?? 0));
  const observed = s.type === 'row_count' ? Number(row.__rows ?? 0) : (row[`o${i}`] ?? null);
  if (def.kind === 'freshness') return freshnessResult(r, s, observed, now);
  // Aggregates over no values (an empty table, an all-NULL column) have nothing to be wrong.
  if (observed === null) return { ...r, observed, message: 'no values to measure' };
  const out = outOfRange(observed, s.params);
  const status = out ? failingStatus(s) : 'pass';
  const element = s.column !== undefined ? row[`n${i}`] : row.__rows;
  return { ...r, status, observed, elementCount: Number(element ?? 0) };
}

/** Whether an observed aggregate lies outside the check's bounds (compared as numbers or text). */
function outOfRange(v: Json, p: Record<string, unknown>): boolean {
  const num =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))
        ? Number(v)
        : undefined;
  const cmp = (b: unknown): number => {
    if (num !== undefined && typeof b === 'number') return num - b;
    return String(v) < String(b) ? -1 : String(v) > String(b) ? 1 : 0;
  };
  const { strictMin, strictMax } = strictness(p);
  if (p.min !== undefined && (strictMin ? cmp(p.min) <= 0 : cmp(p.min) < 0)) return true;
  if (p.max !== undefined && (strictMax ? cmp(p.max) >= 0 : cmp(p.max) > 0)) return true;
  return false;
}

const failingStatus = (s: CheckSpec): CheckStatus => (s.severity === 'warn' ? 'warn' : 'fail');

function compare(t: Threshold, unexpected: number, element: number): boolean {
  const v = t.percent ? (element === 0 ? 0 : (100 * unexpected) / element) : unexpected;
  switch (t.op) {
    case '>':
      return v > t.value;
    case '>=':
      return v >= t.value;
    case '<':
      return v < t.value;
    case '<=':
      return v <= t.value;
    case '=':
      return v === t.value;
    case '!=':
      return v !== t.value;
  }
}

const ANY_FAILURE: Threshold = { op: '!=', value: 0, percent: false };

/**
 * A verdict from a failure count, as dbt decides it — severity error: error_if → fail, else
 * warn_if → warn; severity warn: warn_if → warn — or, with `mostly`, from the share that passed.
 */
export function verdict(s: CheckSpec, unexpected: number, element: number): CheckStatus {
  if (s.mostly !== undefined) {
    const ok = element === 0 || (element - unexpected) / element >= s.mostly;
    return ok ? 'pass' : failingStatus(s);
  }
  if (s.severity === 'error' && compare(s.errorIf ?? ANY_FAILURE, unexpected, element))
    return 'fail';
  if (compare(s.warnIf ?? ANY_FAILURE, unexpected, element)) return 'warn';
  return 'pass';
}

function countResult(
  r: CheckResult,
  s: CheckSpec,
  element: number,
  unexpected: number,
  observed?: number,
): CheckResult {
  return {
    ...r,
    status: verdict(s, unexpected, element),
    observed: observed ?? unexpected,
    elementCount: element,
    unexpectedCount: unexpected,
    unexpectedPercent: element === 0 ? 0 : (100 * unexpected) / element,
  };
}

const PERIOD_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function freshnessResult(r: CheckResult, s: CheckSpec, observed: Json, now: Date): CheckResult {
  if (observed === null)
    return { ...r, status: failingStatus(s), observed, message: 'no rows: nothing is fresh' };
  const t = Date.parse(
    String(observed)
      .replace(' ', 'T')
      .replace(/([+-]\d\d)$/, '$1:00'),
  );
  if (Number.isNaN(t))
    return {
      ...r,
      status: 'error',
      observed,
      message: `cannot read ${String(observed)} as a time`,
    };
  const ageMs = now.getTime() - t;
  const over = (a: unknown): boolean => {
    if (!a) return false;
    const { count, period } = a as { count: number; period: keyof typeof PERIOD_MS };
    return ageMs > count * PERIOD_MS[period];
  };
  const status: CheckStatus =
    over(s.params.error_after) && s.severity === 'error'
      ? 'fail'
      : over(s.params.error_after) || over(s.params.warn_after)
        ? 'warn'
        : 'pass';
  return {
    ...r,
    status,
    observed,
    message: `newest ${String(observed)}, ${Math.round(ageMs / 60_000)} min old`,
  };
}

async function schemaResult(
  r: CheckResult,
  s: CheckSpec,
  t: TableAtRef,
  canonical: (type: string) => Promise<string>,
): Promise<CheckResult> {
  const problems: string[] = [];
  const have = new Map(t.manifest.columns.map((c) => [c.name.toLowerCase(), c]));
  const wanted: { name: string; type?: string }[] = [];
  const cols = s.params.columns;
  if (Array.isArray(cols))
    for (const c of cols)
      wanted.push(typeof c === 'string' ? { name: c } : (c as { name: string; type?: string }));
  else if (cols && typeof cols === 'object')
    for (const [name, type] of Object.entries(cols)) wanted.push({ name, type: String(type) });
  for (const w of wanted) {
    const c = have.get(w.name.toLowerCase());
    if (!c) problems.push(`missing column ${w.name}`);
    else if (w.type && (await canonical(c.type)) !== (await canonical(w.type)))
      problems.push(`column ${c.name} is ${c.type}, expected ${w.type}`);
  }
  for (const f of (s.params.forbidden as string[] | undefined) ?? [])
    if (have.has(f.toLowerCase())) problems.push(`forbidden column ${f} is present`);
  if (s.params.allow_extra === false) {
    const names = new Set(wanted.map((w) => w.name.toLowerCase()));
    for (const c of t.manifest.columns)
      if (!names.has(c.name.toLowerCase())) problems.push(`unexpected column ${c.name}`);
  }
  return {
    ...countResult(r, s, Math.max(wanted.length, 1), problems.length),
    ...(problems.length ? { message: problems.join('; ') } : {}),
  };
}

function sampleSql(s: CheckSpec, from: (t: string) => string, n: number): string | undefined {
  const kind = checkDef(s.type).kind;
  const where = s.where ? ` AND (${s.where})` : '';
  if (kind === 'rows') {
    const c = sqlIdent(s.column as string);
    const cond =
      s.type === 'not_null' ? `${c} IS NULL` : `${c} IS NOT NULL AND (${failingPredicate(s)})`;
    return `SELECT * FROM ${from(s.table)} WHERE ${cond}${where} LIMIT ${n}`;
  }
  if (kind === 'unique') {
    const cols = keyColumns(s).map(sqlIdent);
    return (
      `SELECT * FROM ${from(s.table)} WHERE (${cols.join(', ')}) IN (SELECT (${cols.join(', ')}) FROM ${from(s.table)} ` +
      `WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}${where} GROUP BY ALL HAVING count(*) > 1)${where} ORDER BY ${cols.join(', ')} LIMIT ${n}`
    );
  }
  if (kind === 'relationship') {
    const c = sqlIdent(s.column as string);
    return (
      `SELECT t.* FROM ${from(s.table)} t ANTI JOIN (SELECT DISTINCT ${sqlIdent(String(s.params.field))} AS k FROM ${from(String(s.params.to))}) o ` +
      `ON t.${c} = o.k WHERE t.${c} IS NOT NULL${where} LIMIT ${n}`
    );
  }
  if (kind === 'sql') return `SELECT * FROM (${String(s.params.query)}) LIMIT ${n}`;
  return undefined;
}
