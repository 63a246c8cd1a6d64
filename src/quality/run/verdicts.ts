// Deciding verdicts from what was measured: severity, dbt's warn_if / error_if, `mostly`, an
// aggregate's bounds, freshness against the clock, a schema against the manifest.
import type { Json } from '@duckdb/node-api';
import type { TableAtRef } from '../../engine/tables.js';
import { checkDef, strictness } from '../checks.js';
import type { CheckResult, Row } from '../run.js';
import type { CheckSpec, Threshold } from '../spec.js';
import type { CheckStatus } from '../summary.js';

/** A result for a spec before anything is measured: passing, with the spec's identity. */
export function baseResult(spec: CheckSpec): CheckResult {
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

/** A scan check's result from its columns of the fused scan's row (`n{i}`, `u{i}`, `o{i}`). */
export function scanResult(
  r: CheckResult,
  s: CheckSpec,
  i: number,
  row: Row,
  now: Date,
): CheckResult {
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

/** A failed check's status: `warn` for severity warn, else `fail`. */
export const failingStatus = (s: CheckSpec): CheckStatus =>
  s.severity === 'warn' ? 'warn' : 'fail';

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

/** A result from rows checked and rows failing (`observed`: the failing count unless given). */
export function countResult(
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

/** A schema check's result: the manifest's columns against the declared ones. */
export async function schemaResult(
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
