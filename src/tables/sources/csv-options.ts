// CSV options and the DuckDB dialect they make: an explicit dialect and strict mode, so ragged
// rows and bad quoting are errors rather than guesses.
import { InvalidArgumentError } from '../../common/errors.js';
import { sqlString } from '../../engine/duckdb.js';
import { extensionOf } from './formats.js';

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

/** The field delimiter of a CSV file: the option, else a tab for `.tsv`, else `,`. */
export const delimiterOf = (file: string, csv: CsvOptions): string =>
  csv.delimiter ?? (extensionOf(file) === '.tsv' ? '\t' : ',');

/** The `read_csv` options of a file's dialect (header, delimiter, quotes, NULLs, formats). */
export function csvDialect(file: string, csv: CsvOptions): string {
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
