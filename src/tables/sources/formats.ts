// The input formats an ingest reads, and telling a file's format from its extension (`.csv.gz`
// and `.json.zst` by the extension under the compression's).
import { extname } from 'node:path';
import { InvalidArgumentError } from '../../common/errors.js';

export type IngestFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
export const INGEST_FORMATS: readonly IngestFormat[] = ['csv', 'json', 'ndjson', 'parquet'];

/** Extensions that tell a format. */
export const EXTENSIONS: Record<string, IngestFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/** A file's extension, lower case, under a `.gz` or `.zst` one. */
export function extensionOf(file: string): string {
  const lower = file.toLowerCase();
  const ext = extname(lower);
  return ['.gz', '.zst'].includes(ext) ? extname(lower.slice(0, -ext.length)) : ext;
}

/** The format an input is read as: the one given, else its extension's. */
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
