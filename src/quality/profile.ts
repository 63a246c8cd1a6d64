// A table's metric profile: row count, and per column the NULL count, an approximate distinct
// count, and for numbers min / max / mean / stddev / quartiles (min / max for dates and times).
// Profiles are stored per commit: the history anomaly checks compare a new value with. The
// aggregates ride along in the check run's scan of the table (no extra pass over the data).
import type { Json } from '@duckdb/node-api';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, sqlIdent } from '../engine/duckdb.js';
import { schemaNameOf, withSqlSession } from '../engine/session.js';
import { type Column, getTable } from '../engine/tables.js';
import type { ProfileMetric } from './checks.js';

export interface ColumnProfile {
  type: string;
  nulls: number;
  nullPercent: number;
  distinct: number;
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

/** Aggregate expressions of a profile, aliased `q{i}_{metric}` (plus `count(*)` as `__rows`). */
export function profileExprs(columns: Column[]): string[] {
  const out: string[] = [];
  columns.forEach((c, i) => {
    const col = sqlIdent(c.name);
    out.push(`count(${col}) AS "q${i}_nn"`, `approx_count_distinct(${col}) AS "q${i}_d"`);
    if (NUMERIC.test(c.type)) {
      out.push(
        `min(${col})::DOUBLE AS "q${i}_min"`,
        `max(${col})::DOUBLE AS "q${i}_max"`,
        `avg(${col})::DOUBLE AS "q${i}_mean"`,
        `stddev_samp(${col})::DOUBLE AS "q${i}_sd"`,
        `approx_quantile(${col}::DOUBLE, [0.25, 0.5, 0.75]) AS "q${i}_q"`,
      );
    } else if (TEMPORAL.test(c.type)) {
      out.push(`min(${col}) AS "q${i}_min"`, `max(${col}) AS "q${i}_max"`);
    }
  });
  return out;
}

const num = (v: Json | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** The profile from a row holding `profileExprs` and `__rows`. */
export function readProfile(
  table: string,
  columns: Column[],
  row: Record<string, Json>,
): TableProfile {
  const rows = Number(row.__rows ?? 0);
  const out: TableProfile = { table, rows, columns: {} };
  columns.forEach((c, i) => {
    const nn = Number(row[`q${i}_nn`] ?? 0);
    const p: ColumnProfile = {
      type: c.type,
      nulls: rows - nn,
      nullPercent: rows === 0 ? 0 : (100 * (rows - nn)) / rows,
      distinct: Number(row[`q${i}_d`] ?? 0),
    };
    const min = row[`q${i}_min`];
    const max = row[`q${i}_max`];
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

/** Profiles a table at a ref (one scan) and, when `store` and the ref is a commit's data, stores it. */
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
    async (s) =>
      (
        await s.duck.query(
          `SELECT ${['count(*) AS "__rows"', ...profileExprs(cols)].join(', ')} FROM ${sqlIdent(schemaNameOf(ref))}.${sqlIdent(name)}`,
        )
      ).rows[0] ?? {},
  );
  const profile = readProfile(name, cols, row);
  const { commit, clean } = await commitOfData(repo, ref, name);
  let stored = false;
  if (opts.store !== false && clean) {
    await repo.meta.putProfile(repo.name, {
      table: name,
      commitId: commit,
      createdAt: new Date(),
      data: JSON.stringify(profile),
    });
    stored = true;
  }
  return { profile, commit, stored };
}

/**
 * The commit whose data a read at `ref` sees for a table, and whether that is all it sees: a
 * branch with uncommitted changes to the table reads more than its head.
 */
export async function commitOfData(
  repo: Repository,
  ref: string,
  table: string,
): Promise<{ commit: string; clean: boolean }> {
  const r = await repo.resolve(ref);
  if (r.kind !== 'branch' && r.kind !== 'alias') return { commit: r.commit, clean: true };
  for await (const _ of repo.status(r.branch.name, { prefix: `tables/${table}/` }))
    return { commit: r.commit, clean: false };
  return { commit: r.commit, clean: true };
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
