// A FROM clause's relations, added to a query's scope left to right (so a derived table sees the
// items to its left): an input table (its columns are known) or a CTE, a subquery, a join (with
// its USING / NATURAL columns merged), a table function or a VALUES list (columns not traced).

import { asArray, asObject, asString, type JsonObject, lower, strings } from './parse-tree.js';
import type { Acc, Binding, Col, CteEnv, QueryOutput, Scope, UsingGroup } from './scope.js';
import { merged, renameColumns, sourceKey, unknownCol, visibleNames } from './scope.js';

/** What the FROM clause needs from the walk: the queries and expressions inside it, and the inputs. */
export interface QueryWalker {
  query(node: JsonObject, env: CteEnv, outer: Scope | undefined): QueryOutput;
  walk(
    value: unknown,
    scope: Scope,
    env: CteEnv,
    acc: Acc | undefined,
    params: ReadonlySet<string>,
    preferAliases: boolean,
  ): void;
  /** Reads `col`: its sources go to `acc` and to what the query uses. */
  touch(col: Col, acc: Acc | undefined): void;
  /** The input relation a table name (with its schema and catalog, if written) names. */
  input(
    table: string,
    schema: string,
    catalog: string,
  ): { relation: string; columns: string[] } | undefined;
}

/** Adds a FROM item's relations to `scope` (left to right, so derived tables see those to their left). */
export function addFromItem(
  w: QueryWalker,
  ref: JsonObject | undefined,
  scope: Scope,
  env: CteEnv,
): void {
  if (ref === undefined) return;
  switch (ref.type) {
    case 'EMPTY':
      return;
    case 'BASE_TABLE':
      baseTable(w, ref, scope, env);
      return;
    case 'SUBQUERY':
      subquery(w, ref, scope, env);
      return;
    case 'JOIN':
      join(w, ref, scope, env);
      return;
    case 'TABLE_FUNCTION':
      tableFunction(w, ref, scope, env);
      return;
    case 'EXPRESSION_LIST':
      valuesList(w, ref, scope, env);
      return;
    default: {
      const type = asString(ref.type);
      scope.bindings.push({
        name: asString(ref.alias) || type.toLowerCase(),
        schema: '',
        cols: strings(ref.column_name_alias).map((c) =>
          unknownCol(c, `comes from a ${type} relation`),
        ),
        opaque: `a ${type} relation has columns that are not known`,
      });
    }
  }
}

/** A named table: a CTE in scope, else an input (its columns known), else opaque. */
function baseTable(w: QueryWalker, ref: JsonObject, scope: Scope, env: CteEnv): void {
  const alias = asString(ref.alias);
  const columnAliases = strings(ref.column_name_alias);
  const table = asString(ref.table_name);
  const schema = asString(ref.schema_name);
  const catalog = asString(ref.catalog_name);
  const name = alias || table;
  const cte = schema === '' && catalog === '' ? env.get(table) : undefined;
  if (cte !== undefined) {
    scope.bindings.push(outputBinding(name, cte, columnAliases));
    return;
  }
  const input = w.input(table, schema, catalog);
  if (input === undefined) {
    scope.bindings.push({
      name,
      schema,
      cols: columnAliases.map((c) => unknownCol(c, `"${table}" is not an input`)),
      opaque: `"${table}" is not an input, so its columns are unknown`,
    });
    return;
  }
  const cols = input.columns.map(
    (column): Col => ({
      name: column,
      src: new Map([
        [sourceKey({ relation: input.relation, column }), { relation: input.relation, column }],
      ]),
      why: new Set(),
    }),
  );
  scope.bindings.push({ name, schema, cols: renameColumns(cols, columnAliases) });
}

/** A derived table: its query sees the FROM items to its left (LATERAL). */
function subquery(w: QueryWalker, ref: JsonObject, scope: Scope, env: CteEnv): void {
  const node = asObject(asObject(ref.subquery)?.node);
  const lateral: Scope = {
    bindings: [...scope.bindings],
    using: [...scope.using],
    parent: scope.parent,
    aliases: [],
  };
  const out = node !== undefined ? w.query(node, env, lateral) : { cols: [], opaque: [] };
  scope.bindings.push(
    outputBinding(asString(ref.alias) || 'unnamed_subquery', out, strings(ref.column_name_alias)),
  );
}

