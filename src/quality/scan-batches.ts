// Aggregate scans of bounded width. A check run, a profile and a suggestion each measure many
// aggregates of one table; fused into one SELECT they are one pass over the data — but DuckDB's
// cost of one aggregate grows with the others beside it (with FILTER clauses, memory grows with
// their square: 6 GB for the 4,000 suggested checks of a 2,000-column table), and each DISTINCT
// aggregate keeps a hash table of its own (~5 MB even for 1,000 rows). So the aggregates go in
// batches of bounded weight — MAX_SCAN_WEIGHT, a DISTINCT aggregate weighing DISTINCT_WEIGHT —
// and memory grows linearly with columns and checks. Still few scans: one for every ordinary
// table (a batch holds hundreds of checks), each reading only the columns it names.
import type { Json } from '@duckdb/node-api';
import type { QueryResult } from '../engine/duckdb.js';

/** Most weight (aggregate expressions) in one scan. */
export const MAX_SCAN_WEIGHT = 500;
/** What one DISTINCT aggregate weighs against a plain one (its own hash table). */
export const DISTINCT_WEIGHT = 10;

/** Expressions that must be measured together (one check's, or checks sharing a quantile list). */
export interface ScanUnit {
  exprs: readonly string[];
}

/** The weight of an expression: 1, and DISTINCT_WEIGHT more for each DISTINCT aggregate in it. */
export function exprWeight(expr: string): number {
  return 1 + DISTINCT_WEIGHT * (expr.match(/\bDISTINCT\b/gi)?.length ?? 0);
}

const unitWeight = (u: ScanUnit): number => u.exprs.reduce((a, e) => a + exprWeight(e), 0);

/**
 * Units packed in order into batches of at most `max` weight (a unit heavier than `max` is a
 * batch of its own); at least one batch, so that a scan with nothing but its row count still runs.
 */
export function packBatches<T extends ScanUnit>(units: readonly T[], max = MAX_SCAN_WEIGHT): T[][] {
  const out: T[][] = [[]];
  let size = 0;
  for (const u of units) {
    const last = out.at(-1) as T[];
    const w = unitWeight(u);
    if (last.length > 0 && size + w > max) {
      out.push([u]);
      size = w;
    } else {
      last.push(u);
      size += w;
    }
  }
  return out;
}

/**
 * One row of aggregates over `from` (a table, with its WHERE if any), measured in batches: each
 * batch a scan that also counts the rows (`__rows`); the rows merged.
 */
export async function aggregateRow(
  query: (sql: string) => Promise<QueryResult>,
  from: string,
  exprs: readonly string[],
  max = MAX_SCAN_WEIGHT,
): Promise<Record<string, Json>> {
  const row: Record<string, Json> = {};
  for (const batch of packBatches(
    exprs.map((e) => ({ exprs: [e] })),
    max,
  )) {
    const list = ['count(*) AS "__rows"', ...batch.map((u) => u.exprs[0] as string)];
    Object.assign(row, (await query(`SELECT ${list.join(', ')} FROM ${from}`)).rows[0] ?? {});
  }
  return row;
}
