// The JSON shapes of tables and SQL as both edges show them: `sluice table list|show|history|diff`
// and `sluice sql --json` print them, the server answers with them (its response schemas, hence
// the OpenAPI document), and the remote CLI prints a response with the local command's printer.
// Key order is the local output's: zod writes an object's keys in its schema's order.
import * as z from 'zod';
import type { Column } from '../engine/tables.js';
import type { TableDiff } from '../tables/table-diff.js';
import type { TableInfo } from '../tables/table-ops.js';

/** A JSON value as DuckDB's rows carry it (big integers and decimals as strings). */
export const JsonValue = z.unknown().describe('a JSON value (big integers and decimals: strings)');
export const RowJson = z.record(z.string(), JsonValue);
export type RowJson = Record<string, unknown>;

export const ColumnJson = z.object({ name: z.string(), type: z.string() });

export const TableFileJson = z.object({
  path: z.string(),
  rows: z.number(),
  size: z.number(),
  address: z.string(),
});

/** One table at a ref, as `sluice table show --json` prints it under `table`. */
export const TableInfoJson = z.object({
  name: z.string(),
  ref: z.string(),
  columns: z.array(ColumnJson),
  primaryKey: z.array(z.string()).optional(),
  partitionBy: z.array(z.string()).optional(),
  rows: z.number(),
  bytes: z.number(),
  files: z.array(TableFileJson),
});
export type TableInfoJson = z.infer<typeof TableInfoJson>;

export function tableInfoJson(t: TableInfo): TableInfoJson {
  return {
    name: t.name,
    ref: t.ref,
    columns: t.columns.map((c: Column) => ({ name: c.name, type: c.type })),
    ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
    ...(t.partitionBy ? { partitionBy: t.partitionBy } : {}),
    rows: t.rows,
    bytes: t.bytes,
    files: t.files.map((f) => ({ path: f.path, rows: f.rows, size: f.size, address: f.address })),
  };
}

/** A table in `sluice table list`: its files counted, not listed. */
export const TableSummaryJson = z.object({
  name: z.string(),
  columns: z.array(ColumnJson),
  primaryKey: z.array(z.string()).optional(),
  partitionBy: z.array(z.string()).optional(),
  rows: z.number(),
  files: z.number().int(),
  bytes: z.number(),
});
export type TableSummaryJson = z.infer<typeof TableSummaryJson>;

export function tableSummaryJson(t: TableInfo | TableInfoJson): TableSummaryJson {
  return {
    name: t.name,
    columns: t.columns,
    ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
    ...(t.partitionBy ? { partitionBy: t.partitionBy } : {}),
    rows: t.rows,
    files: t.files.length,
    bytes: t.bytes,
  };
}

/** `sluice table list --json`. */
export const TableListJson = z.object({ ref: z.string(), tables: z.array(TableSummaryJson) });
export type TableListJson = z.infer<typeof TableListJson>;

const SchemaChangeJson = z.object({
  column: z.string(),
  change: z.enum(['added', 'removed', 'retyped']),
  before: z.string().optional(),
  after: z.string().optional(),
});

/** `sluice table diff --json` prints it under `diff`. */
export const TableDiffJson = z.object({
  table: z.string(),
  left: z.object({ ref: z.string(), commit: z.string().optional() }),
  right: z.object({ ref: z.string(), commit: z.string().optional() }),
  schemaChanges: z.array(SchemaChangeJson),
  primaryKeyChange: z
    .object({ before: z.array(z.string()).optional(), after: z.array(z.string()).optional() })
    .optional(),
  primaryKey: z.array(z.string()).optional(),
  filesCompared: z.object({ left: z.number().int(), right: z.number().int() }),
  filesSkipped: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  samples: z.object({
    added: z.array(RowJson),
    removed: z.array(RowJson),
    changed: z.array(z.object({ key: RowJson, left: RowJson, right: RowJson })),
  }),
});
export type TableDiffJson = z.infer<typeof TableDiffJson>;

/** A TableDiff is JSON already; the schema fixes its key order. */
export function tableDiffJson(d: TableDiff): TableDiffJson {
  return d as TableDiffJson;
}

export function tableDiffFromJson(j: TableDiffJson): TableDiff {
  return j as unknown as TableDiff;
}

/** A query's result: `sluice sql --json` prints `{columns, rows}`. */
export const QueryResultJson = z.object({
  columns: z.array(ColumnJson),
  rows: z.array(RowJson),
});
export type QueryResultJson = z.infer<typeof QueryResultJson>;
