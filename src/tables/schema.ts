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

/** True when every value of `from` casts into `to` without loss (or the types are equal). */
export function widensTo(fromType: string, toType: string): boolean {
  const from = normalizeType(fromType);
  const to = normalizeType(toType);
  if (from === to || from === 'NULL' || from === '"NULL"') return true;
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
    if (!widensTo(c.type, existing.type)) {
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
