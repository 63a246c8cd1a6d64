// An input's columns as DuckDB reads them, with what DuckDB's inference gets wrong for JSON put
// right: keys holding only nulls, and ISO dates and timestamps in strings.
import { type DuckSession, sqlIdent, sqlString } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import type { CsvOptions } from './csv-options.js';
import { isBlank } from './file-bytes.js';
import type { IngestFormat } from './formats.js';
import { inputError } from './input-error.js';
import { readerSql, struct } from './reader-sql.js';

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
