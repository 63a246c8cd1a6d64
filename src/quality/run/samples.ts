// Failing-row samples, fetched after the verdicts and only for checks that did not pass, with a
// limit: a sample is a courtesy, the verdict stands without it.
import { sqlIdent } from '../../engine/duckdb.js';
import { checkDef } from '../checks.js';
import type { CheckSpec } from '../spec.js';
import { failingPredicate, keyColumns } from './query-plan.js';
import type { Queries, RunState } from './state.js';

/** Samples of failing rows (`opts.sample`, default 5) for the checks that did not pass. */
export async function takeSamples(s: RunState, q: Queries): Promise<void> {
  const sampleSize = s.opts.sample ?? 5;
  if (sampleSize <= 0) return;
  for (const spec of s.specs) {
    const r = s.results.get(spec.id);
    if (!r || r.status === 'pass' || r.status === 'error') continue;
    const sql = sampleSql(spec, q.from, sampleSize);
    if (!sql) continue;
    try {
      r.sample = (await q.query(sql)).rows;
    } catch {
      // A sample is a courtesy; the verdict stands without it.
    }
  }
}

/** The query of a check's failing rows, at most `n`; undefined for checks without rows. */
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
