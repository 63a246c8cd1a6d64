// Input files for an ingest: a file, a directory (every data file below it) or a glob, and the
// DuckDB reader for each format. CSV is read with an explicit dialect and strict mode, so ragged
// rows and bad quoting are errors rather than guesses; when DuckDB's reader fails, a second,
// all-text pass finds the line at fault, so the message can name it.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { glob } from 'tinyglobby';
import {
  FileNotFoundError,
  InvalidArgumentError,
  MalformedInputError,
  SqlError,
} from '../common/errors.js';
import { type DuckSession, sqlIdent, sqlString } from '../engine/duckdb.js';
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
  /**
   * Column names of a file without a header row (`header: false`), in order; default the
   * explicit schema's or the table's columns, else `column0`, `column1`, ….
   */
  names?: string[];
  /** Values read as NULL; default the empty field. */
  nullValues?: string[];
  /** Decimal separator of numbers, `.` (default) or `,` (`1,50`: European CSVs, with `;`). */
  decimalSeparator?: string;
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

/**
 * The files an ingest reads, sorted: a file; a glob (every file it matches); or a directory, which
 * contributes every data file below it (by extension, or any file when a format is given) except
 * those whose name or folder starts with `_` or `.`.
 */
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
      // Names starting with `_` or `.` are not data (`_SUCCESS`, `_temporary/`, `.crc` files:
      // the Hive/Spark convention, as for a table's own folder).
      files = (
        await glob('**/*', {
          cwd: abs,
          absolute: true,
          onlyFiles: true,
          dot: false,
          ignore: ['**/_*', '**/_*/**'],
        })
      )
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

/** Refuses CSV options that contradict each other, before anything is read. */
export function checkCsvOptions(csv: CsvOptions, csvFiles: string[]): void {
  const sep = csv.decimalSeparator;
  if (sep === undefined) return;
  if (sep !== '.' && sep !== ',') {
    throw new InvalidArgumentError(`decimal separator ${JSON.stringify(sep)}: use . or ,`, {
      argument: 'decimal-separator',
      reason: 'unsupported',
    });
  }
  if (sep === ',' && csvFiles.some((f) => delimiterOf(f, csv) === ',')) {
    throw new InvalidArgumentError(
      'the decimal separator , is also the field delimiter: pass another delimiter (e.g. ;)',
      { argument: 'decimal-separator', reason: 'same as the delimiter' },
    );
  }
}

const delimiterOf = (file: string, csv: CsvOptions): string =>
  csv.delimiter ?? (extensionOf(file) === '.tsv' ? '\t' : ',');

function csvDialect(file: string, csv: CsvOptions): string {
  const delim = delimiterOf(file, csv);
  const quote = csv.quote ?? '"';
  const parts = [
    `header = ${csv.header ?? true}`,
    `delim = ${sqlString(delim)}`,
    `quote = ${sqlString(quote)}`,
    `escape = ${sqlString(csv.escape ?? quote)}`,
    'skip = 0',
    'strict_mode = true',
    'null_padding = false',
    // A quoted empty field is an empty string; only unquoted NULL markers are NULL (as in
    // PostgreSQL's CSV, and as DuckDB's own COPY writes them).
    'allow_quoted_nulls = false',
    `nullstr = [${(csv.nullValues ?? ['']).map(sqlString).join(', ')}]`,
  ];
  if (csv.header === false && csv.names?.length)
    parts.push(`names = [${csv.names.map(sqlString).join(', ')}]`);
  if (csv.decimalSeparator && csv.decimalSeparator !== '.')
    parts.push(`decimal_separator = ${sqlString(csv.decimalSeparator)}`);
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
  return out
    .join(' — ')
    .replace(/^Invalid Input Error: /, '')
    .replace(/^CSV Error on Line: \d+ — /, '');
}

/** Column names from a CSV header line (quotes honoured), for the diagnostic pass. */
async function headerColumns(file: string, csv: CsvOptions): Promise<string[] | undefined> {
  const head = await readPrefix(file, 1 << 16);
  if (head === undefined) return undefined;
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const delim = delimiterOf(file, csv);
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
}

/**
 * The bytes of a data file as DuckDB reads them: a `.gz` file decompressed. Undefined for a
 * compression Node cannot read (zstd): callers then do without what they wanted to find.
 */
function contentStream(file: string): Readable | undefined {
  const ext = extname(file.toLowerCase());
  if (ext === '.gz') return createReadStream(file).pipe(createGunzip());
  if (ext === '.zst') return undefined;
  return createReadStream(file);
}

