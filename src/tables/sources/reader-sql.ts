// The DuckDB table function that reads one input file, per format.
import { sqlString } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import { type CsvOptions, csvDialect } from './csv-options.js';
import type { IngestFormat } from './formats.js';

/** A DuckDB struct literal of column names to types (`{'a': 'INTEGER'}`), for pinned types. */
export const struct = (cols: Column[]): string =>
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
