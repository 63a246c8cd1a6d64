// A table's metric profile: row count, and per column the NULL count, an approximate distinct
// count, and for numbers min / max / mean / stddev / quartiles (min / max for dates and times).
// Profiles are stored per commit: the history anomaly checks compare a new value with.
//
// A full profile (`sluice profile`, `check suggest`) measures every metric of every column in one
// scan (a few for a wide table: scan-batches.ts). The profile a check run stores is cheaper, because it must not slow the run down: the
// row count, NULL counts and min / max come from the Parquet footers' statistics (no data read),
// and the metrics that need every value (distinct counts, mean, stddev, quartiles) are measured
// only for the columns an anomaly check watches, in the run's own scan of the table. Stored
// profiles of one commit merge, so a later full profile fills in what a check run left out.
import type { Json } from '@duckdb/node-api';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, type DuckSession, sqlIdent, sqlList } from '../engine/duckdb.js';
import { schemaNameOf, withSqlSession } from '../engine/session.js';
import { type Column, fileRows, getTable, type TableAtRef } from '../engine/tables.js';
import type { ProfileMetric } from './checks.js';
import { dataAtRef } from './data-at-ref.js';
import { aggregateRow } from './scan-batches.js';

export interface ColumnProfile {
  type: string;
  nulls: number;
  nullPercent: number;
  /** Approximate (HyperLogLog); absent when not measured (see the top of this file). */
  distinct?: number;
  min?: Json;
  max?: Json;
  mean?: number;
  stddev?: number;
  p25?: number;
  median?: number;
  p75?: number;
}

export interface TableProfile {
  table: string;
  rows: number;
  columns: Record<string, ColumnProfile>;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/i;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP)/i;
