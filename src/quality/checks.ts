// The check types: their parameters (validated when specs are read), where they apply (a column,
// the table, or either), and how each compiles. Row checks contribute a failing-row predicate to
// the one aggregate scan of their table and filter; aggregate checks contribute an aggregate
// expression to the same scan; uniqueness, relationships and custom SQL need queries of their own
// (one GROUP BY per key set, one anti-join per reference); schema needs none.
import * as z from 'zod';
import { sqlString } from '../engine/duckdb.js';

const bound = z.union([z.number(), z.string()]);
const optionalBounds = {
  min: bound.optional(),
  max: bound.optional(),
  /** Both bounds exclusive; `strict_min` / `strict_max` (Great Expectations' names) set one. */
  strict: z.boolean().optional(),
  strict_min: z.boolean().optional(),
  strict_max: z.boolean().optional(),
};
const boundsRefine = <T extends { min?: unknown; max?: unknown }>(p: T) =>
  p.min !== undefined || p.max !== undefined;
const period = z.enum(['minute', 'hour', 'day']);
const age = z.object({ count: z.number().positive(), period }).strict();

type Params = Record<string, unknown>;

export type CheckKind =
  | 'rows'
  | 'aggregate'
  | 'unique'
  | 'relationship'
  | 'freshness'
  | 'schema'
  | 'sql'
  | 'history';

/** Metrics of a table profile that anomaly checks can watch. */
export const PROFILE_METRICS = [
  'row_count',
  'null_count',
  'null_percent',
  'distinct_count',
  'min',
  'max',
  'mean',
  'stddev',
  'median',
] as const;
export type ProfileMetric = (typeof PROFILE_METRICS)[number];

export interface CheckDef {
  scope: 'column' | 'table' | 'either';
  kind: CheckKind;
  params: z.ZodType;
  label(column: string | undefined, params: Params): string;
  /** Row checks: the predicate a failing, non-null value meets (`col` is the quoted column). */
  failing?(col: string, params: Params): string;
  /** Aggregate checks: the observed value. */
  observed?(col: string, params: Params): string;
}

/** A literal for a bound: numbers as they are, strings quoted (dates, timestamps, text). */
export const literal = (v: unknown): string =>
  typeof v === 'number' ? String(v) : sqlString(String(v));

const bounded = (label: string, observed: (col: string, p: Params) => string): CheckDef => ({
  scope: 'column',
  kind: 'aggregate',
  params: z.object(optionalBounds).strict().refine(boundsRefine, 'give min, max or both'),
  label: (c) => `${label}(${c})`,
  observed,
});

