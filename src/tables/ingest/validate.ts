// The ingest's first phase: everything that can be refused before a byte is read — the mode, the
// branch, the inputs and their formats, CSV options, the table (a view), an explicit schema, and
// the key and partitioning against the table's.
import { InvalidArgumentError, TableNotFoundError } from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import {
  type Column,
  checkTableNameFree,
  getTable,
  parseTableName,
  type TableAtRef,
} from '../../engine/tables.js';
import { columnKey } from '../schema.js';
import { checkCsvOptions, formatOf, resolveSources } from '../sources.js';
import { type IngestOptions, WRITE_MODES, type WriteMode } from './options.js';
import type { IngestTarget } from './state.js';

export async function validateIngest(
  repo: Repository,
  src: string | string[],
  opts: IngestOptions,
): Promise<IngestTarget> {
  const table = parseTableName(opts.table);
  const branch = opts.branch ?? repo.defaultBranch;
  const mode = opts.mode ?? 'append';
  if (!WRITE_MODES.includes(mode)) {
    throw new InvalidArgumentError(`unknown mode ${mode}: append, overwrite or upsert`, {
      argument: 'mode',
      reason: 'unknown',
    });
  }
  await repo.getBranch(branch); // BranchNotFoundError before any work
  await checkTableNameFree(repo, branch, table); // `Orders` where `orders` is: before any work
  const files: string[] = [];
  for (const s of Array.isArray(src) ? src : [src])
    files.push(...(await resolveSources(s, opts.format)));
  const formats = files.map((f) => formatOf(f, opts.format));
  let csv = opts.csv ?? {};
  checkCsvOptions(
    csv,
    files.filter((_, i) => formats[i] === 'csv'),
  );
  const existing = await writableTable(repo, branch, table, mode);
  const explicit = explicitSchema(opts);
  // A CSV without a header row: its columns are, in order, the schema's or the table's.
  if (csv.header === false && !csv.names?.length) {
    const named = explicit ?? (mode !== 'overwrite' ? existing?.manifest.columns : undefined);
    if (named) csv = { ...csv, names: named.map((c) => c.name) };
  }
  const { key, partitionBy } = keyAndPartitions(opts, table, branch, mode, existing);
  return {
    table,
    branch,
    mode,
    files,
    formats,
    csv,
    existing,
    explicit,
    key,
    partitionBy,
  };
}

/** The table the write adds to or replaces: undefined when there is none (or a view is replaced). */
async function writableTable(
  repo: Repository,
  branch: string,
  table: string,
  mode: WriteMode,
): Promise<TableAtRef | undefined> {
  let existing: TableAtRef | undefined;
  try {
    existing = await getTable(repo, branch, table);
  } catch (err) {
    if (!(err instanceof TableNotFoundError)) throw err;
  }
  if (existing?.manifest.view) {
    // A stored view has no data to add to; an overwrite replaces the definition with data.
    if (mode !== 'overwrite')
      throw new InvalidArgumentError(
        `${table} is a view on ${branch}: only an overwrite can write to it (it then becomes a table)`,
        { argument: 'mode', reason: 'view' },
      );
    existing = undefined;
  }
  return existing;
}

/** The explicit schema, each column once. Types are spelled as DuckDB does once a session is open (canonicalSchema). */
function explicitSchema(opts: IngestOptions): Column[] | undefined {
  const explicit = opts.schema?.map((c) => ({ name: c.name, type: c.type.trim() }));
  if (explicit) {
    const seen = new Set<string>();
    for (const c of explicit) {
      if (seen.has(columnKey(c.name))) {
        throw new InvalidArgumentError(`the schema declares column ${c.name} twice`, {
          argument: 'schema',
          reason: 'duplicate column',
        });
      }
      seen.add(columnKey(c.name));
    }
  }
  return explicit;
}

/**
 * The key and partition columns of the write: the given ones, else the table's. Only an overwrite
 * may change them; an upsert needs a key.
 */
function keyAndPartitions(
  opts: IngestOptions,
  table: string,
  branch: string,
  mode: WriteMode,
  existing: TableAtRef | undefined,
): { key: string[] | undefined; partitionBy: string[] } {
  const key = opts.key?.length ? opts.key : existing?.manifest.primaryKey;
  const tablePartitions = existing?.manifest.partitionBy ?? [];
  if (
    opts.partitionBy?.length &&
    existing &&
    mode !== 'overwrite' &&
    opts.partitionBy.map(columnKey).join(',') !== tablePartitions.map(columnKey).join(',')
  ) {
    throw new InvalidArgumentError(
      `table ${table} is partitioned by (${tablePartitions.join(', ') || 'nothing'}); --partition-by (${opts.partitionBy.join(', ')}) differs — use --mode overwrite to change it`,
      { argument: 'partition-by', reason: 'differs from the table' },
    );
  }
  const partitionBy =
    opts.partitionBy?.length || mode === 'overwrite' ? (opts.partitionBy ?? []) : tablePartitions;
  if (
    existing?.manifest.primaryKey?.length &&
    opts.key?.length &&
    mode !== 'overwrite' &&
    opts.key.map(columnKey).join(',') !== existing.manifest.primaryKey.map(columnKey).join(',')
  ) {
    throw new InvalidArgumentError(
      `table ${table} has primary key (${existing.manifest.primaryKey.join(', ')}); --key (${opts.key.join(', ')}) differs — use --mode overwrite to change it`,
      { argument: 'key', reason: 'differs from the table' },
    );
  }
  if (mode === 'upsert' && !key?.length) {
    throw new InvalidArgumentError(
      existing
        ? `upsert needs a key: pass --key COL[,COL] (table ${table} has none)`
        : `upsert needs a key: pass --key COL[,COL] (table ${table} does not exist on ${branch} yet)`,
      {
        argument: 'key',
        reason: 'missing',
      },
    );
  }
  return { key, partitionBy };
}