/** Both sides, their USING or NATURAL columns merged, then the join condition read. */
function join(w: QueryWalker, ref: JsonObject, scope: Scope, env: CteEnv): void {
  const start = scope.bindings.length;
  addFromItem(w, asObject(ref.left), scope, env);
  const mid = scope.bindings.length;
  addFromItem(w, asObject(ref.right), scope, env);
  const left = scope.bindings.slice(start, mid);
  const right = scope.bindings.slice(mid);
  const shared =
    ref.ref_type === 'NATURAL'
      ? visibleNames(left, scope).filter((n) =>
          visibleNames(right, scope).some((m) => lower(m) === lower(n)),
        )
      : strings(ref.using_columns);
  for (const column of shared) mergeUsing(w, column, left, right, scope);
  w.walk(ref.condition, scope, env, undefined, new Set(), false);
}

/** A table function: its arguments are read; its columns are not known. */
function tableFunction(w: QueryWalker, ref: JsonObject, scope: Scope, env: CteEnv): void {
  const alias = asString(ref.alias);
  const fn = asObject(ref.function);
  const fname = asString(fn?.function_name) || 'function';
  const lateral: Scope = { ...scope, bindings: [...scope.bindings] };
  w.walk(fn, lateral, env, undefined, new Set(), false);
  const why = `comes from table function ${fname}`;
  scope.bindings.push({
    name: alias || fname,
    schema: '',
    cols: strings(ref.column_name_alias).map((c) => unknownCol(c, why)),
    opaque: `table function ${fname} has columns that are not known`,
  });
}

/** A VALUES list: its expressions are read; its columns come from no input. */
function valuesList(w: QueryWalker, ref: JsonObject, scope: Scope, env: CteEnv): void {
  const rows = asArray(ref.values);
  w.walk(rows, scope, env, undefined, new Set(), false);
  const width = asArray(rows[0]).length;
  const cols = Array.from({ length: width }, (_, i) =>
    unknownCol(`col${i}`, 'comes from a VALUES list'),
  );
  scope.bindings.push({
    name: asString(ref.alias) || 'valueslist',
    schema: '',
    cols: renameColumns(cols, strings(ref.column_name_alias)),
  });
}

/** A CTE or subquery as a relation: its output columns, opaque when some are not known. */
function outputBinding(name: string, out: QueryOutput, columnAliases: string[]): Binding {
  const binding: Binding = { name, schema: '', cols: renameColumns(out.cols, columnAliases) };
  if (out.opaque.length > 0) {
    binding.opaque = [...new Set(out.opaque.map((o) => o.reason))].join('; ');
  }
  return binding;
}

/** JOIN … USING (column): one column merged from the left side and the right side. */
function mergeUsing(
  w: QueryWalker,
  column: string,
  left: Binding[],
  right: Binding[],
  scope: Scope,
): void {
  const side = (bindings: Binding[]): { groups: UsingGroup[]; members: UsingGroup['members'] } => {
    const groups = scope.using.filter(
      (g) => lower(g.name) === lower(column) && g.members.some((m) => bindings.includes(m.binding)),
    );
    if (groups.length > 0) return { groups, members: groups.flatMap((g) => g.members) };
    for (const binding of bindings) {
      const index = binding.cols.findIndex((c) => lower(c.name) === lower(column));
      if (index >= 0) return { groups: [], members: [{ binding, index }] };
    }
    return { groups: [], members: [] };
  };
  const l = side(left);
  const r = side(right);
  const members = [...l.members, ...r.members];
  if (members.length === 0) return;
  const cols = members.map((m) => m.binding.cols[m.index]).filter((c): c is Col => c !== undefined);
  const first = cols[0];
  const name = l.groups[0]?.name ?? first?.name ?? column;
  const unknownSide = [left, right].find(
    (bindings, i) =>
      (i === 0 ? l : r).members.length === 0 && bindings.some((b) => b.opaque !== undefined),
  );
  const why =
    unknownSide === undefined
      ? undefined
      : `${column} (USING) may come from ${unknownSide
          .filter((b) => b.opaque !== undefined)
          .map((b) => `${b.name}: ${b.opaque}`)
          .join('; ')}`;
  const group: UsingGroup = { name, col: merged(name, cols, why), members };
  scope.using = scope.using.filter((g) => !l.groups.includes(g) && !r.groups.includes(g));
  scope.using.push(group);
  w.touch(group.col, undefined);
}