export const CHECKS = {
  not_null: {
    scope: 'column',
    kind: 'rows',
    params: z.object({}).strict(),
    label: (c) => `not_null(${c})`,
    // Special-cased by the compiler: NULL is the failure.
    failing: () => 'false',
  },
  unique: {
    scope: 'either',
    kind: 'unique',
    params: z
      .object({
        columns: z.array(z.string()).min(1).optional(),
        combination_of_columns: z.array(z.string()).min(1).optional(),
      })
      .strict(),
    label: (c, p) =>
      `unique(${c ?? ((p.columns ?? p.combination_of_columns) as string[] | undefined)?.join(', ')})`,
  },
  accepted_values: {
    scope: 'column',
    kind: 'rows',
    params: z
      .object({
        values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
        quote: z.boolean().optional(),
      })
      .strict(),
    label: (c) => `accepted_values(${c})`,
    failing: (col, p) =>
      `${col} NOT IN (${(p.values as unknown[]).map((v) => (typeof v === 'string' ? sqlString(v) : String(v))).join(', ')})`,
  },
  relationships: {
    scope: 'column',
    kind: 'relationship',
    params: z.object({ to: z.string().min(1), field: z.string().min(1) }).strict(),
    label: (c, p) => `relationships(${c} → ${refTable(String(p.to))}.${p.field})`,
  },
  between: {
    scope: 'column',
    kind: 'rows',
    params: z.object(optionalBounds).strict().refine(boundsRefine, 'give min, max or both'),
    label: (c) => `between(${c})`,
    failing: (col, p) => outOfBounds(col, p),
  },
  regex: {
    scope: 'column',
    kind: 'rows',
    params: z.object({ pattern: z.string().min(1) }).strict(),
    label: (c) => `regex(${c})`,
    failing: (col, p) =>
      `NOT regexp_matches(CAST(${col} AS VARCHAR), ${sqlString(String(p.pattern))})`,
  },
  length: {
    scope: 'column',
    kind: 'rows',
    params: z
      .object({
        min: z.number().int().nonnegative().optional(),
        max: z.number().int().nonnegative().optional(),
      })
      .strict()
      .refine(boundsRefine, 'give min, max or both'),
    label: (c) => `length(${c})`,
    failing: (col, p) => outOfBounds(`length(CAST(${col} AS VARCHAR))`, p),
  },
  row_count: {
    scope: 'table',
    kind: 'aggregate',
    params: z.object(optionalBounds).strict().refine(boundsRefine, 'give min, max or both'),
    label: () => 'row_count',
    observed: () => 'count(*)',
  },
  mean: bounded('mean', (col) => `avg(${col})`),
  sum: bounded('sum', (col) => `sum(${col})`),
  min: bounded('min', (col) => `min(${col})`),
  max: bounded('max', (col) => `max(${col})`),
  stddev: bounded('stddev', (col) => `stddev_samp(${col})`),
  median: bounded('median', (col) => `quantile_cont(${col}, 0.5)`),
  quantile: {
    scope: 'column',
    kind: 'aggregate',
    params: z
      .object({ q: z.number().min(0).max(1), ...optionalBounds })
      .strict()
      .refine(boundsRefine, 'give min, max or both'),
    label: (c, p) => `quantile(${c}, ${p.q})`,
    observed: (col, p) => `quantile_cont(${col}, ${Number(p.q)})`,
  },
  freshness: {
    scope: 'column',
    kind: 'freshness',
    params: z
      .object({ warn_after: age.optional(), error_after: age.optional() })
      .strict()
      .refine(
        (p) => p.warn_after !== undefined || p.error_after !== undefined,
        'give warn_after, error_after or both',
      ),
    label: (c) => `freshness(${c})`,
    observed: (col) => `max(${col})`,
  },
  schema: {
    scope: 'table',
    kind: 'schema',
    params: z
      .object({
        columns: z
          .union([
            z.record(z.string(), z.string()),
            z.array(
              z.union([
                z.string(),
                z.object({ name: z.string(), type: z.string().optional() }).strict(),
              ]),
            ),
          ])
          .optional(),
        forbidden: z.array(z.string()).optional(),
        allow_extra: z.boolean().optional(),
      })
      .strict(),
    label: () => 'schema',
  },
  row_count_change: {
    scope: 'table',
    kind: 'history',
    params: z
      .object({
        /** `previous` (the first parent commit, default) or a ref such as `main`. */
        compare_to: z.string().min(1).optional(),
        max_increase_pct: z.number().nonnegative().optional(),
        max_decrease_pct: z.number().nonnegative().optional(),
      })
      .strict()
      .refine(
        (p) => p.max_increase_pct !== undefined || p.max_decrease_pct !== undefined,
        'give max_increase_pct, max_decrease_pct or both',
      ),
    label: (_c, p) => `row_count_change(vs ${p.compare_to ?? 'previous'})`,
  },
  anomaly: {
    scope: 'either',
    kind: 'history',
    params: z
      .object({
        metric: z.enum(PROFILE_METRICS),
        /** Commits of history to compare with (first parents); default 20. */
        lookback: z.number().int().positive().optional(),
        /** z-score beyond which a value is an anomaly; default 3. */
        sensitivity: z.number().positive().optional(),
        /** Profiles needed before the check can fail; default 5. */
        min_history: z.number().int().min(2).optional(),
      })
      .strict(),
    label: (c, p) => `anomaly(${c ? `${c}.` : ''}${p.metric})`,
  },
  sql: {
    scope: 'table',
    kind: 'sql',
    params: z.object({ query: z.string().min(1) }).strict(),
    label: () => 'sql',
  },
} satisfies Record<string, CheckDef>;

export type CheckType = keyof typeof CHECKS;

export const isCheckType = (t: string): t is CheckType => Object.hasOwn(CHECKS, t);

export function checkDef(t: CheckType): CheckDef {
  return CHECKS[t] as CheckDef;
}

/** dbt writes `to: ref('customers')`; a plain table name works too. */
export function refTable(to: string): string {
  const m = /^\s*(?:ref|source)\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)\s*$/.exec(to);
  return m ? (m[1] as string) : to.trim();
}

/** Which bounds are exclusive. */
export function strictness(p: Params): { strictMin: boolean; strictMax: boolean } {
  return {
    strictMin: Boolean(p.strict_min ?? p.strict),
    strictMax: Boolean(p.strict_max ?? p.strict),
  };
}

/** True (as SQL) when `expr` lies outside [min, max] (or (min, max) when strict). */
export function outOfBounds(expr: string, p: Params): string {
  const parts: string[] = [];
  const { strictMin, strictMax } = strictness(p);
  if (p.min !== undefined) parts.push(`${expr} ${strictMin ? '<=' : '<'} ${literal(p.min)}`);
  if (p.max !== undefined) parts.push(`${expr} ${strictMax ? '>=' : '>'} ${literal(p.max)}`);
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}
