// The one state the ingest phases share (see ../ingest.ts): what validation settled, the DuckDB
// session and temp dir, and what each phase found — read, planned, converted, replaced.
import type { Repository } from '../../core/repository.js';
import type { DuckSession } from '../../engine/duckdb.js';
import { ObjectCache } from '../../engine/object-cache.js';
import { defaultCacheDir } from '../../engine/session.js';
import type { Column, TableAtRef } from '../../engine/tables.js';
import type { SchemaChange } from '../schema.js';
import type { CsvOptions, IngestFormat } from '../sources.js';
import type { IngestOptions, IngestResult, WriteMode } from './options.js';
import type { Output } from './table-files.js';

/** What validation settles before any input is read (validate.ts). */
export interface IngestTarget {
  table: string;
  branch: string;
  mode: WriteMode;
  /** The input files (what messages name), and the format each is read as. */
  files: string[];
  formats: IngestFormat[];
  csv: CsvOptions;
  /** The table on the branch; undefined when it is new, or a view an overwrite replaces. */
  existing?: TableAtRef;
  /** The explicit schema, if one was given (in DuckDB's spelling once a session is open). */
  explicit?: Column[];
  /** Key and partition columns (in the table's spelling once the columns are planned). */
  key?: string[];
  partitionBy: string[];
}

export interface IngestState extends IngestTarget {
  readonly repo: Repository;
  readonly opts: IngestOptions;
  readonly duck: DuckSession;
  /** Where inputs are converted to (removed when the ingest ends, whatever happens). */
  readonly tmp: string;
  /** The file DuckDB reads for each input (`files[i]` is what messages name). */
  reads: string[];
  /** The CSV dialect of each input: `csv`, with the delimiter sniffed when none was given. */
  csvs: CsvOptions[];
  /** The columns of each input. */
  described: Column[][];
  /** The table's columns after the write, and how they differ from its columns before. */
  columns: Column[];
  schemaChanges: SchemaChange[];
  /** Parquet files to store: the converted inputs, then the files an upsert rewrote. */
  outputs: Output[];
  inputs: IngestResult['inputs'];
  /** Rows read from the inputs and written. */
  rowsWritten: number;
  /** Paths of the table's files the write replaces, and the rows they held that are replaced. */
  remove: string[];
  rowsReplaced: number;
  /** Local copies of the table's files, opened when a phase first reads them. */
  cache?: ObjectCache;
}

export function newIngestState(
  repo: Repository,
  opts: IngestOptions,
  target: IngestTarget,
  duck: DuckSession,
  tmp: string,
): IngestState {
  return {
    ...target,
    repo,
    opts,
    duck,
    tmp,
    reads: [],
    csvs: [],
    described: [],
    columns: [],
    schemaChanges: [],
    outputs: [],
    inputs: [],
    rowsWritten: 0,
    remove: [],
    rowsReplaced: 0,
  };
}

/** The cache the table's existing files are read through (append key checks, upsert). */
export function cacheOf(s: IngestState): ObjectCache {
  s.cache ??= new ObjectCache(s.repo.store, {
    dir: s.opts.cacheDir ?? defaultCacheDir(s.repo),
  });
  return s.cache;
}
