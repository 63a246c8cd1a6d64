// Writing a query's result to a file with DuckDB's COPY: Parquet, CSV (with a header), a JSON
// array, or newline-delimited JSON. The format comes from the file's extension unless given.
import { InvalidArgumentError } from '../common/errors.js';
import { type DuckSession, sqlIdent, sqlString } from './duckdb.js';

export type OutputFormat = 'parquet' | 'csv' | 'json' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['parquet', 'csv', 'json', 'ndjson'];

export function outputFormatOf(file: string, given?: string): OutputFormat {
  if (given !== undefined) {
    if ((OUTPUT_FORMATS as readonly string[]).includes(given)) return given as OutputFormat;
    throw new InvalidArgumentError(`unknown output format ${given}: ${OUTPUT_FORMATS.join(', ')}`, {
      argument: 'format',
      reason: 'unknown',
    });
  }
  const lower = file.toLowerCase();
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  throw new InvalidArgumentError(
    `cannot tell the format of ${file} from its extension: use .parquet, .csv, .json or .ndjson`,
    { argument: 'out', reason: 'unknown extension' },
  );
}

const COPY_OPTIONS: Record<OutputFormat, string> = {
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
  ndjson: 'FORMAT json',
};

/** A nested type: STRUCT, MAP, UNION, or a list or array (`VARCHAR[]`, `INTEGER[3]`). */
const NESTED_TYPE = /^(STRUCT|MAP|UNION)\(|\]$/;

/**
 * Writes the result of `query` to `file`; returns the number of rows written. In CSV, nested
 * values (structs, maps, lists) are written as JSON text — DuckDB's own rendering of them
 * (`{'name': A}`) is not something another tool, or an ingest, can read back.
 */
export async function copyToFile(
  duck: DuckSession,
  query: string,
  file: string,
  format: OutputFormat,
): Promise<number> {
  let select = query;
  if (format === 'csv') {
    const nested = (await duck.describe(`SELECT * FROM (${query}) AS q`)).filter((c) =>
      NESTED_TYPE.test(c.type),
    );
    if (nested.length > 0) {
      const replace = nested.map((c) => `to_json(${sqlIdent(c.name)}) AS ${sqlIdent(c.name)}`);
      select = `SELECT * REPLACE (${replace.join(', ')}) FROM (${query}) AS q`;
    }
  }
  return duck.run(`COPY (${select}) TO ${sqlString(file)} (${COPY_OPTIONS[format]})`);
}
