// Column-level lineage of a model's SQL: which input columns each output column is computed from,
// and which input columns the query reads at all. The SQL is parsed by DuckDB itself
// (`json_serialize_sql`), so the dialect is exactly the one models run in; this module only walks
// the parse tree and resolves names the way DuckDB's binder does (case-insensitively, innermost
// scope first, CTEs shadowing tables, USING columns merged, set operations by position or name).
//
// A column's sources are every input column referenced by the expressions that compute it (through
// CTEs and subqueries, down to the inputs); filters, join conditions and grouping do not make a
// column's sources, but they are in `used`. A scalar, IN or EXISTS subquery in an expression
// contributes every column it references. Nothing is executed, so the inputs need not exist.
//
// The parts: column-lineage/parse-tree.ts (DuckDB's parse tree), expression-names.ts (the names
// DuckDB gives expressions), scope.ts (columns, relations, name resolution), from-clause.ts (the
// FROM clause), analyzer.ts (the walk).
import type { DuckSession } from '../engine/duckdb.js';
import { Analyzer } from './column-lineage/analyzer.js';
import { expressionNames } from './column-lineage/expression-names.js';
import { asArray, asObject, isObject, lower, serialize } from './column-lineage/parse-tree.js';
import { CteEnv, dedupeNames, sortedSources } from './column-lineage/scope.js';

export interface ColumnSource {
  relation: string;
  column: string;
}

export interface ColumnLineage {
  /** Output column name → the input columns it is computed from (deduplicated, sorted). */
  columns: Map<string, ColumnSource[]>;
  /** Every input column the query reads anywhere (select list, joins, where, group by, having, windows, qualify, order by). */
  used: ColumnSource[];
  /** Output columns that could not be traced (say why), e.g. an unknown relation's star. */
  unresolved: { column: string; reason: string }[];
}

/**
 * `inputs`: the relations the SQL may read (table name as written, unquoted → its column names in order).
 * Relations not in `inputs` (e.g. table functions, VALUES) contribute nothing and their columns are unresolved.
 * Throws a plain Error with DuckDB's message on a parse error.
 *
 * `columns` lists every output column whose name is known, in output order, named as DuckDB would
 * name it in a table built from the query (duplicates get DuckDB's `_1`, `_2` suffixes); a column
 * also listed in `unresolved` has only the sources that could be traced. Sources and `used` are
 * sorted by relation, then column, and spelled as in `inputs`. `used` counts what the SQL text
 * reads, CTEs included whether or not they are referenced, and a star reads every column it expands to.
 */
export async function columnLineage(
  duck: DuckSession,
  sql: string,
  inputs: Map<string, string[]>,
): Promise<ColumnLineage> {
  const parsed = await serialize(duck, sql);
  const analyzer = new Analyzer(inputs, await expressionNames(duck, parsed.tree));
  const out = analyzer.query(parsed.node, new CteEnv(undefined), undefined);
  const columns = new Map<string, ColumnSource[]>();
  const unresolved: { column: string; reason: string }[] = [];
  for (const col of dedupeNames(out.cols)) {
    columns.set(col.name, sortedSources(col.src));
    if (col.why.size > 0) unresolved.push({ column: col.name, reason: [...col.why].join('; ') });
  }
  unresolved.push(...out.opaque);
  return { columns, used: sortedSources(analyzer.used), unresolved };
}

/**
 * Every table name a query's FROM clauses name (BASE_TABLE references, anywhere: subqueries,
 * CTE bodies, joins), lower-cased and sorted — less the names its CTEs define (a CTE named like
 * a table hides it). Throws a plain Error with DuckDB's message on a parse error.
 */
export async function tablesReferenced(duck: DuckSession, sql: string): Promise<string[]> {
  const { tree } = await serialize(duck, sql);
  const out = new Set<string>();
  const ctes = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isObject(v)) return;
    if (v.type === 'BASE_TABLE' && typeof v.table_name === 'string')
      out.add(lower(v.table_name as string));
    for (const e of asArray(asObject(v.cte_map)?.map)) {
      const key = asObject(e)?.key;
      if (typeof key === 'string') ctes.add(lower(key));
    }
    for (const x of Object.values(v)) walk(x);
  };
  walk(tree);
  return [...out].filter((t) => !ctes.has(t)).sort();
}
