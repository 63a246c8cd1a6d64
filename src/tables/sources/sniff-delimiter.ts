// A CSV file's field delimiter when none is given. The default is `,` (a tab for `.tsv`), but a
// European export separates its fields with `;`: read with commas, its header `id;name` became one
// column — silently so when no data row held a comma (a one-row file). DuckDB's sniffer
// (`sniff_csv`) tells the delimiter; only that is taken from it, and only when it is `;`, a tab or
// `|`, appears in the first line and splits the file into more than one column. The rest of the
// dialect (header, quotes, strict mode) stays as given, so a ragged file is still an error.
import { type DuckSession, sqlString } from '../../engine/duckdb.js';
import type { CsvOptions } from './csv-options.js';
import { isBlank, readPrefix } from './file-bytes.js';
import { extensionOf } from './formats.js';

/** Delimiters the sniffer may choose over the default comma. */
const OTHER_DELIMITERS = [';', '\t', '|'];

/** `csv` with the file's delimiter set when none was given and the file is not comma-separated. */
export async function withSniffedDelimiter(
  duck: DuckSession,
  file: string,
  csv: CsvOptions,
): Promise<CsvOptions> {
  if (csv.delimiter !== undefined || extensionOf(file) === '.tsv') return csv;
  if (await isBlank(file)) return csv;
  const quote = csv.quote ?? '"';
  let found: { delimiter: string; columns: number } | undefined;
  try {
    const r = await duck.query(
      `SELECT Delimiter AS d, len(Columns) AS n FROM sniff_csv(${sqlString(file)}, ` +
        `quote = ${sqlString(quote)}, escape = ${sqlString(csv.escape ?? quote)}, ` +
        `header = ${csv.header ?? true})`,
    );
    const row = r.rows[0];
    if (row) found = { delimiter: String(row.d), columns: Number(row.n) };
  } catch {
    return csv; // the strict reading reports what is wrong with the file
  }
  if (!found || found.columns < 2 || !OTHER_DELIMITERS.includes(found.delimiter)) return csv;
  const head = await readPrefix(file, 1 << 16); // undefined for zstd: the sniffer's word stands
  const firstLine = head === undefined ? found.delimiter : head.toString('utf8').split(/\r?\n/)[0];
  return firstLine?.includes(found.delimiter) ? { ...csv, delimiter: found.delimiter } : csv;
}
