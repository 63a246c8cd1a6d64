// `sluice check suggest NAME`: checks proposed from a table's data, as dbt properties YAML that
// `parseSpecText` reads and that passes on the data it was suggested from. Two queries in one
// session: the profile scan (row count, NULLs, approximate distinct counts, min / max), then one
// exact query for what the approximations cannot decide (distinct counts, categorical values) —
// each in batches of bounded width for a wide table (scan-batches.ts).
//
// The rules, column by column:
//
// - not_null: the column has no NULLs. A mostly-complete column (at least 90 % non-NULL) gets
//   `not_null: {mostly: f}` with f the non-NULL share rounded down to two decimals (at most 0.99);
//   a sparser column gets no completeness check.
// - unique: every non-NULL value is distinct, verified exactly with count(DISTINCT) (the profile's
//   distinct counts are HyperLogLog estimates and only pick the candidates: estimate ≥ 90 % of the
//   non-NULL rows). Needs at least two non-NULL values; not for BOOLEAN, FLOAT / DOUBLE (floats
//   are measurements, not keys) or nested types.
// - accepted_values: a text column (VARCHAR) with 1 to 20 distinct values (exact, fetched with the
//   values themselves) of which at least one repeats — a categorical column, not an identifier.
// - between: numeric columns get the observed [min, max] widened by 10 % of the observed range on
//   each side and rounded outward to a round number at the scale of that margin (integers stay
//   integers; a column with no negative values keeps min ≥ 0). DATE / TIME / TIMESTAMP columns
//   get the observed min and max as they are (no widening: a date range has no natural margin).
//   Non-finite values (NaN, ±inf) get no range.
// - row_count: {min: 1} for a table that has rows (a load that empties it fails the check).
//
// An empty table gets no checks. The YAML says where it came from (ref, commit, rows) in a header
// comment, and each column's entry has a comment with the figures behind its checks.
import type { Json } from '@duckdb/node-api';
import { Document, isMap, isPair, isScalar, isSeq, type Node, YAMLMap } from 'yaml';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, sqlIdent } from '../engine/duckdb.js';
import { schemaNameOf, withSqlSession } from '../engine/session.js';
import { type Column, getTable } from '../engine/tables.js';
import { type ColumnProfile, profileExprs, readProfile, type TableProfile } from './profile.js';
import { aggregateRow } from './scan-batches.js';

export interface SuggestOptions {
  ref?: string;
  duck?: DuckOptions;
  cacheDir?: string;
}

export interface Suggestion {
  /** dbt properties YAML: `version: 2`, `models: - name: …`. */
  yaml: string;
  /** Checks in the YAML. */
  checks: number;
}

/** Share of non-NULL rows from which a column counts as mostly complete. */
const MOSTLY_FROM = 0.9;
/** Most distinct values a text column may have to get accepted_values. */
const MAX_CATEGORIES = 20;
/** Widening of numeric ranges, as a share of the observed range, on each side. */
const WIDEN = 0.1;

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/i;
const INTEGER =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)/i;
const FLOATING = /^(FLOAT|DOUBLE|REAL)/i;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP)/i;
const TEXT = /^VARCHAR/i;
const NESTED = /^(STRUCT|MAP|UNION)|\]$/i;

type Test = string | Record<string, Record<string, unknown>>;

interface ColumnPlan {
  name: string;
  profile: ColumnProfile;
  tests: Test[];
  notes: string[];
}

/** Proposes checks for a table from its data at a ref (default: the default branch). */
export async function suggestChecks(
  repo: Repository,
  table: string,
  opts: SuggestOptions = {},
): Promise<Suggestion> {
  const ref = opts.ref ?? repo.defaultBranch;
  const t = await getTable(repo, ref, table);
  const commit = (await repo.resolve(ref)).commit;
  const cols = t.manifest.columns;
  const { profile, exact } = await withSqlSession(
    repo,
    { refs: [ref], duck: opts.duck, cacheDir: opts.cacheDir },
    async (s) => {
      const from = `${sqlIdent(schemaNameOf(ref))}.${sqlIdent(table)}`;
      const query = (sql: string) => s.duck.query(sql);
      const profile = readProfile(table, cols, await aggregateRow(query, from, profileExprs(cols)));
      const exprs = exactExprs(cols, profile);
      const exact = exprs.length === 0 ? {} : await aggregateRow(query, from, exprs);
      return { profile, exact };
    },
  );
  return render(table, ref, commit, profile, planColumns(cols, profile, exact));
}

