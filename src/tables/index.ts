// `sluice/tables`: tables and SQL — ingest and its formats, SQL sessions over refs, what a table
// is at a ref, table diff, export and history. The root export (`sluice`) carries the names most
// users need; this entry has the rest of the layer (and of the DuckDB engine below it).
export { type DuckOptions, DuckSession, type QueryResult, withDuck } from '../engine/duckdb.js';
export { ObjectCache, type ObjectCacheOptions } from '../engine/object-cache.js';
export { copyToFile, OUTPUT_FORMATS, type OutputFormat, outputFormatOf } from '../engine/output.js';
export {
  type AttachedRef,
  defaultCacheDir,
  SqlSession,
  type SqlSessionOptions,
  schemaNameOf,
  withSqlSession,
} from '../engine/session.js';
export { splitStatements } from '../engine/sql-statements.js';
export {
  type Column,
  checkTableNameFree,
  getTable,
  listTables,
  manifestTableOf,
  parseTableName,
  type TableAtRef,
  type TableManifest,
} from '../engine/tables.js';
export {
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  ingest,
  WRITE_MODES,
  type WriteMode,
} from './ingest.js';
export type { SchemaChange } from './schema.js';
export { readSchemaFile } from './schema-file.js';
export { type CsvOptions, INGEST_FORMATS, type IngestFormat } from './sources.js';
export {
  diffTable,
  type Row,
  type TableDiff,
  type TableDiffOptions,
  type TableDiffSide,
} from './table-diff.js';
export {
  exportTable,
  listTableInfos,
  showTable,
  type TableFile,
  type TableInfo,
  tableHistory,
} from './table-ops.js';
