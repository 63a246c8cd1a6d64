// The names DuckDB gives unaliased select-list expressions: the expression's SQL as DuckDB
// prints it, got back from DuckDB itself (`json_deserialize_sql`), with cast types printed the
// way the parser saw them.
import type { DuckSession } from '../../engine/duckdb.js';
import { sqlIdent, sqlString } from '../../engine/duckdb.js';
import {
  asArray,
  asObject,
  asString,
  isObject,
  type JsonObject,
  restoreBigInts,
} from './parse-tree.js';

/**
 * The names DuckDB gives unaliased expressions (other than column refs) in select lists: the
 * expression's SQL text as DuckDB prints it, got by handing each expression back to
 * `json_deserialize_sql` alone in a `SELECT`. One query for all of them; one at a time if that
 * fails, so that an expression DuckDB cannot print only loses its own name.
 */
export async function expressionNames(
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
