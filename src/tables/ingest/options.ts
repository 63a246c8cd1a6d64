// The ingest's public shapes: its write modes, options, progress and result (re-exported by
// ../ingest.ts, the front door).
import type { Commit } from '../../core/commit-codec.js';
import type { DuckOptions, DuckSession } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import type { SchemaChange } from '../schema.js';
import type { CsvOptions, IngestFormat } from '../sources.js';

export type WriteMode = 'append' | 'overwrite' | 'upsert';
export const WRITE_MODES: readonly WriteMode[] = ['append', 'overwrite', 'upsert'];

export interface IngestProgress {
  phase: 'read' | 'rewrite' | 'store' | 'commit';
  done: number;
  total: number;
  file?: string;
}

export interface IngestOptions {
  table: string;
  /** Default: the repository's default branch. */
  branch?: string;
  /** Default: from each file's extension. */
  format?: IngestFormat;
  /** Default append. */
  mode?: WriteMode;
  /** Primary key columns: required for upsert (unless the table has one), recorded in the manifest. */
  key?: string[];
  /**
   * Hive-style partition columns (`region=eu/day=2024-01-01/…`), recorded in the manifest. Set
   * when a table is created or overwritten; later writes partition the same way.
   */
  partitionBy?: string[];
  /** Explicit columns and types instead of inference; inputs are cast to them. */
  schema?: Column[];
  csv?: CsvOptions;
  /**
   * The Parquet inputs were written in the table's layout (zstd, at most 256 MB per file, no
   * partitions) — as a pipeline model's COPY writes them. An input whose columns are already
   * exactly the table's (names, types, order) is then stored as it is instead of being read and
   * written again; any other input is converted as usual.
   */
  preformatted?: boolean;
  /** Commit the branch after staging (no commit is made when the ingest changes nothing). */
  commit?: { message: string; metadata?: Record<string, string> };
  /**
   * The request's idempotency key (needs `commit`): the first ingest with it commits and records
   * the key with its commit; one retried with the same key adds nothing and answers with the first
   * one's result and commit (`replayed`). The same key for another ingest (table, mode, branch,
   * inputs) is IdempotencyKeyReusedError.
   */
  idempotencyKey?: string;
  duck?: DuckOptions;
  /**
   * An open DuckDB session to run on (its settings apply, `duck` is ignored, and it stays open):
   * a caller writing many tables saves opening an instance per write. Nothing is left in it.
   */
  session?: DuckSession;
  /** Local cache for existing files that upsert reads; default the repository's. */
  cacheDir?: string;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestResult {
  table: string;
  branch: string;
  mode: WriteMode;
  inputs: { file: string; format: IngestFormat; rows: number }[];
  /** Rows read from the inputs and written. */
  rowsWritten: number;
  /** Rows of existing files an upsert copied into their rewritten files (unchanged rows). */
  rowsRewritten: number;
  /** Rows of existing files replaced by an upsert (or every row, for an overwrite). */
  rowsReplaced: number;
  filesAdded: string[];
  filesRemoved: string[];
  columns: Column[];
  primaryKey?: string[];
  partitionBy?: string[];
  schemaChanges: SchemaChange[];
  created: boolean;
  commit?: Commit;
  /** The idempotency key had been applied: this is the first ingest's result, and nothing new. */
  replayed?: boolean;
}