/** Types whose Parquet columns are leaves of their own: nested types have one leaf per field. */
const NESTED = /STRUCT|MAP\(|UNION|\[\]/i;

/** What the Parquet footers of a table's files tell per column, without reading any data. */
export interface FooterFacts {
  nulls: Map<string, number>;
  /** Min and max of number and time columns (NULL when every value is NULL). */
  range: Map<string, { min: Json; max: Json }>;
}

const NO_FACTS: FooterFacts = { nulls: new Map(), range: new Map() };

/**
 * NULL counts and min / max of a table's columns from its files' footer statistics (DuckDB's
 * `parquet_metadata`: milliseconds, whatever the size). A column is answered only when every row
 * group has the statistic; a file without the column counts its rows as NULLs, as the table's view
 * reads them. `paths` are the local files of `t.files`, in order.
 *
 * One query grouped by column, so its cost grows with the columns (a filtered aggregate per column
 * would grow with their square: DuckDB evaluates every filter over every aggregate's input). The
 * ranges are read in each column type present (few): a column takes its own type's.
 */
export async function footerFacts(
  duck: DuckSession,
  t: TableAtRef,
  paths: string[],
): Promise<FooterFacts> {
  const counts = t.files.map(fileRows);
  if (counts.some((n) => n === undefined) || new Set(paths).size !== paths.length) return NO_FACTS;
  const total = (counts as number[]).reduce((a, b) => a + b, 0);
  const cols = t.manifest.columns.filter((c) => !NESTED.test(c.type));
  if (cols.length === 0) return NO_FACTS;
  if (paths.length === 0) return { nulls: new Map(cols.map((c) => [c.name, 0])), range: new Map() };
  const types = [
    ...new Set(
      cols.filter((c) => NUMERIC.test(c.type) || TEMPORAL.test(c.type)).map((c) => c.type),
    ),
  ];
  const exprs = [
    'lower(path_in_schema) AS "p"',
    'sum(row_group_num_rows) AS "r"',
    'sum(stats_null_count) AS "n"',
    'count_if(stats_null_count IS NULL) AS "u"',
  ];
  types.forEach((type, k) => {
    const cast = (v: string): string =>
      `TRY_CAST(${v} AS ${type})${NUMERIC.test(type) ? '::DOUBLE' : ''}`;
    exprs.push(
      `min(${cast('stats_min_value')}) AS "lo${k}"`,
      `max(${cast('stats_max_value')}) AS "hi${k}"`,
      // Row groups with values but no usable statistic: the range is then unknown.
      `count_if(stats_null_count IS DISTINCT FROM row_group_num_rows AND (${cast('stats_min_value')} IS NULL OR ${cast('stats_max_value')} IS NULL)) AS "x${k}"`,
    );
  });
  const rows = (
    await duck.query(
      `SELECT ${exprs.join(', ')} FROM parquet_metadata(${sqlList(paths)}) GROUP BY ALL`,
    )
  ).rows;
  const byPath = new Map(rows.map((r) => [String(r.p), r]));
  const out: FooterFacts = { nulls: new Map(), range: new Map() };
  for (const c of cols) {
    const row = byPath.get(c.name.toLowerCase()) ?? {};
    const present = Number(row.r ?? 0);
    if (present > total || Number(row.u ?? 0) > 0) continue;
    out.nulls.set(c.name, Number(row.n ?? 0) + (total - present));
    const k = types.indexOf(c.type);
    if (k >= 0 && Number(row[`x${k}`] ?? 0) === 0)
      out.range.set(c.name, { min: row[`lo${k}`] ?? null, max: row[`hi${k}`] ?? null });
  }
  return out;
}

export interface ProfilePlan {
  /** Columns whose distinct count, mean, stddev and quartiles are measured; default all. */
  deep?: (column: string) => boolean;
  /** What the footers already answered: those metrics are not computed again. */
  footer?: FooterFacts;
}

/** Aggregate expressions of a profile, aliased `q{i}_{metric}` (plus `count(*)` as `__rows`). */
export function profileExprs(columns: Column[], plan: ProfilePlan = {}): string[] {
  const footer = plan.footer ?? NO_FACTS;
  const out: string[] = [];
  columns.forEach((c, i) => {
    const col = sqlIdent(c.name);
    const deep = plan.deep?.(c.name) ?? true;
    if (!footer.nulls.has(c.name)) out.push(`count(${col}) AS "q${i}_nn"`);
    if (deep) out.push(`approx_count_distinct(${col}) AS "q${i}_d"`);
    const ranged = !footer.range.has(c.name);
    if (NUMERIC.test(c.type)) {
      if (ranged)
        out.push(`min(${col})::DOUBLE AS "q${i}_min"`, `max(${col})::DOUBLE AS "q${i}_max"`);
      if (deep)
        out.push(
          `avg(${col})::DOUBLE AS "q${i}_mean"`,
          `stddev_samp(${col})::DOUBLE AS "q${i}_sd"`,
          `approx_quantile(${col}::DOUBLE, [0.25, 0.5, 0.75]) AS "q${i}_q"`,
        );
    } else if (TEMPORAL.test(c.type) && ranged) {
      out.push(`min(${col}) AS "q${i}_min"`, `max(${col}) AS "q${i}_max"`);
    }
  });
  return out;
}

const num = (v: Json | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** The profile from a row holding `profileExprs(columns, { footer })` and `__rows`. */
export function readProfile(
  table: string,
  columns: Column[],
  row: Record<string, Json>,
  footer: FooterFacts = NO_FACTS,
): TableProfile {
  const rows = Number(row.__rows ?? 0);
  const out: TableProfile = { table, rows, columns: {} };
  columns.forEach((c, i) => {
    const nulls = footer.nulls.get(c.name) ?? rows - Number(row[`q${i}_nn`] ?? 0);
    const p: ColumnProfile = {
      type: c.type,
      nulls,
      nullPercent: rows === 0 ? 0 : (100 * nulls) / rows,
    };
    const d = row[`q${i}_d`];
    if (d !== undefined && d !== null) p.distinct = Number(d);
    const range = footer.range.get(c.name);
    const min = range ? range.min : row[`q${i}_min`];
    const max = range ? range.max : row[`q${i}_max`];
    if (min !== undefined && min !== null) p.min = min;
    if (max !== undefined && max !== null) p.max = max;
    const mean = num(row[`q${i}_mean`]);
    const sd = num(row[`q${i}_sd`]);
    if (mean !== undefined) p.mean = mean;
    if (sd !== undefined) p.stddev = sd;
    const q = row[`q${i}_q`];
    if (Array.isArray(q)) {
      const [a, b, d] = q.map((x) => num(x as Json));
      if (a !== undefined) p.p25 = a;
      if (b !== undefined) p.median = b;
      if (d !== undefined) p.p75 = d;
    }
    out.columns[c.name] = p;
  });
  return out;
}

/** Two profiles of the same data, merged: what either measured (the newer wins a tie). */
export function mergeProfiles(older: TableProfile, newer: TableProfile): TableProfile {
  const columns: Record<string, ColumnProfile> = {};
  for (const [name, c] of Object.entries(newer.columns))
    columns[name] = { ...(older.columns[name] ?? {}), ...c };
  return { ...newer, columns };
}

/** One metric of a profile (a column's, or the table's row count); undefined when not measured. */
export function metricOf(
  p: TableProfile,
  metric: ProfileMetric,
  column?: string,
): number | undefined {
  if (metric === 'row_count') return p.rows;
  const c = column === undefined ? undefined : p.columns[column];
  if (!c) return undefined;
  switch (metric) {
    case 'null_count':
      return c.nulls;
    case 'null_percent':
      return c.nullPercent;
    case 'distinct_count':
      return c.distinct;
    case 'min':
      return typeof c.min === 'number' ? c.min : undefined;
    case 'max':
      return typeof c.max === 'number' ? c.max : undefined;
    case 'mean':
      return c.mean;
    case 'stddev':
      return c.stddev;
    case 'median':
      return c.median;
  }
}

/** Profiles a table at a ref (one scan, in batches for a wide table) and, when `store` and the ref is a commit's data, stores it. */
export async function profileTable(
  repo: Repository,
  name: string,
  opts: { ref?: string; duck?: DuckOptions; cacheDir?: string; store?: boolean } = {},
): Promise<{ profile: TableProfile; commit: string; stored: boolean }> {
  const ref = opts.ref ?? repo.defaultBranch;
  const t = await getTable(repo, ref, name);
  const cols = t.manifest.columns;
  const row = await withSqlSession(
    repo,
    { refs: [ref], duck: opts.duck, cacheDir: opts.cacheDir },
    (s) =>
      aggregateRow(
        (sql) => s.duck.query(sql),
        `${sqlIdent(schemaNameOf(ref))}.${sqlIdent(name)}`,
        profileExprs(cols),
      ),
  );
  const profile = readProfile(name, cols, row);
  const { commit, exact } = await dataAtRef(repo, ref, name);
  let stored = false;
  if (opts.store !== false && exact) {
    await storeProfile(repo, profile, commit, new Date());
    stored = true;
  }
  return { profile, commit, stored };
}

/** Stores the profile of a table at a commit, merged with what is stored for it already. */
export async function storeProfile(
  repo: Repository,
  profile: TableProfile,
  commit: string,
  createdAt: Date,
): Promise<void> {
  const [old] = await repo.meta.getProfiles(repo.name, profile.table, [commit]);
  const merged = old ? mergeProfiles(JSON.parse(old.data) as TableProfile, profile) : profile;
  await repo.meta.putProfile(repo.name, {
    table: profile.table,
    commitId: commit,
    createdAt,
    data: JSON.stringify(merged),
  });
}

/** Stored profiles of a table at the first-parent ancestors of `commit` (newest first, itself excluded). */
export async function profileHistory(
  repo: Repository,
  table: string,
  commit: string,
  lookback: number,
): Promise<TableProfile[]> {
  const ids: string[] = [];
  for await (const c of repo.log(commit, { firstParent: true, limit: lookback + 1 }))
    if (c.id !== commit) ids.push(c.id);
  const found = new Map(
    (await repo.meta.getProfiles(repo.name, table, ids)).map((p) => [
      p.commitId,
      JSON.parse(p.data) as TableProfile,
    ]),
  );
  return ids.flatMap((id) => (found.has(id) ? [found.get(id) as TableProfile] : []));
}
