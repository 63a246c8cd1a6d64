// Column types and what a write may change. A table's columns only evolve in ways that keep every
// file already written readable as the table says: a new column (older files read it as NULL), or
// an input type that casts into the table's type without loss. Anything else is refused, naming the
// column and both types.
import { SchemaMismatchError } from '../common/errors.js';
import type { Column } from '../engine/tables.js';

const SIGNED = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const UNSIGNED = ['UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];

/**
 * Column names are matched the way DuckDB binds identifiers: without regard to (ASCII) case, so
 * an input's `ID` is the table's `id` (and keeps the table's spelling).
 */
export const columnKey = (name: string): string => name.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
export const sameColumn = (a: string, b: string): boolean => columnKey(a) === columnKey(b);
export function findColumn<C extends { name: string }>(
  cols: readonly C[],
  name: string,
): C | undefined {
  const k = columnKey(name);
  return cols.find((c) => columnKey(c.name) === k);
}

const NUMERIC =
  /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
/** True for DuckDB's integer, floating point and decimal types. */
export const isNumericType = (t: string): boolean => NUMERIC.test(normalizeType(t));
/** True for dates and timestamps (with or without a zone). */
export const isTemporalType = (t: string): boolean =>
  ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'].includes(normalizeType(t));

/** DuckDB's canonical spelling of a few aliases (DESCRIBE prints these names). */
export function normalizeType(t: string): string {
  const u = t.trim().toUpperCase().replace(/\s+/g, ' ');
  const aliases: Record<string, string> = {
    INT: 'INTEGER',
    INT4: 'INTEGER',
    INT8: 'BIGINT',
    LONG: 'BIGINT',
    INT2: 'SMALLINT',
    SHORT: 'SMALLINT',
    INT1: 'TINYINT',
    FLOAT4: 'FLOAT',
    REAL: 'FLOAT',
    FLOAT8: 'DOUBLE',
    STRING: 'VARCHAR',
    TEXT: 'VARCHAR',
    BOOL: 'BOOLEAN',
    TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
    DATETIME: 'TIMESTAMP',
  };
  return aliases[u] ?? u;
}

function decimal(t: string): { p: number; s: number } | undefined {
  const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  return m ? { p: Number(m[1]), s: Number(m[2]) } : undefined;
}

// ---- nested types ---------------------------------------------------------------------------------

/** A type as far as schema evolution looks into it: a struct's fields, a list's element. */
type TypeShape =
  | { kind: 'struct'; fields: { name: string; type: string }[] }
  | { kind: 'list'; element: string }
  | { kind: 'scalar' };

/** Splits `s` at the commas that are not inside parentheses or double quotes. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"')
      quoted = !quoted; // a doubled quote toggles twice
    else if (quoted) continue;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}

/** The position of the parenthesis closing the one at `open`, outside double quotes. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `STRUCT("name" VARCHAR, addr STRUCT(city VARCHAR))`, `VARCHAR[]`, or anything else. */
function shapeOf(type: string): TypeShape {
  const t = type.trim();
  if (t.endsWith('[]')) return { kind: 'list', element: t.slice(0, -2) };
  if (/^STRUCT\s*\(/i.test(t)) {
    const open = t.indexOf('(');
    if (closingParen(t, open) !== t.length - 1) return { kind: 'scalar' };
    const fields: { name: string; type: string }[] = [];
    for (const part of splitTopLevel(t.slice(open + 1, -1))) {
      const m = part.startsWith('"')
        ? /^"((?:[^"]|"")*)"\s+([\s\S]+)$/.exec(part)
        : /^(\S+)\s+([\s\S]+)$/.exec(part);
      if (!m) return { kind: 'scalar' };
      fields.push({ name: (m[1] as string).replaceAll('""', '"'), type: m[2] as string });
    }
    return { kind: 'struct', fields };
  }
  return { kind: 'scalar' };
}

const structType = (fields: { name: string; type: string }[]): string =>
  `STRUCT(${fields.map((f) => `"${f.name.replaceAll('"', '""')}" ${f.type}`).join(', ')})`;

/**
 * The type a table's nested column takes when an input writes `input` into it (append, upsert):
 * a struct keeps its fields (an input lacking one reads NULL there) and gains the input's new
 * fields at the end; a list evolves as its element does. Undefined when the input does not fit —
 * a field's type changes, or either side is not nested. Fields match regardless of case, as
 * DuckDB casts structs by name; a nested JSON field (DuckDB's reading of a key that only held
 * nulls or mixed values) is cast into the table's type when written.
 */
export function evolveNestedType(table: string, input: string): string | undefined {
  const a = shapeOf(table);
  const b = shapeOf(input);
  if (a.kind === 'list' && b.kind === 'list') {
    const el = nestedFieldType(a.element, b.element);
    return el === undefined ? undefined : el === a.element ? table : `${el}[]`;
  }
  if (a.kind !== 'struct' || b.kind !== 'struct') return undefined;
  const fields = a.fields.map((f) => ({ ...f }));
  let changed = false;
  for (const f of b.fields) {
    const have = findColumn(fields, f.name);
    if (!have) {
      fields.push({ ...f });
      changed = true;
      continue;
    }
    const t = nestedFieldType(have.type, f.type);
    if (t === undefined) return undefined;
    if (t !== have.type) {
      have.type = t;
      changed = true;
    }
  }
  return changed ? structType(fields) : table;
}

function nestedFieldType(table: string, input: string): string | undefined {
  const n = normalizeType(input);
  if (n === 'JSON' || widensTo(input, table)) return table;
  return evolveNestedType(table, input);
}

