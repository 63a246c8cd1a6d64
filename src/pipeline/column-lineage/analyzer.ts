// The lineage walk over a query's parse tree: queries (SELECT, set operations, recursive CTEs,
// each with its WITH), select lists and stars, and every expression — gathering, per output
// column, the input columns it is computed from, and every input column read anywhere (`used`).
// The FROM clause is from-clause.ts; names resolve as scope.ts says.

import type { ColumnSource } from '../column-lineage.js';
import { addFromItem, type QueryWalker } from './from-clause.js';
import {
  asArray,
  asObject,
  asString,
  containsColumnsStar,
  isObject,
  type JsonObject,
  lower,
  strings,
} from './parse-tree.js';
import {
  type Acc,
  type Binding,
  type Col,
  CteEnv,
  dedupeNames,
  expandStar,
  merged,
  mergeInto,
  newAcc,
  type QueryOutput,
  renameColumns,
  resolveColumn,
  type Scope,
  type Unresolved,
} from './scope.js';

/** One query's analysis: `query` on its top node, then `used` holds every input column it reads. */
export class Analyzer implements QueryWalker {
  /** Every input column read anywhere. */
  readonly used = new Map<string, ColumnSource>();
  /** Subqueries being analysed inside expressions: each gathers every column read within it. */
  private readonly collectors: Acc[] = [];
  private readonly inputs = new Map<string, { relation: string; columns: string[] }>();

  constructor(
    inputs: Map<string, string[]>,
    private readonly names: WeakMap<JsonObject, string>,
  ) {
    for (const [relation, columns] of inputs) {
      if (!this.inputs.has(lower(relation)))
        this.inputs.set(lower(relation), { relation, columns });
    }
  }

  /** Reads `col`: its sources go to `acc`, to `used` and to every enclosing subquery. */
  touch(col: Col, acc: Acc | undefined): void {
    for (const [k, v] of col.src) this.used.set(k, v);
    if (acc !== undefined) mergeInto(acc, col);
    for (const c of this.collectors) mergeInto(c, col);
  }

  /** An input by its name as written: `t`, `schema.t` or `catalog.schema.t`, case-insensitively. */
  input(table: string, schema: string, catalog: string) {
    return (
      this.inputs.get(lower(table)) ??
      (schema !== '' ? this.inputs.get(lower(`${schema}.${table}`)) : undefined) ??
      (catalog !== '' ? this.inputs.get(lower(`${catalog}.${schema}.${table}`)) : undefined)
    );
  }

  query(node: JsonObject, env: CteEnv, outer: Scope | undefined): QueryOutput {
    switch (node.type) {
      case 'SELECT_NODE':
        return this.select(node, this.withCtes(node, env, outer), outer);
      case 'SET_OPERATION_NODE':
        return this.setOperation(node, this.withCtes(node, env, outer), outer);
      case 'RECURSIVE_CTE_NODE':
        return this.recursiveCte(node, this.withCtes(node, env, outer), outer);
      default:
        return {
          cols: [],
          opaque: [{ column: '*', reason: `unsupported query node ${asString(node.type)}` }],
        };
    }
  }

  /** The CTEs of a WITH: each sees the ones before it (so `with t as (select … from t)` reads table t). */
  private withCtes(node: JsonObject, env: CteEnv, outer: Scope | undefined): CteEnv {
    const entries = asArray(asObject(node.cte_map)?.map);
    if (entries.length === 0) return env;
    const inner = new CteEnv(env);
    for (const entry of entries) {
      const e = asObject(entry);
      const name = asString(e?.key);
      const value = asObject(e?.value);
      const query = asObject(asObject(value?.query)?.node);
      if (query === undefined) continue;
      const out = this.query(query, inner, outer);
      inner.set(name, {
        cols: renameColumns(out.cols, strings(value?.aliases)),
        opaque: out.opaque,
      });
    }
    return inner;
  }