/** Whether a column is a candidate for unique (decided exactly afterwards). */
function uniqueCandidate(c: Column, p: ColumnProfile, rows: number): boolean {
  const nonNull = rows - p.nulls;
  if (nonNull < 2) return false;
  if (/^BOOL/i.test(c.type) || FLOATING.test(c.type) || NESTED.test(c.type)) return false;
  return p.distinct !== undefined && p.distinct >= 0.9 * nonNull;
}

/** Whether a column is a candidate for accepted_values (decided exactly afterwards). */
function categoryCandidate(c: Column, p: ColumnProfile, rows: number): boolean {
  // The estimate may be a little off either way: fetch exactly what could be ≤ 20.
  return (
    TEXT.test(c.type) &&
    rows - p.nulls > 0 &&
    p.distinct !== undefined &&
    p.distinct <= MAX_CATEGORIES * 1.25 + 2
  );
}

/** One query's expressions: exact distinct counts of the candidates, and their values. */
function exactExprs(cols: Column[], profile: TableProfile): string[] {
  const out: string[] = [];
  cols.forEach((c, i) => {
    const p = profile.columns[c.name] as ColumnProfile;
    const u = uniqueCandidate(c, p, profile.rows);
    const a = categoryCandidate(c, p, profile.rows);
    const col = sqlIdent(c.name);
    if (u || a) out.push(`count(DISTINCT ${col}) AS "d${i}"`);
    if (a)
      out.push(
        `CASE WHEN count(DISTINCT ${col}) <= ${MAX_CATEGORIES} THEN list_sort(list(DISTINCT ${col}) FILTER (WHERE ${col} IS NOT NULL)) END AS "v${i}"`,
      );
  });
  return out;
}

function planColumns(
  cols: Column[],
  profile: TableProfile,
  exact: Record<string, Json>,
): ColumnPlan[] {
  const rows = profile.rows;
  return cols.map((c, i) => {
    const p = profile.columns[c.name] as ColumnProfile;
    const plan: ColumnPlan = { name: c.name, profile: p, tests: [], notes: [] };
    const nonNull = rows - p.nulls;
    if (rows === 0 || nonNull === 0) return plan;
    plan.notes.push(
      `${c.type}: ${p.nulls === 0 ? 'no' : p.nulls} NULL${p.nulls === 1 ? '' : 's'} in ${rows} row${rows === 1 ? '' : 's'}`,
    );

    // Completeness.
    if (p.nulls === 0) plan.tests.push('not_null');
    else if (nonNull / rows >= MOSTLY_FROM) {
      const mostly = Math.min(0.99, Math.floor((nonNull / rows) * 100) / 100);
      plan.tests.push({ not_null: { mostly } });
    }

    // Uniqueness and categories, from the exact query.
    const distinct = exact[`d${i}`];
    const d = distinct === undefined || distinct === null ? undefined : Number(distinct);
    if (d !== undefined) plan.notes.push(`${d} distinct`);
    if (d !== undefined && d === nonNull && uniqueCandidate(c, p, rows)) plan.tests.push('unique');
    const values = exact[`v${i}`];
    if (
      d !== undefined &&
      d < nonNull &&
      d <= MAX_CATEGORIES &&
      Array.isArray(values) &&
      values.length === d
    )
      plan.tests.push({ accepted_values: { values: values.map((v) => String(v)) } });

    // Ranges.
    if (NUMERIC.test(c.type)) {
      const range = numericRange(p.min, p.max, INTEGER.test(c.type));
      if (range) {
        plan.tests.push({ between: range });
        plan.notes.push(`observed ${fmtNum(Number(p.min))} … ${fmtNum(Number(p.max))}`);
      }
    } else if (TEMPORAL.test(c.type) && p.min !== undefined && p.max !== undefined) {
      plan.tests.push({ between: { min: String(p.min), max: String(p.max) } });
    }
    return plan;
  });
}

