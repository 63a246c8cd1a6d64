// The table's columns after a write: the explicit schema, or the union of what the inputs hold,
// evolved from the table's columns by the rules of schema.ts; and the key and partition columns
// in the table's spelling.
import {
  InvalidArgumentError,
  MalformedInputError,
  SchemaMismatchError,
} from '../../common/errors.js';
import type { DuckSession } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import { diffSchemas, evolveSchema, findColumn, mergeNestedTypes, widensTo } from '../schema.js';
import type { IngestState } from './state.js';

/** The explicit schema's types in DuckDB's spelling (the first thing done in the session). */
export async function canonicalSchema(s: IngestState): Promise<void> {
  if (s.explicit) s.explicit = await canonicalTypes(s.duck, s.explicit);
}

/** Plans the table's columns, the schema changes, and the key and partitions as the table spells them. */
export function planColumns(s: IngestState): void {
  const { existing, files, table } = s;
  // A column no input had a value for (JSON nulls) is text until data says otherwise.
  let columns = columnsAfterWrite(s).map((c) =>
    isNullType(c.type) ? { ...c, type: 'VARCHAR' } : c,
  );
  // Empty inputs only: an overwrite empties the table and keeps its columns.
  if (columns.length === 0 && existing) columns = existing.manifest.columns;
  if (columns.length === 0) {
    throw new MalformedInputError(
      `${files.length === 1 ? `${files[0]} is empty` : 'every input file is empty'}: there are no columns to make table ${table} of`,
      { file: files.join(', '), format: s.formats[0] as string },
    );
  }
  s.columns = columns;
  s.schemaChanges = existing
    ? diffSchemas(existing.manifest.columns, columns)
    : columns.map((c) => ({ column: c.name, change: 'added' as const, after: c.type }));
  s.key = s.key?.map((k) => spelled(columns, k, table, 'key column', 'key'));
  s.partitionBy = s.partitionBy.map((p) =>
    spelled(columns, p, table, 'partition column', 'partition-by'),
  );
}

/**
 * Inputs without rows (a header line only) are no evidence of new columns — and a column that
 * none of the table's files holds could not be read: it stays out of the table.
 */
export function keepKnownColumns(s: IngestState): void {
  if (s.existing && s.mode !== 'overwrite' && s.outputs.length === 0) {
    const had = s.existing.manifest.columns;
    s.columns = s.columns.filter((c) => findColumn(had, c.name));
    s.schemaChanges = diffSchemas(had, s.columns);
  }
}

/** The explicit schema, else the union of the inputs' columns; either evolved from the table's. */
function columnsAfterWrite(s: IngestState): Column[] {
  const { existing, explicit, files, described, table } = s;
  const evolves = existing && s.mode !== 'overwrite';
  if (explicit) {
    for (let i = 0; i < files.length; i++) {
      const extra = (described[i] as Column[]).find((c) => !findColumn(explicit, c.name));
      if (extra) {
        throw new SchemaMismatchError(
          `${files[i]} has a column ${extra.name} that the schema does not declare`,
          { table, column: extra.name, inputType: extra.type, reason: 'not in schema' },
        );
      }
    }
    return evolves ? evolveSchema(table, existing.manifest.columns, explicit).columns : explicit;
  }
  let union: Column[] = [];
  for (let i = 0; i < files.length; i++)
    union = unionColumns(union, described[i] as Column[], files[i] as string, table);
  return evolves ? evolveSchema(table, existing.manifest.columns, union).columns : union;
}

/** A key or partition column as the table spells it; one the table lacks is refused. */
function spelled(
  columns: Column[],
  name: string,
  table: string,
  what: string,
  argument: string,
): string {
  const c = findColumn(columns, name);
  if (!c) {
    throw new InvalidArgumentError(`${what} ${name} is not a column of table ${table}`, {
      argument,
      reason: 'unknown column',
    });
  }
  return c.name;
}

const isNullType = (t: string): boolean => t === 'NULL' || t === '"NULL"';

/** Columns of several inputs: the same name must have types that widen one into the other. */
function unionColumns(acc: Column[], next: Column[], file: string, table: string): Column[] {
  const out = acc.map((c) => ({ ...c }));
  for (const c of next) {
    const have = findColumn(out, c.name);
    if (!have) out.push({ ...c });
    else if (widensTo(c.type, have.type)) continue;
    else if (widensTo(have.type, c.type)) have.type = c.type;
    else if (mergeNestedTypes(have.type, c.type) !== undefined)
      have.type = mergeNestedTypes(have.type, c.type) as string;
    else {
      throw new SchemaMismatchError(
        `column ${have.name} is ${have.type} in earlier inputs but ${c.type} in ${file}`,
        {
          table,
          column: have.name,
          tableType: have.type,
          inputType: c.type,
          reason: 'inputs disagree',
        },
      );
    }
  }
  return out;
}

/**
 * The schema's types as DuckDB spells them (`numeric(10, 2)` → `DECIMAL(10,2)`, `int` →
 * `INTEGER`, `varchar(20)` → `VARCHAR`, `struct(a int)` → `STRUCT(a INTEGER)`), so they compare
 * equal to what DuckDB infers; an unknown type is refused.
 */
async function canonicalTypes(duck: DuckSession, cols: Column[]): Promise<Column[]> {
  const out: Column[] = [];
  for (const c of cols) {
    let described: { name: string; type: string }[];
    try {
      described = await duck.describe(`SELECT CAST(NULL AS ${c.type}) AS x`);
    } catch {
      throw new InvalidArgumentError(
        `the schema gives column ${c.name} an unknown type ${c.type}`,
        {
          argument: 'schema',
          reason: 'unknown type',
        },
      );
    }
    out.push({ name: c.name, type: described[0]?.type ?? c.type });
  }
  return out;
}
