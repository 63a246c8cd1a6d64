// Input files for an ingest: a file, a directory (every data file below it) or a glob, and the
// DuckDB reader for each format. CSV is read with an explicit dialect and strict mode, so ragged
// rows and bad quoting are errors rather than guesses; when DuckDB's reader fails, a second,
// all-text pass finds the line at fault, so the message can name it.
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import {
  FileNotFoundError,
  InvalidArgumentError,
  MalformedInputError,
  SqlError,
} from '../common/errors.js';
import { type DuckSession, sqlString } from '../engine/duckdb.js';
import type { Column } from '../engine/tables.js';

export type IngestFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
export const INGEST_FORMATS: readonly IngestFormat[] = ['csv', 'json', 'ndjson', 'parquet'];

export interface CsvOptions {
  /** Field separator; default `,` (a tab for `.tsv` files). */
  delimiter?: string;
  /** First line holds column names; default true. */
  header?: boolean;
  /** Quote character; default `"`. */
  quote?: string;
  /** Escape character inside quotes; default the quote (a doubled quote). */
  escape?: string;
  /** Values read as NULL; default the empty field. */
  nullValues?: string[];
  /** strftime formats when dates or timestamps are not ISO 8601. */
  dateFormat?: string;
  timestampFormat?: string;
}

const EXTENSIONS: Record<string, IngestFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

function extensionOf(file: string): string {
  const lower = file.toLowerCase();
  const ext = extname(lower);
  return ['.gz', '.zst'].includes(ext) ? extname(lower.slice(0, -ext.length)) : ext;
}

/** The files an ingest reads, sorted; a directory contributes every data file below it. */
export async function resolveSources(src: string, format?: IngestFormat): Promise<string[]> {
  const known = (f: string): boolean => {
    const ext = extensionOf(f);
    return format ? EXTENSIONS[ext] === format || !(ext in EXTENSIONS) : ext in EXTENSIONS;
  };
  let files: string[];
  if (/[*?[\]{}]/.test(src)) {
    files = (await glob(src, { absolute: true, onlyFiles: true, dot: false })).sort();
  } else {
    const abs = resolve(src);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch {
      throw new FileNotFoundError(`${src} does not exist`, { file: src });
    }
    if (st.isDirectory()) {
      files = (await glob('**/*', { cwd: abs, absolute: true, onlyFiles: true, dot: false }))
        .filter(known)
        .sort();
    } else {
      files = [abs];
    }
  }
  if (files.length === 0) {
    throw new FileNotFoundError(`no input files match ${src}`, { file: src });
  }
  return files;
}

export function formatOf(file: string, given?: IngestFormat): IngestFormat {
  if (given) return given;
  const f = EXTENSIONS[extensionOf(file)];
  if (!f) {
    throw new InvalidArgumentError(
      `cannot tell the format of ${file} from its extension: pass --format csv|json|ndjson|parquet`,
      { argument: 'format', reason: 'unknown extension' },
    );
  }
  return f;
}

function csvDialect(file: string, csv: CsvOptions): string {
  const delim = csv.delimiter ?? (extensionOf(file) === '.tsv' ? '\t' : ',');
  const quote = csv.quote ?? '"';
  const parts = [
    `header = ${csv.header ?? true}`,
    `delim = ${sqlString(delim)}`,
    `quote = ${sqlString(quote)}`,
    `escape = ${sqlString(csv.escape ?? quote)}`,
    'skip = 0',
    'strict_mode = true',
    'null_padding = false',
    `nullstr = [${(csv.nullValues ?? ['']).map(sqlString).join(', ')}]`,
  ];
  if (csv.dateFormat) parts.push(`dateformat = ${sqlString(csv.dateFormat)}`);
  if (csv.timestampFormat) parts.push(`timestampformat = ${sqlString(csv.timestampFormat)}`);
  return parts.join(', ');
}