const fmtNum = (x: number): string => String(Number(x.toPrecision(12)));

/** The observed range widened by WIDEN of its width, rounded outward (see the header). */
export function numericRange(
  minV: Json | undefined,
  maxV: Json | undefined,
  integer: boolean,
): { min: number; max: number } | undefined {
  if (minV === undefined || maxV === undefined || minV === null || maxV === null) return undefined;
  const min = Number(minV);
  const max = Number(maxV);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  const margin = (max - min) * WIDEN;
  if (!(margin > 0)) return { min, max };
  let step = 10 ** Math.floor(Math.log10(margin));
  if (integer) step = Math.max(1, step);
  const round = (x: number): number => Number(x.toPrecision(15));
  let lo = round(Math.floor((min - margin) / step) * step);
  let hi = round(Math.ceil((max + margin) / step) * step);
  if (min >= 0 && lo < 0) lo = 0;
  // Rounding must never cut into the observed values.
  if (!(lo <= min)) lo = min;
  if (!(hi >= max)) hi = max;
  return { min: lo, max: hi };
}

function render(
  table: string,
  ref: string,
  commit: string,
  profile: TableProfile,
  columns: ColumnPlan[],
): Suggestion {
  const tableTests: Test[] = profile.rows > 0 ? [{ row_count: { min: 1 } }] : [];
  const model: Record<string, unknown> = { name: table };
  if (tableTests.length) model.tests = tableTests;
  const withTests = columns.filter((c) => c.tests.length > 0);
  if (withTests.length) model.columns = withTests.map((c) => ({ name: c.name, tests: c.tests }));
  const doc = new Document({ version: 2, models: [model] });
  doc.commentBefore = [
    ` Checks suggested by \`sluice check suggest ${table}\` from the data at ${ref}`,
    ` (commit ${commit.slice(0, 12)}, ${profile.rows} row${profile.rows === 1 ? '' : 's'}). Review before use:`,
    ' not_null where there are no NULLs (mostly: the share that is there, rounded down),',
    ' unique where every value is distinct, accepted_values for text columns with at most',
    ` ${MAX_CATEGORIES} distinct values, between with the observed range (numbers widened by`,
    ` ${WIDEN * 100} % of the range on each side, rounded outward; dates and times as observed),`,
    ' row_count at least 1.',
  ].join('\n');
  // Parameters in flow style (`between: {min: 0, max: 10}`), as people write them.
  const modelNode = (doc.get('models') as { items: Node[] }).items[0] as YAMLMap;
  const flowParams = (tests: Node | undefined): void => {
    if (!isSeq(tests)) return;
    for (const t of tests.items) {
      if (!isMap(t)) continue;
      for (const pair of t.items) {
        if (!isPair(pair) || !isMap(pair.value)) continue;
        pair.value.flow = true;
        // Text and dates quoted, so no YAML reader takes `2026-01-01` for a date or `no` for false.
        for (const param of pair.value.items) {
          const v = param.value;
          const scalars = isSeq(v) ? v.items : [v];
          for (const x of scalars)
            if (isScalar(x) && typeof x.value === 'string') x.type = 'QUOTE_DOUBLE';
        }
      }
    }
  };
  flowParams(modelNode.get('tests', true) as Node | undefined);
  const colNodes = modelNode.get('columns', true);
  if (isSeq(colNodes))
    colNodes.items.forEach((node, i) => {
      const plan = withTests[i] as ColumnPlan;
      if (!(node instanceof YAMLMap)) return;
      flowParams(node.get('tests', true) as Node | undefined);
      const name = node.get('name', true);
      if (isScalar(name) && plan.notes.length) name.comment = ` ${plan.notes.join('; ')}`;
    });
  const checks = tableTests.length + withTests.reduce((n, c) => n + c.tests.length, 0);
  return { yaml: doc.toString({ lineWidth: 100, flowCollectionPadding: false }), checks };
}
