// The JSON shapes of tables and SQL as both edges show them: `sluice table list|show|history|diff`
// and `sluice sql --json` print them, the server answers with them, and the remote CLI prints a
// response with the local command's printer. Each shape has its converter; its zod schema (the
// server's response schema) is in wire-tables-schemas.ts, so the CLI's start does not load zod.
// Key order is the local output's: zod writes an object's keys in its schema's order.
import type { Column } from '../engine/tables.js';
import type { TableDiff } from '../tables/table-diff.js';
import type { TableInfo } from '../tables/table-ops.js';

/** A row: JSON values as DuckDB's rows carry them (big integers and decimals as strings). */
export type RowJson = Record<string, unknown>;

export interface ColumnJson {
  name: string;
  type: string;
}

export interface TableFileJson {
  path: string;
  rows: number;
  size: number;
  address: string;
}

/** One table at a ref, as `sluice table show --json` prints it under `table`. */
export interface TableInfoJson {
  name: string;
  ref: string;
  columns: ColumnJson[];
  primaryKey?: string[];
  partitionBy?: string[];
  rows: number;
  bytes: number;
  files: TableFileJson[];
}

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
export interface TableSummaryJson {
  name: string;
  columns: ColumnJson[];
  primaryKey?: string[];
  partitionBy?: string[];
  rows: number;
  files: number;
  bytes: number;
}

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
export interface TableListJson {
  ref: string;
  tables: TableSummaryJson[];
}

export interface SchemaChangeJson {
  column: string;
  change: 'added' | 'removed' | 'retyped';
  before?: string;
  after?: string;
}

/** `sluice table diff --json` prints it under `diff`. */
export interface TableDiffJson {
  table: string;
  left: { ref: string; commit?: string };
  right: { ref: string; commit?: string };
  schemaChanges: SchemaChangeJson[];
  primaryKeyChange?: { before?: string[]; after?: string[] };
  primaryKey?: string[];
  filesCompared: { left: number; right: number };
  filesSkipped: number;
  added: number;
  removed: number;
  changed: number;
  samples: {
    added: RowJson[];
    removed: RowJson[];
    changed: { key: RowJson; left: RowJson; right: RowJson }[];
  };
}

/** A TableDiff is JSON already; the schema fixes its key order. */
export function tableDiffJson(d: TableDiff): TableDiffJson {
  return d;
}

export function tableDiffFromJson(j: TableDiffJson): TableDiff {
  return j as TableDiff;
}

/** A query's result: `sluice sql --json` prints `{columns, rows}`. */
export interface QueryResultJson {
  columns: ColumnJson[];
  rows: RowJson[];
}