const struct = (cols: Column[]): string =>
  `{${cols.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;

/**
 * The DuckDB table function reading one input file. `types` pins the type of named columns (CSV
 * and JSON parse them as that type directly, so a bad value is reported with its line).
 */
export function readerSql(
  file: string,
  format: IngestFormat,
  csv: CsvOptions = {},
  types: Column[] = [],
): string {
  const path = sqlString(file);
  switch (format) {
    case 'csv':
      return `read_csv(${path}, ${csvDialect(file, csv)}${types.length ? `, types = ${struct(types)}` : ''})`;
    case 'json':
    case 'ndjson': {
      const fmt = format === 'json' ? 'auto' : 'newline_delimited';
      return `read_json(${path}, format = ${sqlString(fmt)})`;
    }
    case 'parquet':
      return `read_parquet(${path})`;
  }
}

/** The essential part of a DuckDB error: its first lines, without the dump of reader options. */
export function essentialMessage(message: string): string {
  const lines = message.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*(Possible (Solution|fixes)|file = |LINE \d+:)/.test(line)) break;
    if (line.trim() === '') {
      if (out.length > 0) break;
      continue;
    }
    out.push(line.trim());
  }
  return out.join(' — ').replace(/^Invalid Input Error: /, '');
}

/** Column names from a CSV header line (quotes honoured), for the diagnostic pass. */
async function headerColumns(file: string, csv: CsvOptions): Promise<string[] | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const delim = csv.delimiter ?? (extensionOf(file) === '.tsv' ? '\t' : ',');
    const quote = csv.quote ?? '"';
    const cols: string[] = [];
    let cur = '';
    let inQuotes = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (inQuotes) {
        if (ch === quote && text[i + 1] === quote) {
          cur += quote;
          i++;
        } else if (ch === quote) inQuotes = false;
        else cur += ch;
      } else if (ch === quote) inQuotes = true;
      else if (ch === delim) {
        cols.push(cur);
        cur = '';
      } else if (ch === '\n' || ch === '\r') {
        cols.push(cur);
        return cols;
      } else cur += ch;
    }
    return undefined;
  } finally {
    await fh.close();
  }
}

/**
 * Turns a failure to read an input file into a MalformedInputError naming the file and, where it
 * can be found, the line. For CSV a strict all-text read finds the first line that breaks the
 * dialect (wrong number of fields, bad quoting, invalid UTF-8).
 */
export async function inputError(
  duck: DuckSession,
  file: string,
  format: IngestFormat,
  csv: CsvOptions,
  err: unknown,
): Promise<MalformedInputError> {
  const original = err instanceof Error ? err.message : String(err);
  let message = original;
  let line: number | undefined;
  const csvLine = /CSV Error on Line: (\d+)/.exec(original);
  const jsonLine = /in (?:line|record\/value) (\d+)/.exec(original);
  if (csvLine) line = Number(csvLine[1]);
  else if (jsonLine && format !== 'parquet') line = Number(jsonLine[1]);
  if (format === 'csv' && line === undefined && (csv.header ?? true)) {
    const header = await headerColumns(file, csv).catch(() => undefined);
    if (header && header.length > 0) {
      const cols = header.map((name) => ({ name, type: 'VARCHAR' }));
      const probe =
        `SELECT count(*) FROM read_csv(${sqlString(file)}, ${csvDialect(file, csv)}, ` +
        `auto_detect = false, columns = ${struct(cols)})`;
      try {
        await duck.run(probe);
      } catch (probeErr) {
        const m = probeErr instanceof SqlError ? probeErr.message : String(probeErr);
        const l = /CSV Error on Line: (\d+)/.exec(m);
        if (l) {
          line = Number(l[1]);
          message = m;
        }
      }
    }
  }
  const what = essentialMessage(message);
  const where = line !== undefined ? `${file}, line ${line}` : file;
  return new MalformedInputError(
    `cannot read ${where} as ${format.toUpperCase()}: ${what}`,
    { file, format, ...(line !== undefined ? { line } : {}) },
    { cause: err },
  );
}

/** The input's columns, as DuckDB reads them (a sample, for CSV and JSON). */
export async function describeInput(
  duck: DuckSession,
  file: string,
  format: IngestFormat,
  csv: CsvOptions,
  types: Column[] = [],
): Promise<Column[]> {
  try {
    return await duck.describe(`SELECT * FROM ${readerSql(file, format, csv, types)}`);
  } catch (err) {
    throw await inputError(duck, file, format, csv, err);
  }
}
