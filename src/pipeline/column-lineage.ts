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
import type { DuckSession } from '../engine/duckdb.js';
import { sqlIdent, sqlString } from '../engine/duckdb.js';

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

// ---------------------------------------------------------------------------------------------
// The parse tree

type JsonObject = { [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): JsonObject | undefined => (isObject(v) ? v : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => asArray(v).map(asString);
const lower = (s: string): string => s.toLowerCase();

/** Parses `sql` with DuckDB; the tree is kept whole (for re-serializing expressions) and the one SELECT's node. */
async function serialize(
  duck: DuckSession,
  sql: string,
): Promise<{ tree: JsonObject; node: JsonObject }> {
  const r = await duck.query(`SELECT json_serialize_sql(${sqlString(sql)}) AS j`);
  const text = String(r.rows[0]?.j ?? '');
  const tree = asObject(JSON.parse(protectBigInts(text)));
  if (tree === undefined) throw new Error('json_serialize_sql returned no parse tree');
  if (tree.error === true) {
    throw new Error(asString(tree.error_message) || 'DuckDB could not parse the SQL');
  }
  const statements = asArray(tree.statements);
  if (statements.length !== 1) {
    throw new Error(`expected one SELECT statement, got ${statements.length}`);
  }
  const node = asObject(asObject(statements[0])?.node);
  if (node === undefined) throw new Error('json_serialize_sql returned a statement without a node');
  return { tree, node };
}

// The tree carries 64-bit integers (unset query locations are UINT64_MAX; BIGINT and HUGEINT
// constants) that a JS number would round; they are kept as marked strings while the tree is
// held, and turned back into numbers when an expression is handed back to DuckDB.
const BIG = '\uE000sluice-bigint:';

function protectBigInts(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j] as string)) j++;
      const num = text.slice(i, j);
      if (/^-?\d+$/.test(num) && !Number.isSafeInteger(Number(num))) {
        out += `${text.slice(last, i)}"${BIG}${num}"`;
        last = j;
      }
      i = j;
    } else {
      i++;
    }
  }
  return out + text.slice(last);
}

const restoreBigInts = (json: string): string =>
  json.replace(new RegExp(`"${BIG}(-?\\d+)"`, 'g'), '$1');

/**
 * The names DuckDB gives unaliased expressions (other than column refs) in select lists: the
 * expression's SQL text as DuckDB prints it, got by handing each expression back to
 * `json_deserialize_sql` alone in a `SELECT`. One query for all of them; one at a time if that
 * fails, so that an expression DuckDB cannot print only loses its own name.
 */
