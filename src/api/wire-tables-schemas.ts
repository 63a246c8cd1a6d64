// The zod schemas of the wire shapes in wire-tables.ts: the server's response schemas (and so the
// OpenAPI document's components). Kept apart from the converters so the CLI's start does not load
// zod; each schema is checked against its TypeScript shape.
import * as z from 'zod';
import type { Same } from './same-shape.js';
import type {
  QueryResultJson as QueryResultShape,
  TableDiffJson as TableDiffShape,
  TableInfoJson as TableInfoShape,
  TableSummaryJson as TableSummaryShape,
} from './wire-tables.js';

export const RowJson = z
  .record(z.string(), z.unknown())
  .describe('a row: JSON values (big integers and decimals as strings)');

export const ColumnJson = z.object({ name: z.string(), type: z.string() });

const TableFileJson = z.object({
  path: z.string(),
  rows: z.number(),
  size: z.number(),
  address: z.string(),
});

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

export const TableSummaryJson = z.object({
  name: z.string(),
  columns: z.array(ColumnJson),
  primaryKey: z.array(z.string()).optional(),
  partitionBy: z.array(z.string()).optional(),
  rows: z.number(),
  files: z.number().int(),
  bytes: z.number(),
});

const SchemaChangeJson = z.object({
  column: z.string(),
  change: z.enum(['added', 'removed', 'retyped']),
  before: z.string().optional(),
  after: z.string().optional(),
});

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

export const QueryResultJson = z.object({
  columns: z.array(ColumnJson),
  rows: z.array(RowJson),
});

z.globalRegistry.add(ColumnJson, { id: 'Column' });
z.globalRegistry.add(TableInfoJson, { id: 'TableInfo' });
z.globalRegistry.add(TableSummaryJson, { id: 'TableSummary' });
z.globalRegistry.add(TableDiffJson, { id: 'TableDiff' });

// Each schema's output is its shape: a change to one without the other fails to compile.
export const tableShapesAgree: [
  Same<z.infer<typeof TableInfoJson>, TableInfoShape>,
  Same<z.infer<typeof TableSummaryJson>, TableSummaryShape>,
  Same<z.infer<typeof TableDiffJson>, TableDiffShape>,
  Same<z.infer<typeof QueryResultJson>, QueryResultShape>,
] = [true, true, true, true];