/**
 * The type two inputs' nested columns are both written as (the fields of both; a list of the
 * merged element), or undefined when a field's types do not widen one into the other.
 */
export function mergeNestedTypes(a: string, b: string): string | undefined {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  if (sa.kind === 'list' && sb.kind === 'list') {
    const el = mergeFieldTypes(sa.element, sb.element);
    return el === undefined ? undefined : `${el}[]`;
  }
  if (sa.kind !== 'struct' || sb.kind !== 'struct') return undefined;
  const fields = sa.fields.map((f) => ({ ...f }));
  for (const f of sb.fields) {
    const have = findColumn(fields, f.name);
    if (!have) fields.push({ ...f });
    else {
      const t = mergeFieldTypes(have.type, f.type);
      if (t === undefined) return undefined;
      have.type = t;
    }
  }
  return structType(fields);
}

function mergeFieldTypes(a: string, b: string): string | undefined {
  if (normalizeType(b) === 'JSON' || widensTo(b, a)) return a;
  if (normalizeType(a) === 'JSON' || widensTo(a, b)) return b;
  return mergeNestedTypes(a, b);
}

/** True when every value of `from` casts into `to` without loss (or the types are equal). */
export function widensTo(fromType: string, toType: string): boolean {
  const from = normalizeType(fromType);
  const to = normalizeType(toType);
  if (from === to || from === 'NULL' || from === '"NULL"') return true;
  // A struct with a subset of the fields (each widening), or a list of a widening element.
  const sf = shapeOf(from);
  const st = shapeOf(to);
  if (sf.kind === 'list' && st.kind === 'list') return widensTo(sf.element, st.element);
  if (sf.kind === 'struct' && st.kind === 'struct') {
    return sf.fields.every((f) => {
      const t = findColumn(st.fields, f.name);
      return t !== undefined && widensTo(f.type, t.type);
    });
  }
  for (const ladder of [SIGNED, UNSIGNED]) {
    const a = ladder.indexOf(from);
    const b = ladder.indexOf(to);
    if (a >= 0 && b >= 0) return a <= b;
  }
  // Unsigned into a wider signed type.
  const u = UNSIGNED.indexOf(from);
  const sgn = SIGNED.indexOf(to);
  if (u >= 0 && sgn > u) return true;
  if (from === 'FLOAT' && to === 'DOUBLE') return true;
  // Whole numbers into floating point: a batch of CSV amounts that happen to be whole.
  if (to === 'DOUBLE' && ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'].includes(from)) return true;
  const df = decimal(from);
  const dt = decimal(to);
  if (df && dt) return dt.s >= df.s && dt.p - dt.s >= df.p - df.s;
  // Integers into a decimal with room for all their digits.
  const digits: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19 };
  if (dt && digits[from] !== undefined) return dt.p - dt.s >= (digits[from] as number);
  return false;
}

export interface SchemaChange {
  column: string;
  change: 'added' | 'removed' | 'retyped';
  before?: string;
  after?: string;
}

/**
 * The table's columns after writing `input` into a table that has `table` (append and upsert):
 * existing columns keep their type (the input must widen into it), new input columns are added.
 */
export function evolveSchema(
  tableName: string,
  table: Column[],
  input: Column[],
): { columns: Column[]; changes: SchemaChange[] } {
  const byName = new Map(table.map((c) => [columnKey(c.name), c]));
  const columns = table.map((c) => ({ ...c }));
  const changes: SchemaChange[] = [];
  for (const c of input) {
    const existing = byName.get(columnKey(c.name));
    if (!existing) {
      columns.push({ ...c });
      byName.set(columnKey(c.name), c);
      changes.push({ column: c.name, change: 'added', after: c.type });
      continue;
    }
    if (widensTo(c.type, existing.type)) continue;
    // A nested column may gain struct fields (older rows read them as NULL).
    const nested = evolveNestedType(existing.type, c.type);
    if (nested === existing.type) continue; // nested JSON fields, cast when written
    if (nested !== undefined) {
      const before = existing.type;
      const col = columns.find((x) => x.name === existing.name) as Column;
      col.type = nested;
      byName.set(columnKey(c.name), col);
      changes.push({ column: existing.name, change: 'retyped', before, after: nested });
      continue;
    }
    throw new SchemaMismatchError(
      `column ${existing.name} of table ${tableName} is ${existing.type}, but the input has ${c.type}: ` +
        'that is a type change an append or upsert cannot make (use --mode overwrite, or a --schema that casts)',
      {
        table: tableName,
        column: existing.name,
        tableType: existing.type,
        inputType: c.type,
        reason: 'incompatible type',
      },
    );
  }
  return { columns, changes };
}

/** Column changes from `before` to `after` (added, removed, retyped), in column order. */
export function diffSchemas(before: Column[], after: Column[]): SchemaChange[] {
  const a = new Map(before.map((c) => [c.name, c.type]));
  const b = new Map(after.map((c) => [c.name, c.type]));
  const out: SchemaChange[] = [];
  for (const c of before) {
    const t = b.get(c.name);
    if (t === undefined) out.push({ column: c.name, change: 'removed', before: c.type });
    else if (normalizeType(t) !== normalizeType(c.type))
      out.push({ column: c.name, change: 'retyped', before: c.type, after: t });
  }
  for (const c of after)
    if (!a.has(c.name)) out.push({ column: c.name, change: 'added', after: c.type });
  return out;
}