async function expressionNames(
  duck: DuckSession,
  tree: JsonObject,
): Promise<WeakMap<JsonObject, string>> {
  const items: JsonObject[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!isObject(v)) return;
    if (v.type === 'SELECT_NODE') {
      for (const item of asArray(v.select_list)) {
        if (
          isObject(item) &&
          asString(item.alias) === '' &&
          item.class !== 'COLUMN_REF' &&
          item.class !== 'STAR'
        ) {
          items.push(item);
        }
      }
    }
    for (const x of Object.values(v)) visit(x);
  };
  visit(tree);
  const names = new WeakMap<JsonObject, string>();
  if (items.length === 0) return names;
  // The parse tree holds cast types resolved (`::double precision` is DOUBLE), but DuckDB names a
  // cast by the type as parsed; each cast type is printed here, in place of a placeholder.
  const prepared = items.map((item) => {
    const types: (string | undefined)[] = [];
    const expr = replaceCastTypes(item, types);
    return { item, expr, types };
  });
  const statement = (expr: unknown): string =>
    sqlString(
      restoreBigInts(
        JSON.stringify({
          error: false,
          statements: [
            {
              node: {
                type: 'SELECT_NODE',
                modifiers: [],
                cte_map: { map: [] },
                select_list: [expr],
                from_table: { type: 'EMPTY', alias: '', sample: null, query_location: 0 },
                where_clause: null,
                group_expressions: [],
                group_sets: [],
                aggregate_handling: 'STANDARD_HANDLING',
                having: null,
                sample: null,
                qualify: null,
              },
              named_param_map: [],
            },
          ],
        }),
      ),
    );
  const record = (p: (typeof prepared)[number], printed: unknown): void => {
    const m = /^SELECT (.*)$/s.exec(String(printed ?? ''));
    let name = m?.[1];
    if (name === undefined || p.types.some((t) => t === undefined)) return;
    p.types.forEach((t, i) => {
      name = name?.replaceAll(sqlIdent(castPlaceholder(i)), t ?? '');
    });
    names.set(p.item, name);
  };
  try {
    const values = prepared.map((p, i) => `(${i}, ${statement(p.expr)})`).join(', ');
    const r = await duck.query(
      `SELECT i, json_deserialize_sql(s) AS d FROM (VALUES ${values}) v(i, s) ORDER BY i`,
    );
    for (const row of r.rows) {
      const p = prepared[Number(row.i)];
      if (p !== undefined) record(p, row.d);
    }
  } catch {
    for (const p of prepared) {
      try {
        const r = await duck.query(`SELECT json_deserialize_sql(${statement(p.expr)}) AS d`);
        record(p, r.rows[0]?.d);
      } catch {
        // Left unnamed: the column is reported unresolved.
      }
    }
  }
  return names;
}

const castPlaceholder = (i: number): string => `\uE001cast${i}`;

/** A copy of `value` whose cast types are placeholders; `types` gets each one's printed type. */
function replaceCastTypes(
  value: unknown,
  types: (string | undefined)[],
  parserMade = new WeakSet<JsonObject>(),
): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceCastTypes(v, types, parserMade));
  if (!isObject(value)) return value;
  // `interval 3 day` parses to to_days(CAST(trunc(CAST(3 AS DOUBLE)) AS INTEGER)), whose inner
  // cast the parser makes with a resolved type: it prints bare.
  if (value.class === 'FUNCTION' && /^to_/.test(asString(value.function_name))) {
    const outer = asObject(asArray(value.children)[0]);
    const trunc = asObject(outer?.child);
    const inner = asObject(asArray(trunc?.children)[0]);
    if (outer?.class === 'CAST' && trunc?.function_name === 'trunc' && inner?.class === 'CAST') {
      parserMade.add(inner);
    }
  }
  const copy: JsonObject = {};
  for (const [k, v] of Object.entries(value)) copy[k] = replaceCastTypes(v, types, parserMade);
  if (value.class === 'CAST' && isObject(value.cast_type)) {
    copy.cast_type = {
      id: 'UNBOUND',
      type_info: {
        type: 'UNBOUND_TYPE_INFO',
        alias: '',
        extension_info: null,
        name: castPlaceholder(types.length),
        catalog: '',
        schema: '',
        user_type_modifiers: [],
      },
    };
    const id = asString(value.cast_type.id);
    types.push(parserMade.has(value) && /^[A-Z]+$/.test(id) ? id : typeName(value.cast_type));
  }
  return copy;
}

// Types the grammar itself knows print bare; the others are looked up by name and print quoted.
const BARE_TYPES = new Set([
  'INTEGER',
  'SMALLINT',
  'BIGINT',
  'FLOAT',
  'BOOLEAN',
  'TIMESTAMP',
  'TIME',
  'INTERVAL',
  'VARCHAR',
]);

/**
 * A cast type as DuckDB prints it in a column name, or undefined when the parse tree does not say
 * (BIT lengths, user types with modifiers). `VARCHAR(n)` prints as `VARCHAR`, `DECIMAL` as
 * `DECIMAL(w, s)` unless it has the default width and scale: the tree does not keep how they were written.
 */
