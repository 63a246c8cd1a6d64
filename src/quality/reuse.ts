// When a check's verdict may be reused instead of measured again — the one definition both users
// share: a gate taking a load audit's verdicts on the very commit it checked (runChecks' `reuse`),
// and a build's test memo (the same tests on the same table versions). See docs/quality.md,
// "Reused verdicts".
//
// A verdict is reusable when it is a function of the checked tables' contents and of the spec
// alone:
// - its kind reads only the data of the tables it names: row, aggregate, uniqueness,
//   relationship and schema checks. Not freshness (the clock), history (`row_count_change`,
//   `anomaly`: other commits and stored profiles) or custom SQL (any query);
// - its `where` (free SQL text) calls no clock or random function (`now()`, `current_date`,
//   `random()`, `uuid()` …) and has no subquery: a `SELECT` in it may read another table, whose
//   changes the tables the check names would not show;
// - no parameter names a clock or random function either (`between: {max: now()}`): the compiler
//   quotes parameters as literals, but a literal that reads like a function is refused rather
//   than trusted.
// And, for the user to decide: the same definition (`definitionDigest`), measured on exactly the
// same data, and not an error (an error may be transient).
import { createHash } from 'node:crypto';
import { type CheckKind, checkDef, refTable } from './checks.js';
import type { CheckSpec } from './spec.js';

/** Kinds whose verdict depends only on the data of the tables the check names. */
const CONTENT_KINDS: ReadonlySet<CheckKind> = new Set([
  'rows',
  'aggregate',
  'unique',
  'relationship',
  'schema',
]);

/** SQL that makes a filter's result depend on something besides the rows: clock, chance. */
const VOLATILE_SQL =
  /\b(now|today|current_(date|time|timestamp|localtime|localtimestamp)|get_current_\w+|localtime|localtimestamp|transaction_timestamp|statement_timestamp|random|uuid|gen_random_uuid|setseed)\b/i;

/** A subquery may read any table. */
const SUBQUERY = /\bselect\b/i;

/** May this check's verdict be reused on the same data (see the top of this file)? */
export function verdictReusable(spec: CheckSpec): boolean {
  if (!CONTENT_KINDS.has(checkDef(spec.type).kind)) return false;
  if (VOLATILE_SQL.test(JSON.stringify(spec.params))) return false;
  if (spec.where === undefined) return true;
  return !VOLATILE_SQL.test(spec.where) && !SUBQUERY.test(spec.where);
}

/** JSON with every object's keys sorted: the same definition always gives the same text. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => [k, canonical(o[k])]),
  );
}

/**
 * A digest of everything that decides a check's verdict: its table, column, type, parameters,
 * filter, severity and thresholds — not its id, name or where it was written.
 */
export function definitionDigest(spec: CheckSpec): string {
  const { table, column, type, params, where, severity, warnIf, errorIf, mostly } = spec;
  const text = JSON.stringify(
    canonical({ table, column, type, params, where, severity, warnIf, errorIf, mostly }),
  );
  return createHash('sha256').update(`sluice:check-definition:v1\n${text}`).digest('hex');
}

/** The tables whose data decide a check's verdict: its own, and a relationship's other side. */
export function tablesRead(spec: CheckSpec): string[] {
  if (spec.type !== 'relationships') return [spec.table];
  return [...new Set([spec.table, refTable(String(spec.params.to))])].sort();
}
