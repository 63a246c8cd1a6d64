// The scan compiler: specs compile into as few queries as the checks allow, never one per check.
//
// - All row and aggregate checks of one table and one `where` filter are one aggregate SELECT:
//   each row check adds `count(*) FILTER (WHERE <fails>)`, each aggregate check its aggregate —
//   in batches of bounded width when there are hundreds of them (../scan-batches.ts), so memory
//   grows linearly with columns and checks.
// - Uniqueness checks share one GROUP BY per key set (and filter).
// - A relationship is one anti-join against the referenced table.
// - Custom SQL counts the failing rows its query returns; schema checks read the manifest only.
import { sqlIdent } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import { checkDef } from '../checks.js';
import { type ProfilePlan, profileExprs } from '../profile.js';
import type { Row } from '../run.js';
import { packBatches, type ScanUnit } from '../scan-batches.js';
import type { CheckSpec } from '../spec.js';

/** Row, aggregate and freshness checks of one table and one filter: one aggregate scan. */
export interface ScanGroup {
  table: string;
  where?: string;
  specs: CheckSpec[];
}

/** The queries a run makes, grouped. */
export interface QueryPlan {
  /** Fused aggregate scans; the unfiltered scan of a profiled table also measures its profile. */
  scans: ScanGroup[];
  /** Uniqueness checks of one table, filter and key set: one GROUP BY each. */
  uniques: CheckSpec[][];
  /** Relationships (anti-joins), custom SQL and schema checks: one query (or none) each. */
  singles: CheckSpec[];
  /** Tables whose profile the run measures (stored, or compared with by an anomaly check). */
  profiled: Set<string>;
  /** `table\u0000column` of the columns anomaly checks watch (their values are all read). */
  watched: Set<string>;
}