function typeName(type: JsonObject): string | undefined {
  const id = asString(type.id);
  const info = asObject(type.type_info);
  const child = (): string | undefined => {
    const c = asObject(info?.child_type);
    return c === undefined ? undefined : typeName(c);
  };
  const fields = (skip: number): string | undefined => {
    const parts = asArray(info?.child_types)
      .slice(skip)
      .map((f) => {
        const field = asObject(f);
        const t = asObject(field?.second);
        const name = asString(field?.first);
        const printed = t === undefined ? undefined : typeName(t);
        if (printed === undefined) return undefined;
        return `${/^[a-z_][a-z0-9_]*$/.test(name) ? name : sqlIdent(name)} ${printed}`;
      });
    return parts.some((p) => p === undefined) ? undefined : parts.join(', ');
  };
  if (BARE_TYPES.has(id)) return id;
  switch (id) {
    case 'DECIMAL': {
      const width = Number(info?.width);
      const scale = Number(info?.scale);
      return width === 18 && scale === 3 ? 'DECIMAL' : `DECIMAL(${width}, ${scale})`;
    }
    case 'LIST': {
      const c = child();
      return c === undefined ? undefined : `${c}[]`;
    }
    case 'ARRAY': {
      const c = child();
      return c === undefined ? undefined : `${c}[${Number(info?.size)}]`;
    }
    case 'STRUCT': {
      const f = fields(0);
      return f === undefined ? undefined : `STRUCT(${f})`;
    }
    case 'UNION': {
      const f = fields(1);
      return f === undefined ? undefined : `UNION(${f})`;
    }
    case 'MAP': {
      const entry = asObject(asObject(info?.child_type)?.type_info);
      const [k, v] = asArray(entry?.child_types).map((f) => asObject(asObject(f)?.second));
      const key = k === undefined ? undefined : typeName(k);
      const value = v === undefined ? undefined : typeName(v);
      return key === undefined || value === undefined ? undefined : `MAP(${key}, ${value})`;
    }
    case 'UNBOUND':
      return asArray(info?.user_type_modifiers).length === 0 &&
        asString(info?.schema) === '' &&
        asString(info?.catalog) === ''
        ? sqlIdent(asString(info?.name))
        : undefined;
    case 'BIT':
      return undefined;
    default:
      return /^[A-Z_][A-Z0-9_ ]*$/.test(id) ? sqlIdent(id) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Columns, relations and scopes

/** A column of some relation or query output: where its values come from, and what could not be traced. */
interface Col {
  name: string;
  /** `relation \0 column` → the input column. */
  src: ReadonlyMap<string, ColumnSource>;
  /** Why some of its sources are unknown (empty when fully traced). */
  why: ReadonlySet<string>;
}

/** Sources and reasons being gathered for one expression (or one subquery). */
interface Acc {
  src: Map<string, ColumnSource>;
  why: Set<string>;
}

interface Unresolved {
  column: string;
  reason: string;
}

/** What a query produces: its columns in order, and stars whose columns are unknown. */
interface QueryOutput {
  cols: Col[];
  opaque: Unresolved[];
}

/** A relation in a FROM clause, as the query sees it. */
interface Binding {
  /** What qualifies its columns: the alias, else the table (CTE, function) name. */
  name: string;
  /** For a table named with a schema (`main.t`): `main`. */
  schema: string;
  cols: Col[];
  /** Set when the relation's columns are not (all) known: why. */
  opaque?: string;
}

/** A column merged by JOIN … USING or NATURAL JOIN: one column, from every side. */
interface UsingGroup {
  name: string;
  col: Col;
  members: { binding: Binding; index: number }[];
}

interface Scope {
  bindings: Binding[];
  using: UsingGroup[];
  /** The enclosing query's scope (correlated subqueries) or, for a derived table, the FROM items to its left. */
  parent: Scope | undefined;
  /** Select-list aliases, usable by later select items, WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY. */
  aliases: Col[];
}

class CteEnv {
  private readonly ctes = new Map<string, QueryOutput>();
  constructor(private readonly parent: CteEnv | undefined) {}
  get(name: string): QueryOutput | undefined {
    return this.ctes.get(lower(name)) ?? this.parent?.get(name);
  }
  set(name: string, out: QueryOutput): void {
    this.ctes.set(lower(name), out);
  }
}

const sourceKey = (s: ColumnSource): string => `${s.relation}\u0000${s.column}`;

function sortedSources(src: ReadonlyMap<string, ColumnSource>): ColumnSource[] {
  return [...src.values()].sort((a, b) =>
    a.relation === b.relation ? compare(a.column, b.column) : compare(a.relation, b.relation),
  );
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const newAcc = (): Acc => ({ src: new Map(), why: new Set() });

function mergeInto(
  acc: Acc,
  col: { src: ReadonlyMap<string, ColumnSource>; why: ReadonlySet<string> },
): void {
  for (const [k, v] of col.src) acc.src.set(k, v);
  for (const w of col.why) acc.why.add(w);
}

function merged(name: string, cols: readonly Col[], extraWhy?: string): Col {
  const acc = newAcc();
  for (const c of cols) mergeInto(acc, c);
  if (extraWhy !== undefined) acc.why.add(extraWhy);
  return { name, src: acc.src, why: acc.why };
}

const unknownCol = (name: string, why: string): Col => ({
  name,
  src: new Map(),
  why: new Set([why]),
});

/** DuckDB's names for duplicate columns of a table or subquery: `a`, `a_1`, `a_2` (case-insensitive). */
function dedupeNames(cols: readonly Col[]): Col[] {
  const taken = new Set<string>();
  return cols.map((col) => {
    let name = col.name;
    for (let k = 1; taken.has(lower(name)); k++) name = `${col.name}_${k}`;
    taken.add(lower(name));
    return name === col.name ? col : { ...col, name };
  });
}

/** `from t as x(p, q)`: renames the first columns. */
function renameColumns(cols: readonly Col[], aliases: readonly string[]): Col[] {
  return cols.map((col, i) => {
    const alias = aliases[i];
    return alias !== undefined && alias !== '' ? { ...col, name: alias } : col;
  });
}

const refText = (parts: readonly string[]): string => parts.join('.');

// ---------------------------------------------------------------------------------------------
// The walk

class Analyzer {
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
  private touch(col: Col, acc: Acc | undefined): void {
    for (const [k, v] of col.src) this.used.set(k, v);
    if (acc !== undefined) mergeInto(acc, col);
    for (const c of this.collectors) mergeInto(c, col);
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
    this.from(asObject(node.from_table), scope, env);
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
        const resolved = this.resolve(strings(item.column_names), scope, false);
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

  // --- FROM ---------------------------------------------------------------------------------

  /** Adds a FROM item's relations to `scope` (left to right, so derived tables see those to their left). */
  private from(ref: JsonObject | undefined, scope: Scope, env: CteEnv): void {
    if (ref === undefined) return;
    const alias = asString(ref.alias);
    const columnAliases = strings(ref.column_name_alias);
    switch (ref.type) {
      case 'EMPTY':
        return;
      case 'BASE_TABLE': {
        const table = asString(ref.table_name);
        const schema = asString(ref.schema_name);
        const catalog = asString(ref.catalog_name);
        const name = alias || table;
        const cte = schema === '' && catalog === '' ? env.get(table) : undefined;
        if (cte !== undefined) {
          scope.bindings.push(this.outputBinding(name, cte, columnAliases));
          return;
        }
        const input =
          this.inputs.get(lower(table)) ??
          (schema !== '' ? this.inputs.get(lower(`${schema}.${table}`)) : undefined) ??
          (catalog !== '' ? this.inputs.get(lower(`${catalog}.${schema}.${table}`)) : undefined);
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
              [
                sourceKey({ relation: input.relation, column }),
                { relation: input.relation, column },
              ],
            ]),
            why: new Set(),
          }),
        );
        scope.bindings.push({ name, schema, cols: renameColumns(cols, columnAliases) });
        return;
      }
      case 'SUBQUERY': {
        const node = asObject(asObject(ref.subquery)?.node);
        const lateral: Scope = {
          bindings: [...scope.bindings],
          using: [...scope.using],
          parent: scope.parent,
          aliases: [],
        };
        const out = node !== undefined ? this.query(node, env, lateral) : { cols: [], opaque: [] };
        scope.bindings.push(this.outputBinding(alias || 'unnamed_subquery', out, columnAliases));
        return;
      }
      case 'JOIN': {
        const start = scope.bindings.length;
        this.from(asObject(ref.left), scope, env);
        const mid = scope.bindings.length;
        this.from(asObject(ref.right), scope, env);
        const left = scope.bindings.slice(start, mid);
        const right = scope.bindings.slice(mid);
        const shared =
          ref.ref_type === 'NATURAL'
            ? this.visible(left, scope).filter((n) =>
                this.visible(right, scope).some((m) => lower(m) === lower(n)),
              )
            : strings(ref.using_columns);
        for (const column of shared) this.mergeUsing(column, left, right, scope);
        this.walk(ref.condition, scope, env, undefined, new Set(), false);
        return;
      }
      case 'TABLE_FUNCTION': {
        const fn = asObject(ref.function);
        const fname = asString(fn?.function_name) || 'function';
        const lateral: Scope = { ...scope, bindings: [...scope.bindings] };
        this.walk(fn, lateral, env, undefined, new Set(), false);
        const why = `comes from table function ${fname}`;
        scope.bindings.push({
          name: alias || fname,
          schema: '',
          cols: columnAliases.map((c) => unknownCol(c, why)),
          opaque: `table function ${fname} has columns that are not known`,
        });
        return;
      }
      case 'EXPRESSION_LIST': {
        const rows = asArray(ref.values);
        this.walk(rows, scope, env, undefined, new Set(), false);
        const width = asArray(rows[0]).length;
        const cols = Array.from({ length: width }, (_, i) =>
          unknownCol(`col${i}`, 'comes from a VALUES list'),
        );
        scope.bindings.push({
          name: alias || 'valueslist',
          schema: '',
          cols: renameColumns(cols, columnAliases),
        });
        return;
      }
      default: {
        const type = asString(ref.type);
        scope.bindings.push({
          name: alias || type.toLowerCase(),
          schema: '',
          cols: columnAliases.map((c) => unknownCol(c, `comes from a ${type} relation`)),
          opaque: `a ${type} relation has columns that are not known`,
        });
      }
    }
  }

  private outputBinding(name: string, out: QueryOutput, columnAliases: string[]): Binding {
    const binding: Binding = { name, schema: '', cols: renameColumns(out.cols, columnAliases) };
    if (out.opaque.length > 0) {
      binding.opaque = [...new Set(out.opaque.map((o) => o.reason))].join('; ');
    }
    return binding;
  }

  /** The column names an unqualified `*` over these relations shows (USING columns once). */
  private visible(bindings: readonly Binding[], scope: Scope): string[] {
    return this.expand(bindings, scope).map((c) => c.name);
  }

  /** `*` over these relations, in order; a USING column where its first side has it. */
  private expand(bindings: readonly Binding[], scope: Scope): Col[] {
    const out: Col[] = [];
    for (const binding of bindings) {
      binding.cols.forEach((col, index) => {
        const group = scope.using.find((g) =>
          g.members.some((m) => m.binding === binding && m.index === index),
        );
        if (group === undefined) out.push(col);
        else if (group.members[0]?.binding === binding && group.members[0].index === index) {
          out.push(group.col);
        }
      });
    }
    return out;
  }

  /** JOIN … USING (column): one column merged from the left side and the right side. */
  private mergeUsing(column: string, left: Binding[], right: Binding[], scope: Scope): void {
    const side = (
      bindings: Binding[],
    ): { groups: UsingGroup[]; members: UsingGroup['members'] } => {
      const groups = scope.using.filter(
        (g) =>
          lower(g.name) === lower(column) && g.members.some((m) => bindings.includes(m.binding)),
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
    const cols = members
      .map((m) => m.binding.cols[m.index])
      .filter((c): c is Col => c !== undefined);
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
    this.touch(group.col, undefined);
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
    const cols = relation === '' ? this.expand(bindings, scope) : (bindings[0]?.cols ?? []);
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
  private walk(
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
        this.touch(this.resolve(parts, scope, preferAliases).col, acc);
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

  /**
   * A column ref, resolved as DuckDB's binder would: the relations of this scope (USING columns
   * first), select-list aliases, then enclosing scopes; `a.b` is relation a's column b, else
   * column a's struct field b. Returns the column and the name DuckDB gives the ref as a select item.
   */
  private resolve(
    parts: readonly string[],
    scope: Scope,
    preferAliases: boolean,
  ): { col: Col; name: string } {
    const text = refText(parts);
    const last = parts[parts.length - 1] ?? '';
    const head = parts[0] ?? '';
    if (preferAliases && parts.length === 1) {
      const alias = scope.aliases.find((c) => lower(c.name) === lower(head));
      if (alias !== undefined) return { col: alias, name: alias.name };
    }
    for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
      // Qualified: [schema.]relation.column[.field…]
      for (let k = 1; k < parts.length && k <= 3; k++) {
        const relation = lower(parts[k - 1] as string);
        const schema = k >= 2 ? lower(parts[k - 2] as string) : '';
        const binding = s.bindings.find(
          (b) =>
            lower(b.name) === relation &&
            (schema === '' || b.schema === '' || lower(b.schema) === schema),
        );
        if (binding === undefined) continue;
        const column = parts[k] as string;
        const col = binding.cols.find((c) => lower(c.name) === lower(column));
        if (col !== undefined) {
          return { col, name: k + 1 === parts.length ? col.name : last };
        }
        const why =
          binding.opaque !== undefined
            ? `${text}: ${binding.opaque}`
            : `${text}: "${binding.name}" has no column "${column}"`;
        return { col: unknownCol(last, why), name: last };
      }
      // Unqualified, or a struct field of an unqualified column.
      const found = this.unqualified(head, s, s === scope && !preferAliases);
      if (found !== undefined) {
        return { col: found, name: parts.length === 1 ? found.name : last };
      }
      const opaque = s.bindings.filter((b) => b.opaque !== undefined);
      if (opaque.length > 0) {
        const why = opaque.map((b) => `${b.name}: ${b.opaque}`).join('; ');
        return { col: unknownCol(last, `${text} may come from ${why}`), name: last };
      }
    }
    return { col: unknownCol(last, `${text}: no such column in scope`), name: last };
  }

  private unqualified(name: string, scope: Scope, withAliases: boolean): Col | undefined {
    const key = lower(name);
    const group = scope.using.find((g) => lower(g.name) === key);
    if (group !== undefined) return group.col;
    const matches: { binding: Binding; col: Col }[] = [];
    for (const binding of scope.bindings) {
      for (const col of binding.cols) {
        if (lower(col.name) === key) matches.push({ binding, col });
      }
    }
    const only = matches[0];
    if (matches.length === 1 && only !== undefined) return only.col;
    if (matches.length > 1) {
      const from = matches.map((m) => m.binding.name).join(', ');
      return merged(
        only?.col.name ?? name,
        matches.map((m) => m.col),
        `${name} is ambiguous (${from})`,
      );
    }
    if (withAliases) return scope.aliases.find((c) => lower(c.name) === key);
    return undefined;
  }
}

/** Whether an expression (outside any subquery) uses COLUMNS(…), which makes it several columns. */
function containsColumnsStar(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsColumnsStar);
  if (!isObject(value) || value.class === 'SUBQUERY') return false;
  if (value.class === 'STAR' && value.columns === true) return true;
  return Object.values(value).some(containsColumnsStar);
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
