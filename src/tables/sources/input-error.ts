// When DuckDB's reader fails on an input, the error names the file and, where it can be found,
// the line: for CSV a second, all-text pass finds the line at fault.
import { MalformedInputError, SqlError } from '../../common/errors.js';
import { type DuckSession, sqlString } from '../../engine/duckdb.js';
import { type CsvOptions, csvDialect, delimiterOf } from './csv-options.js';
import { jsonErrorLine, physicalLineOfRecord } from './error-lines.js';
import { readPrefix } from './file-bytes.js';
import type { IngestFormat } from './formats.js';
import { struct } from './reader-sql.js';

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