/** Groups the specs into the queries that measure them (no I/O). */
export function planQueries(specs: CheckSpec[], store: boolean | undefined): QueryPlan {
  const scans = new Map<string, ScanGroup>();
  const scanOf = (table: string, where: string | undefined): ScanGroup => {
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
  const profiled = new Set(specs.filter((s) => store || s.type === 'anomaly').map((s) => s.table));
  const watched = new Set(
    specs.filter((s) => s.type === 'anomaly').map((s) => `${s.table}\u0000${s.column ?? ''}`),
  );
  for (const name of profiled) scanOf(name, undefined);
  const uniques = new Map<string, CheckSpec[]>();
  for (const s of specs) {
    if (s.type !== 'unique') continue;
    const key = `${s.table}\u0000${s.where ?? ''}\u0000${keyColumns(s).join('\u0000')}`;
    uniques.set(key, [...(uniques.get(key) ?? []), s]);
  }
  const singles = specs.filter((s) => {
    const kind = checkDef(s.type).kind;
    return kind === 'relationship' || kind === 'sql' || kind === 'schema';
  });
  return { scans: [...scans.values()], uniques: [...uniques.values()], singles, profiled, watched };
}

/** One scan of a group's batches: its SQL, the checks it measures, and whether it has the profile. */
export interface ScanBatch {
  sql: string;
  /** Indexes (in the group's specs) of the checks this scan measures. */
  specs: number[];
  profile: boolean;
}

/**
 * The fused scan of a group, in batches of bounded width (../scan-batches.ts): the row count in
 * each, the table's profile (with `profile`, in its unfiltered scan) and every check's
 * expressions, a check's together; `unpack` spreads shared quantiles back.
 */
export function scanSql(
  group: ScanGroup,
  cols: Column[],
  profile: Required<ProfilePlan> | undefined,
  from: (table: string) => string,
): { batches: ScanBatch[]; unpack: (row: Row) => Row } {
  const fused = fusedScanExprs(group.specs);
  const units: FusedUnit[] = [
    ...(profile
      ? profileExprs(cols, profile).map((e) => ({ exprs: [e], specs: [], profile: true }))
      : []),
    ...fused.units,
  ];
  const batches = packBatches(units).map((batch) => ({
    sql: `SELECT ${['count(*) AS "__rows"', ...batch.flatMap((u) => u.exprs)].join(', ')} FROM ${from(group.table)}${whereSql(group.where)}`,
    specs: batch.flatMap((u) => u.specs),
    profile: batch.some((u) => u.profile === true),
  }));
  return { batches, unpack: fused.unpack };
}

/** One GROUP BY for uniqueness checks sharing table, filter and key set: rows, duplicates. */
export function uniqueSql(s: CheckSpec, from: (table: string) => string): string {
  const cols = keyColumns(s).map(sqlIdent);
  const notNull = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
  return (
    `WITH g AS (SELECT ${cols.join(', ')}, count(*) AS n FROM ${from(s.table)} WHERE ${notNull}${s.where ? ` AND (${s.where})` : ''} GROUP BY ALL) ` +
    'SELECT coalesce(sum(n), 0) AS rows, count(*) FILTER (WHERE n > 1) AS dup_values, coalesce(sum(n) FILTER (WHERE n > 1), 0) AS dup_rows FROM g'
  );
}

/** A relationship's anti-join: values checked (`n`) and values without a match (`u`). */
export function relationshipSql(s: CheckSpec, from: (table: string) => string): string {
  const c = sqlIdent(s.column as string);
  const other = `(SELECT DISTINCT ${sqlIdent(String(s.params.field))} AS k FROM ${from(String(s.params.to))})`;
  return (
    `SELECT (SELECT count(${c}) FROM ${from(s.table)}${whereSql(s.where)}) AS n, ` +
    `(SELECT count(*) FROM ${from(s.table)} t ANTI JOIN ${other} o ON t.${c} = o.k WHERE t.${c} IS NOT NULL${s.where ? ` AND (${s.where})` : ''}) AS u`
  );
}

/** A filter as a WHERE clause (none without one). */
export const whereSql = (where: string | undefined): string => (where ? ` WHERE (${where})` : '');

/** The columns a uniqueness check groups by: its column, or a table-level check's columns. */
export function keyColumns(s: CheckSpec): string[] {
  return s.column !== undefined ? [s.column] : (s.params.columns as string[]);
}

/** The SQL predicate a failing, non-null value meets (row checks other than not_null). */
export function failingPredicate(s: CheckSpec): string {
  const def = checkDef(s.type);
  return (def.failing as (col: string, p: Record<string, unknown>) => string)(
    sqlIdent(s.column as string),
    s.params,
  );
}

/** The quantile a median or quantile check measures; undefined for other checks. */
const quantileOf = (s: CheckSpec): number | undefined =>
  s.type === 'median' ? 0.5 : s.type === 'quantile' ? Number(s.params.q) : undefined;

/** Expressions measured together: one check's, or a column's shared quantiles and their checks'. */
export interface FusedUnit extends ScanUnit {
  /** Indexes of the checks (in the scan's specs) the unit measures. */
  specs: number[];
  profile?: boolean;
}

/**
 * The select list of one fused scan, as units: each check's expressions, except that the
 * quantiles of one column (median, quantile checks) share one `quantile_cont(col, [q…])`, so the
 * column's values are buffered and sorted once. `unpack` spreads the shared list back into each
 * check's `o{i}`.
 */
export function fusedScanExprs(specs: CheckSpec[]): {
  units: FusedUnit[];
  unpack: (row: Row) => Row;
} {
  const byColumn = new Map<string, { i: number; q: number }[]>();
  specs.forEach((s, i) => {
    const q = quantileOf(s);
    if (q !== undefined && s.column !== undefined)
      byColumn.set(s.column, [...(byColumn.get(s.column) ?? []), { i, q }]);
  });
  const shared = [...byColumn.entries()].filter(([, qs]) => qs.length > 1);
  const sharedIds = new Set(shared.flatMap(([, qs]) => qs.map((x) => x.i)));
  const units: FusedUnit[] = [];
  specs.forEach((s, i) => {
    if (!sharedIds.has(i)) units.push({ exprs: scanExprs(s, i), specs: [i] });
  });
  shared.forEach(([column, qs], k) => {
    units.push({
      exprs: [
        ...qs.map((x) => `count(${sqlIdent(column)}) AS "n${x.i}"`),
        `quantile_cont(${sqlIdent(column)}, [${qs.map((x) => x.q).join(', ')}]) AS "qs${k}"`,
      ],
      specs: qs.map((x) => x.i),
    });
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
  return { units, unpack };
}

/** One check's expressions in a scan: its aggregate (`o{i}`), values seen (`n{i}`), failures (`u{i}`). */
export function scanExprs(s: CheckSpec, i: number): string[] {
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
