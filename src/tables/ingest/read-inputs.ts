// Reading the inputs: what each holds (described before the table's columns are planned), then
// every input converted by DuckDB into Parquet in the temp dir — all of them before anything is
// stored, so a bad file anywhere refuses the whole ingest.
import { join } from 'node:path';
import { sqlIdent, sqlString } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import { findColumn } from '../schema.js';
import {
  type CsvOptions,
  describeInput,
  type IngestFormat,
  inputError,
  jsonWithoutBom,
  readerSql,
  withSniffedDelimiter,
} from '../sources.js';
import { inputFitsKnown } from './input-fit.js';
import { storableAsIs, takeAsIs } from './preformatted.js';
import type { IngestState } from './state.js';
import { layoutSql, parquetFiles } from './table-files.js';

/** The file DuckDB reads for each input, and the columns each holds. */
export async function describeInputs(s: IngestState): Promise<void> {
  const { duck, files, formats, csv, existing, explicit } = s;
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as string;
    const json = formats[i] === 'json' || formats[i] === 'ndjson';
    s.reads.push(json ? await jsonWithoutBom(f, s.tmp, i) : f);
    s.csvs.push(formats[i] === 'csv' ? await withSniffedDelimiter(duck, f, csv) : csv);
  }
  // (With an explicit schema the write parses every column as declared anyway.)
  const known =
    existing && s.mode !== 'overwrite' && !explicit ? existing.manifest.columns : undefined;
  for (let i = 0; i < files.length; i++) {
    const file = s.reads[i] as string;
    const format = formats[i] as IngestFormat;
    const dialect = s.csvs[i] as CsvOptions;
    const cols = await describeInput(duck, file, format, dialect, [], files[i]);
    if (known) await inputFitsKnown(duck, file, format, dialect, cols, known);
    s.described.push(cols);
  }
}

/** Converts every input into Parquet files of the table's columns (or takes it as it is). */
export async function convertInputs(s: IngestState): Promise<void> {
  const { files, opts } = s;
  for (let i = 0; i < files.length; i++) {
    opts.onProgress?.({ phase: 'read', done: i, total: files.length, file: files[i] as string });
    await convertInput(s, i);
  }
  opts.onProgress?.({ phase: 'read', done: files.length, total: files.length });
  s.rowsWritten = s.outputs.reduce((n, o) => n + o.rows, 0);
}

async function convertInput(s: IngestState, i: number): Promise<void> {
  const { duck, columns } = s;
  const csv = s.csvs[i] as CsvOptions;
  const file = s.files[i] as string;
  const read = s.reads[i] as string;
  const format = s.formats[i] as IngestFormat;
  const have = s.described[i] as Column[];
  if (have.length === 0) {
    s.inputs.push({ file, format, rows: 0 }); // an empty file
    return;
  }
  if (storableAsIs(s, format, have)) return takeAsIs(s, file, format);
  // CSV columns are parsed as the table's types directly (named as the input has them).
  const hints =
    format === 'csv'
      ? pinnedFor(
          columns.flatMap((c) => {
            const h = findColumn(have, c.name);
            return h ? [{ name: h.name, type: c.type }] : [];
          }),
          csv,
        )
      : [];
  const projection = columns
    .map((c) => {
      const h = findColumn(have, c.name);
      return h
        ? `CAST(${sqlIdent(h.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
        : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`;
    })
    .join(', ');
  const dir = join(s.tmp, `in-${i}`);
  try {
    await duck.run(
      `COPY (SELECT ${projection} FROM ${readerSql(read, format, csv, hints)}) TO ${sqlString(dir)} ` +
        `(FORMAT parquet, COMPRESSION zstd, ${layoutSql(s.partitionBy)}, FILENAME_PATTERN 'part_{i}')`,
    );
  } catch (err) {
    throw await inputError(duck, read, format, csv, err, file);
  }
  const written = await parquetFiles(duck, dir);
  s.inputs.push({ file, format, rows: written.reduce((n, f) => n + f.rows, 0) });
  s.outputs.push(...written.filter((f) => f.rows > 0));
}

/** For CSV, existing columns are parsed as their table type (bad values are then reported by line). */
function pinnedFor(columns: Column[], csv: CsvOptions): Column[] {
  if (csv.header === false && !csv.names?.length) return [];
  return columns;
}
