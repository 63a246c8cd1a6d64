// The Parquet files of a table as an ingest writes them: zstd, at most 256 MB per file (or one
// file per partition), and their row counts from the footers.
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { type DuckSession, sqlIdent, sqlString } from '../../engine/duckdb.js';

export const PARQUET_TYPE = 'application/vnd.apache.parquet';
export const TARGET_FILE_SIZE = '256MB';
/**
 * COPY options for writing a directory of Parquet files in the layout of an unpartitioned table
 * (what `preformatted` inputs are expected to be written with).
 */
export const TABLE_FILES_COPY_OPTIONS = `FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${sqlString(TARGET_FILE_SIZE)}, FILENAME_PATTERN 'part_{i}'`;

/** The COPY layout of a table's files: one folder per partition, else split by size. */
export function layoutSql(partitionBy: string[]): string {
  // Partitioned files are written per partition (DuckDB cannot also split them by size);
  // the partition columns stay inside the files, so every reader sees them.
  return partitionBy.length
    ? `PARTITION_BY (${partitionBy.map(sqlIdent).join(', ')}), WRITE_PARTITION_COLUMNS true`
    : `FILE_SIZE_BYTES ${sqlString(TARGET_FILE_SIZE)}`;
}

/** A Parquet file written into the temp dir; `dir` is its partition (`region=eu/day=…`), if any. */
export interface Output {
  path: string;
  rows: number;
  dir?: string;
}

/** The Parquet files COPY wrote below `dir` (partition folders included), with their row counts. */
export async function parquetFiles(duck: DuckSession, dir: string): Promise<Output[]> {
  let names: string[];
  try {
    names = (readdirSync(dir, { recursive: true }) as string[])
      .filter((n) => n.endsWith('.parquet'))
      .sort();
  } catch {
    return [];
  }
  const counted = await parquetRows(
    duck,
    names.map((n) => join(dir, n)),
  );
  return counted.map((o, i) => {
    const n = names[i] as string;
    const sub = n.includes(sep) ? n.slice(0, n.lastIndexOf(sep)).split(sep).join('/') : undefined;
    return sub ? { ...o, dir: sub } : o;
  });
}

/** Parquet files with their row counts, from the footers. */
export async function parquetRows(duck: DuckSession, paths: string[]): Promise<Output[]> {
  const out: Output[] = [];
  for (const path of paths) {
    const r = await duck.query(`SELECT num_rows FROM parquet_file_metadata(${sqlString(path)})`);
    out.push({ path, rows: Number(r.rows[0]?.num_rows ?? 0) });
  }
  return out;
}