/** The first `n` bytes (or fewer) of a data file's content. */
async function readPrefix(file: string, n: number): Promise<Buffer | undefined> {
  const stream = contentStream(file);
  if (!stream) return undefined;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

/** What DuckDB's CSV reader says is wrong with a record (the line after the record's text). */
const CSV_ERROR_DESCRIPTION =
  /^[ \t]*(Expected Number of Columns|Value with unterminated quote|Invalid unicode|Error when converting column|Maximum line size|Could not convert).*$/m;

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
  /** The name to report, when `file` is a stand-in for it (see jsonWithoutBom). */
  shown: string = file,
): Promise<MalformedInputError> {
  const original = err instanceof Error ? err.message : String(err);
  let message = original;
  let line: number | undefined;
  const csvLine = /CSV Error on Line: (\d+)/.exec(original);
  if (csvLine) line = Number(csvLine[1]);
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
  // DuckDB numbers CSV records (a newline inside a quoted field does not count) and JSON values;
  // a line number is what an editor shows.
  let what = essentialMessage(message);
  if (format === 'csv' && line !== undefined) {
    // DuckDB's "Original Line" is the record as it parsed it — it may run over many lines, or be
    // a neighbour of the record at fault — so the message shows the line of the file instead.
    what = CSV_ERROR_DESCRIPTION.exec(message)?.[0].trim() ?? what;
    const at = await physicalLineOfRecord(file, csv, line).catch(() => undefined);
    if (at) {
      line = at.line;
      what = `${what} — the line reads: ${JSON.stringify(at.text)}`;
    }
  } else if (format === 'json' || format === 'ndjson') {
    line = await jsonErrorLine(file, format).catch(() => undefined);
    if (line !== undefined) what = what.replace(/,? at byte \d+ in (?:line|record\/value) \d+/, '');
  }
  if (shown !== file) what = what.replaceAll(file, shown);
  const where = line !== undefined ? `${shown}, line ${line}` : shown;
  return new MalformedInputError(
    `cannot read ${where} as ${format.toUpperCase()}: ${what}`,
    { file: shown, format, ...(line !== undefined ? { line } : {}) },
    { cause: err },
  );
}

/**
 * The line (1-based) on which CSV record `record` starts, counting the header and blank lines as
 * records the way DuckDB's error messages do, and every newline (CRLF, LF or CR, inside quotes
 * or not) as a line the way an editor does; with the text of that line (at most 120 characters).
 * Undefined when the file has fewer records or cannot be read here.
 */
export async function physicalLineOfRecord(
  file: string,
  csv: CsvOptions,
  record: number,
): Promise<{ line: number; text: string } | undefined> {
  const quote = (csv.quote ?? '"').charCodeAt(0);
  const esc = (csv.escape ?? csv.quote ?? '"').charCodeAt(0);
  const LF = 10;
  const CR = 13;
  const stream = contentStream(file);
  if (!stream) return undefined;
  let line = 1;
  let ended = 0;
  let inQuotes = false;
  let escaped = false;
  let prevCR = false;
  /** Bytes of the line at fault, once found. */
  let found: Buffer[] | undefined = record <= 1 ? [] : undefined;
  let foundSize = 0;
  const text = (): string => {
    const s = Buffer.concat(found ?? [])
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const first = s.split(/\r\n|\r|\n/)[0] ?? '';
    return first.length > 120 ? `${first.slice(0, 120)}…` : first;
  };
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      let i = 0;
      if (!found) {
        for (; i < buf.length; i++) {
          const b = buf[i] as number;
          if (b === LF || b === CR) {
            const crlf = b === LF && prevCR;
            prevCR = b === CR;
            if (crlf) continue;
            line++;
            if (!inQuotes && ++ended === record - 1) {
              i += b === CR && buf[i + 1] === LF ? 2 : 1;
              found = [];
              break;
            }
            continue;
          }
          prevCR = false;
          if (inQuotes) {
            if (escaped) escaped = false;
            else if (esc !== quote && b === esc) escaped = true;
            else if (b === quote) inQuotes = false;
          } else if (b === quote) inQuotes = true;
        }
      }
      if (found) {
        const rest = buf.subarray(i);
        found.push(rest);
        foundSize += rest.length;
        if (foundSize >= 1024 || rest.includes(LF) || rest.includes(CR))
          return { line, text: text() };
      }
    }
  } finally {
    stream.destroy();
  }
  return found ? { line, text: text() } : undefined;
}

