// The preformatted fast path: a Parquet input written in the table's layout (a pipeline model's
// COPY with TABLE_FILES_COPY_OPTIONS) whose columns are exactly the table's is stored as it is,
// not read and written again.
import type { Column } from '../../engine/tables.js';
import type { IngestFormat } from '../sources.js';
import type { IngestState } from './state.js';
import { parquetRows } from './table-files.js';

/** May input `have` be stored as it is? Only with `preformatted`, unpartitioned, same columns. */
export function storableAsIs(s: IngestState, format: IngestFormat, have: Column[]): boolean {
  return (
    s.opts.preformatted === true &&
    format === 'parquet' &&
    s.partitionBy.length === 0 &&
    sameColumns(have, s.columns)
  );
}

/** Takes the input file itself as an output (its rows counted from the footer). */
export async function takeAsIs(s: IngestState, file: string, format: IngestFormat): Promise<void> {
  const [asIs] = await parquetRows(s.duck, [file]);
  s.inputs.push({ file, format, rows: asIs?.rows ?? 0 });
  if (asIs && asIs.rows > 0) s.outputs.push(asIs);
}

/** The same columns in the same order, spelled the same, of the same types. */
function sameColumns(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type);
}