  private select(node: JsonObject, env: CteEnv, outer: Scope | undefined): QueryOutput {
    const scope: Scope = { bindings: [], using: [], parent: outer, aliases: [] };
    addFromItem(this, asObject(node.from_table), scope, env);
    const cols: Col[] = [];
    const opaque: Unresolved[] = [];
    asArray(node.select_list).forEach((value, i) => {
      const item = asObject(value);
      if (item === undefined) return;
      if (item.class === 'STAR' && item.columns !== true) {
        const expanded = this.star(item, scope, env, opaque);
        cols.push(...expanded);
        return;
      }
      if (item.class === 'STAR') {
        const expanded = this.columnsStar(item, scope, env, opaque);
        if (expanded !== undefined) {
          cols.push(...expanded);
          return;
        }
      }
      const acc = newAcc();
      let name = asString(item.alias);
      if (item.class === 'COLUMN_REF') {
        const resolved = resolveColumn(strings(item.column_names), scope, false);
        this.touch(resolved.col, acc);
        if (name === '') name = resolved.name;
      } else {
        this.walk(item, scope, env, acc, new Set(), false);
        if (name === '') name = this.names.get(item) ?? '';
      }
      if (containsColumnsStar(item)) {
        opaque.push({
          column: name || `#${i + 1}`,
          reason: 'a COLUMNS(...) expression expands to columns that are not traced',
        });
        return;
      }
      if (name === '') {
        opaque.push({
          column: `#${i + 1}`,
          reason: 'an unaliased expression whose name DuckDB could not print',
        });
        return;
      }
      const col: Col = { name, src: acc.src, why: acc.why };
      cols.push(col);
      if (asString(item.alias) !== '') scope.aliases.push(col);
    });
    for (const key of ['where_clause', 'group_expressions', 'having', 'qualify']) {
      this.walk(node[key], scope, env, undefined, new Set(), false);
    }
    const withOutputs: Scope = { ...scope, aliases: [...cols, ...scope.aliases] };
    for (const modifier of asArray(node.modifiers)) {
      this.walk(modifier, withOutputs, env, undefined, new Set(), true);
    }
    return { cols: dedupeNames(cols), opaque };
  }

  private setOperation(node: JsonObject, env: CteEnv, outer: Scope | undefined): QueryOutput {
    const branches = Array.isArray(node.children)
      ? node.children.map(asObject)
      : [asObject(node.left), asObject(node.right)];
    const outs = branches
      .filter((b): b is JsonObject => b !== undefined)
      .map((b) => this.query(b, env, outer));
    const first = outs[0];
    if (first === undefined) return { cols: [], opaque: [] };
    const opaque = outs.flatMap((o) => o.opaque);
    const uncertain =
      opaque.length > 0
        ? 'a branch of the set operation has columns that are not known'
        : undefined;
    let cols: Col[];
    if (asString(node.setop_type) === 'UNION_BY_NAME') {
      const names: string[] = [];
      for (const o of outs) {
        for (const c of o.cols) {
          if (!names.some((n) => lower(n) === lower(c.name))) names.push(c.name);
        }
      }
      cols = names.map((name) =>
        merged(
          name,
          outs.flatMap((o) => o.cols.filter((c) => lower(c.name) === lower(name))),
          uncertain,
        ),
      );
    } else {
      cols = first.cols.map((c, i) =>
        merged(
          c.name,
          outs.flatMap((o) => (o.cols[i] !== undefined ? [o.cols[i]] : [])),
          uncertain,
        ),
      );
    }
    const scope: Scope = { bindings: [], using: [], parent: outer, aliases: cols };
    for (const modifier of asArray(node.modifiers)) {
      this.walk(modifier, scope, env, undefined, new Set(), true);
    }
    return { cols, opaque };
  }

  /** WITH RECURSIVE: the anchor's columns, widened by the recursive part until nothing changes. */
  private recursiveCte(node: JsonObject, env: CteEnv, outer: Scope | undefined): QueryOutput {
    const name = asString(node.cte_name);
    const aliases = strings(node.aliases);
    const left = asObject(node.left);
    const right = asObject(node.right);
    if (left === undefined) return { cols: [], opaque: [] };
    const anchor = this.query(left, env, outer);
    let out: QueryOutput = { cols: renameColumns(anchor.cols, aliases), opaque: anchor.opaque };
    if (right === undefined) return out;
    for (let round = 0; round < 8; round++) {
      const inner = new CteEnv(env);
      inner.set(name, out);
      const step = this.query(right, inner, outer);
      const cols = out.cols.map((c, i) =>
        merged(c.name, step.cols[i] !== undefined ? [c, step.cols[i]] : [c]),
      );
      const grew = cols.some((c, i) => {
        const before = out.cols[i];
        return (
          before === undefined || c.src.size !== before.src.size || c.why.size !== before.why.size
        );
      });
      out = { cols, opaque: [...anchor.opaque, ...step.opaque] };
      if (!grew) break;
    }
    return out;
  }

  // --- stars ----------------------------------------------------------------------------------