/** JSON files (not NDJSON) up to this size are parsed again to find the line of a syntax error. */
const JSON_LINE_SCAN_MAX = 256 * 1024 * 1024;

/**
 * The line of the first syntax error in a JSON or NDJSON file. DuckDB's message names a record,
 * or a line number that is not the file's, so the file is parsed again with JSON.parse: NDJSON
 * line by line (streaming); JSON whole when it is an array, else value by value, a value running
 * on over as many lines as it takes. Undefined when a JSON file is too large, or it all parses.
 */
export async function jsonErrorLine(
  file: string,
  format: 'json' | 'ndjson',
): Promise<number | undefined> {
  if (format === 'ndjson') {
    const stream = contentStream(file);
    if (!stream) return undefined;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const raw of lines) {
        const text = ++n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
        if (text.trim() === '') continue;
        try {
          JSON.parse(text);
        } catch {
          return n;
        }
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    return undefined;
  }
  const whole = await readPrefix(file, JSON_LINE_SCAN_MAX + 1);
  if (!whole || whole.length > JSON_LINE_SCAN_MAX) return undefined;
  const text = whole.toString('utf8').replace(/^\uFEFF/, '');
  const lineAt = (s: string, pos: number): number => s.slice(0, pos).split(/\r\n|\r|\n/).length;
  /** Where JSON.parse(s) fails: 'end' when s is only incomplete, undefined when it parses. */
  const failure = (s: string): number | 'end' | undefined => {
    try {
      JSON.parse(s);
      return undefined;
    } catch (err) {
      const m = (err as Error).message;
      const at = /at position (\d+)/.exec(m);
      if (at) return Number(at[1]) >= s.trimEnd().length ? 'end' : Number(at[1]);
      return 'end';
    }
  };
  if (text.trimStart().startsWith('[')) {
    const f = failure(text);
    if (f === undefined) return undefined;
    return lineAt(text, f === 'end' ? text.trimEnd().length : f);
  }
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  while (start < lines.length) {
    if ((lines[start] as string).trim() === '') {
      start++;
      continue;
    }
    let end = start;
    let value = lines[start] as string;
    for (;;) {
      const f = failure(value);
      if (f === undefined) break;
      if (f !== 'end') return start + lineAt(value, f);
      if (end + 1 >= lines.length) return start + 1; // never completed: where it starts
      value += `\n${lines[++end]}`;
    }
    start = end + 1;
  }
  return undefined;
}

/** The input's columns, as DuckDB reads them (a sample, for CSV and JSON). */
export async function describeInput(
  duck: DuckSession,
  file: string,
  format: IngestFormat,
  csv: CsvOptions,
  types: Column[] = [],
  shown: string = file,
): Promise<Column[]> {
  try {
    // An empty file has no columns (DuckDB would make up one: `column0` or `json`).
    if (format === 'csv' && (await isBlank(file))) return [];
    const cols = await duck.describe(`SELECT * FROM ${readerSql(file, format, csv, types)}`);
    if (format === 'json' || format === 'ndjson') {
      const only = cols.length === 1 ? cols[0] : undefined;
      if (only?.name === 'json' && only.type === 'JSON') {
        const r = await duck.query(`SELECT count(*) AS n FROM ${readerSql(file, format, csv)}`);
        if (Number(r.rows[0]?.n ?? 0) === 0) return [];
      }
      await refineJsonTemporal(duck, file, format, cols);
      await markJsonNulls(duck, file, format, cols);
    }
    return cols;
  } catch (err) {
    throw await inputError(duck, file, format, csv, err, shown);
  }
}

/**
 * A JSON file that starts with a byte order mark, which DuckDB's JSON reader refuses (or, for a
 * JSON array, misreads as a single value): a copy without it in `dir`, decompressed. Other files
 * are read as they are.
 */
export async function jsonWithoutBom(file: string, dir: string, n: number): Promise<string> {
  const head = await readPrefix(file, 3);
  if (!head || head.length < 3 || head[0] !== 0xef || head[1] !== 0xbb || head[2] !== 0xbf)
    return file;
  const stream = contentStream(file);
  if (!stream) return file;
  const out = join(dir, `input-${n}${extensionOf(file)}`);
  let first = true;
  await pipeline(
    stream,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        yield first ? chunk.subarray(3) : chunk;
        first = false;
      }
    },
    createWriteStream(out),
  );
  return out;
}

/** True when the file holds nothing but whitespace (and perhaps a byte order mark). */
async function isBlank(file: string): Promise<boolean> {
  if (statSync(file).size === 0) return true;
  const head = await readPrefix(file, 65);
  if (!head || head.length > 64) return false;
  return (
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim() === ''
  );
}

/**
 * DuckDB reads a JSON key that holds only nulls as a column of type JSON. That is no evidence of a
 * type: such a top-level column becomes `NULL` here (a new table makes it VARCHAR; an append takes
 * the table's type), as a column with no values is in CSV.
 */
async function markJsonNulls(
  duck: DuckSession,
  file: string,
  format: 'json' | 'ndjson',
  cols: Column[],
): Promise<void> {
  const candidates = cols.filter((c) => c.type === 'JSON');
  if (candidates.length === 0) return;
  const fmt = format === 'json' ? 'auto' : 'newline_delimited';
  const pinned = struct(candidates.map((c) => ({ name: c.name, type: 'JSON' })));
  const r = await duck.query(
    `SELECT ${candidates.map((c, i) => `count(${sqlIdent(c.name)}) AS n${i}`).join(', ')} ` +
      `FROM (SELECT * FROM read_json(${sqlString(file)}, format = ${sqlString(fmt)}, ` +
      `columns = ${pinned}) LIMIT ${JSON_SAMPLE_ROWS})`,
  );
  const row = r.rows[0] ?? {};
  candidates.forEach((c, i) => {
    if (Number(row[`n${i}`] ?? 0) === 0) c.type = 'NULL';
  });
}

/** Rows of a JSON input that temporal inference looks at (DuckDB's own sample size). */
const JSON_SAMPLE_ROWS = 20480;
const DATE_RE = String.raw`\d{4}-\d{2}-\d{2}`;
const TIME_RE = String.raw`[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?`;
const ZONE_RE = String.raw`\s?([Zz]|[+-]\d{2}(:?\d{2})?)`;

/**
 * JSON has no date or timestamp type, and DuckDB's detection of them in strings is fragile: it
 * tries one strftime format per column, so ISO timestamps that mix `T` and a space, or with and
 * without fractional seconds, stay text, and strings with a zone offset are either text or turned
 * into naive UTC timestamps (the zone lost from the type). Here a top-level text or timestamp
 * column whose sampled values are all ISO 8601 dates becomes DATE; all timestamps without a zone,
 * TIMESTAMP; all timestamps with a zone (`Z`, `+02`, `+02:00`), TIMESTAMP WITH TIME ZONE. The
 * values are then cast from what DuckDB read (text, or UTC timestamps) to that type.
 */
async function refineJsonTemporal(
  duck: DuckSession,
  file: string,
  format: 'json' | 'ndjson',
  cols: Column[],
): Promise<void> {
  const candidates = cols.filter((c) => c.type === 'VARCHAR' || c.type === 'TIMESTAMP');
  if (candidates.length === 0) return;
  const fmt = format === 'json' ? 'auto' : 'newline_delimited';
  const pinned = struct(candidates.map((c) => ({ name: c.name, type: 'VARCHAR' })));
  const aggs: string[] = [];
  candidates.forEach((c, i) => {
    const v = sqlIdent(c.name);
    const match = (re: string, type: string) =>
      `count(*) FILTER (WHERE regexp_full_match(${v}, ${sqlString(re)}) AND try_cast(${v} AS ${type}) IS NOT NULL)`;
    aggs.push(
      `count(${v}) AS n${i}`,
      `${match(DATE_RE, 'DATE')} AS d${i}`,
      `${match(DATE_RE + TIME_RE, 'TIMESTAMP')} AS t${i}`,
      `${match(DATE_RE + TIME_RE + ZONE_RE, 'TIMESTAMPTZ')} AS z${i}`,
    );
  });
  const r = await duck.query(
    `SELECT ${aggs.join(', ')} FROM (SELECT * FROM read_json(${sqlString(file)}, ` +
      `format = ${sqlString(fmt)}, columns = ${pinned}) LIMIT ${JSON_SAMPLE_ROWS})`,
  );
  const row = r.rows[0] ?? {};
  candidates.forEach((c, i) => {
    const n = Number(row[`n${i}`] ?? 0);
    if (n === 0) return;
    if (Number(row[`z${i}`]) === n) c.type = 'TIMESTAMP WITH TIME ZONE';
    else if (c.type !== 'VARCHAR')
      return; // DuckDB parsed every value: keep its reading
    else if (Number(row[`d${i}`]) === n) c.type = 'DATE';
    else if (Number(row[`t${i}`]) === n) c.type = 'TIMESTAMP';
  });
}