  /** `*`, `t.*`, with EXCLUDE, REPLACE and RENAME. */
  private star(item: JsonObject, scope: Scope, env: CteEnv, opaque: Unresolved[]): Col[] {
    const relation = asString(item.relation_name);
    let bindings: Binding[];
    if (relation === '') {
      bindings = scope.bindings;
    } else {
      const binding = scope.bindings.find((b) => lower(b.name) === lower(relation));
      if (binding === undefined) {
        opaque.push({ column: `${relation}.*`, reason: `no relation "${relation}" in scope` });
        return [];
      }
      bindings = [binding];
    }
    for (const b of bindings) {
      if (b.opaque !== undefined) {
        opaque.push({
          column: relation === '' ? '*' : `${relation}.*`,
          reason: `${b.name}: ${b.opaque}`,
        });
      }
    }
    const cols = relation === '' ? expandStar(bindings, scope) : (bindings[0]?.cols ?? []);
    const origin = (col: Col): Binding | undefined =>
      bindings.find((b) => b.cols.includes(col)) ??
      scope.using.find((g) => g.col === col)?.members[0]?.binding;
    const excluded = new Set(strings(item.exclude_list).map(lower));
    const qualifiedExcludes = asArray(item.qualified_exclude_list).map((q) => asObject(q) ?? {});
    const replaces = new Map<string, JsonObject>();
    for (const r of asArray(item.replace_list)) {
      const e = asObject(r);
      const value = asObject(e?.value);
      if (e !== undefined && value !== undefined) replaces.set(lower(asString(e.key)), value);
    }
    const renames = asArray(item.rename_list).map((r) => asObject(r) ?? {});
    const out: Col[] = [];
    for (const col of cols) {
      const key = lower(col.name);
      const from = origin(col);
      const matches = (q: JsonObject): boolean =>
        lower(asString(asObject(q.key)?.column ?? q.column)) === key &&
        (asString(asObject(q.key)?.table ?? q.table) === '' ||
          lower(asString(asObject(q.key)?.table ?? q.table)) === lower(from?.name ?? ''));
      if (excluded.has(key) || qualifiedExcludes.some(matches)) continue;
      let result = col;
      const replacement = replaces.get(key);
      if (replacement !== undefined) {
        const acc = newAcc();
        this.walk(replacement, scope, env, acc, new Set(), false);
        result = { name: col.name, src: acc.src, why: acc.why };
      } else {
        this.touch(col, undefined);
      }
      const rename = renames.find(matches);
      if (rename !== undefined) result = { ...result, name: asString(rename.value) };
      out.push(result);
    }
    return out;
  }

  /** `COLUMNS('regex')` and `COLUMNS(*)` as a whole select item; undefined for other forms. */
  private columnsStar(
    item: JsonObject,
    scope: Scope,
    env: CteEnv,
    opaque: Unresolved[],
  ): Col[] | undefined {
    const expr = asObject(item.expr);
    if (expr === undefined) return this.star({ ...item, columns: false }, scope, env, opaque);
    if (expr.class === 'STAR' && expr.columns !== true) return this.star(expr, scope, env, opaque);
    const value = asObject(expr.value);
    if (expr.class !== 'CONSTANT' || typeof value?.value !== 'string') return undefined;
    let pattern: RegExp;
    try {
      pattern = new RegExp(value.value);
    } catch {
      return undefined;
    }
    return this.star({ ...item, expr: null, columns: false }, scope, env, opaque).filter((c) =>
      pattern.test(c.name),
    );
  }

  // --- expressions ------------------------------------------------------------------------------

  /**
   * Every column an expression reads, whatever its class: column refs anywhere in the subtree
   * (lambda parameters excepted), and everything a subquery inside it reads.
   */
  walk(
    value: unknown,
    scope: Scope,
    env: CteEnv,
    acc: Acc | undefined,
    params: ReadonlySet<string>,
    preferAliases: boolean,
  ): void {
    if (Array.isArray(value)) {
      for (const v of value) this.walk(v, scope, env, acc, params, preferAliases);
      return;
    }
    if (!isObject(value)) return;
    switch (value.class) {
      case 'COLUMN_REF': {
        const parts = strings(value.column_names);
        if (params.has(lower(parts[0] ?? ''))) return;
        this.touch(resolveColumn(parts, scope, preferAliases).col, acc);
        return;
      }
      case 'SUBQUERY': {
        const node = asObject(asObject(value.subquery)?.node);
        const collector = newAcc();
        this.collectors.push(collector);
        try {
          if (node !== undefined) this.query(node, env, scope);
        } finally {
          this.collectors.pop();
        }
        if (acc !== undefined) mergeInto(acc, collector);
        this.walk(value.child, scope, env, acc, params, preferAliases);
        return;
      }
      case 'LAMBDA': {
        const inner = new Set(params);
        const lhs = asObject(value.lhs);
        for (const ref of lhs?.class === 'COLUMN_REF' ? [lhs] : asArray(lhs?.children)) {
          const name = strings(asObject(ref)?.column_names)[0];
          if (name !== undefined) inner.add(lower(name));
        }
        this.walk(value.expr, scope, env, acc, inner, preferAliases);
        return;
      }
      case 'STAR': {
        // ORDER BY ALL names the select list, already read.
        if (preferAliases) return;
        const cols = this.star({ ...value, columns: false }, scope, env, []);
        for (const col of cols) this.touch(col, acc);
        return;
      }
      default:
        for (const v of Object.values(value)) this.walk(v, scope, env, acc, params, preferAliases);
    }
  }
}
