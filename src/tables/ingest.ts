import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import {
  DuplicateKeyError,
  InvalidArgumentError,
  MalformedInputError,
  SchemaMismatchError,
  TableNotFoundError,
} from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { Commit } from '../core/commit-codec.js';
import type { TreeEntry } from '../core/entry.js';
import type { Repository } from '../core/repository.js';
import {
  type DuckOptions,
  type DuckSession,
  sqlIdent,
  sqlList,
  sqlString,
  withDuck,
} from '../engine/duckdb.js';
import { ObjectCache } from '../engine/object-cache.js';
import { defaultCacheDir } from '../engine/session.js';
import {
  type Column,
  encodeManifest,
  getTable,
  manifestPath,
  parseTableName,
  ROWS_METADATA,
  type TableAtRef,
  type TableManifest,
  tablePrefix,
} from '../engine/tables.js';
import {
  columnKey,
  diffSchemas,
  evolveSchema,
  findColumn,
  isNumericType,
  isTemporalType,
  mergeNestedTypes,
  normalizeType,
  type SchemaChange,
  widensTo,
} from './schema.js';
import {
  type CsvOptions,
  checkCsvOptions,
  describeInput,
  formatOf,
  type IngestFormat,
  inputError,
  jsonWithoutBom,
  readerSql,
  resolveSources,
} from './sources.js';

export type WriteMode = 'append' | 'overwrite' | 'upsert';
export const WRITE_MODES: readonly WriteMode[] = ['append', 'overwrite', 'upsert'];

export interface IngestProgress {
  phase: 'read' | 'rewrite' | 'store' | 'commit';
  done: number;
  total: number;
  file?: string;
}

export interface IngestOptions {
  table: string;
  /** Default: the repository's default branch. */
  branch?: string;
  /** Default: from each file's extension. */
  format?: IngestFormat;
  /** Default append. */
  mode?: WriteMode;
  /** Primary key columns: required for upsert (unless the table has one), recorded in the manifest. */
  key?: string[];
  /**
   * Hive-style partition columns (`region=eu/day=2024-01-01/…`), recorded in the manifest. Set
   * when a table is created or overwritten; later writes partition the same way.
   */
  partitionBy?: string[];
  /** Explicit columns and types instead of inference; inputs are cast to them. */
  schema?: Column[];
  csv?: CsvOptions;
  /**
   * The Parquet inputs were written in the table's layout (zstd, at most 256 MB per file, no
   * partitions) — as a pipeline model's COPY writes them. An input whose columns are already
   * exactly the table's (names, types, order) is then stored as it is instead of being read and
   * written again; any other input is converted as usual.
   */
  preformatted?: boolean;
  /** Commit the branch after staging (no commit is made when the ingest changes nothing). */
  commit?: { message: string; metadata?: Record<string, string> };
  duck?: DuckOptions;
  /**
   * An open DuckDB session to run on (its settings apply, `duck` is ignored, and it stays open):
   * a caller writing many tables saves opening an instance per write. Nothing is left in it.
   */
  session?: DuckSession;
  /** Local cache for existing files that upsert reads; default the repository's. */
  cacheDir?: string;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestResult {
  table: string;
  branch: string;
  mode: WriteMode;
  inputs: { file: string; format: IngestFormat; rows: number }[];
  /** Rows read from the inputs and written. */
  rowsWritten: number;
  /** Rows of existing files an upsert copied into their rewritten files (unchanged rows). */
  rowsRewritten: number;
  /** Rows of existing files replaced by an upsert (or every row, for an overwrite). */
  rowsReplaced: number;
  filesAdded: string[];
  filesRemoved: string[];
  columns: Column[];
  primaryKey?: string[];
  partitionBy?: string[];
  schemaChanges: SchemaChange[];
  created: boolean;
  commit?: Commit;
}

const PARQUET_TYPE = 'application/vnd.apache.parquet';
const TARGET_FILE_SIZE = '256MB';
/**
 * COPY options for writing a directory of Parquet files in the layout of an unpartitioned table
 * (what `preformatted` inputs are expected to be written with).
 */
export const TABLE_FILES_COPY_OPTIONS = `FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${sqlString(TARGET_FILE_SIZE)}, FILENAME_PATTERN 'part_{i}'`;

export async function ingest(
  repo: Repository,
  src: string | string[],
  opts: IngestOptions,
): Promise<IngestResult> {
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
  const files: string[] = [];
  for (const s of Array.isArray(src) ? src : [src])
    files.push(...(await resolveSources(s, opts.format)));
  const formats = files.map((f) => formatOf(f, opts.format));
  let csv = opts.csv ?? {};
  checkCsvOptions(
    csv,
    files.filter((_, i) => formats[i] === 'csv'),
  );

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
  // Types are spelled as DuckDB does once a session is open (canonicalTypes).
  let explicit = opts.schema?.map((c) => ({ name: c.name, type: c.type.trim() }));
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
  // A CSV without a header row: its columns are, in order, the schema's or the table's.
  if (csv.header === false && !csv.names?.length) {
    const named = explicit ?? (mode !== 'overwrite' ? existing?.manifest.columns : undefined);
    if (named) csv = { ...csv, names: named.map((c) => c.name) };
  }
  let key = opts.key?.length ? opts.key : existing?.manifest.primaryKey;
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
  let partitionBy =
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

  const tmp = mkdtempSync(join(opts.duck?.tempDir ?? tmpdir(), 'sluice-ingest-'));
  const onDuck = <T>(fn: (duck: DuckSession) => Promise<T>): Promise<T> =>
    opts.session
      ? fn(opts.session)
      : withDuck({ ...opts.duck, tempDir: opts.duck?.tempDir ?? join(tmp, 'spill') }, fn);
  try {
    return await onDuck(async (duck) => {
      if (explicit) explicit = await canonicalTypes(duck, explicit);
      // The file DuckDB reads for each input (files[i] is what messages name).
      const reads: string[] = [];
      for (let i = 0; i < files.length; i++) {
        const f = files[i] as string;
        const json = formats[i] === 'json' || formats[i] === 'ndjson';
        reads.push(json ? await jsonWithoutBom(f, tmp, i) : f);
      }
      // 1. What each input holds.
      // (With an explicit schema the write parses every column as declared anyway.)
      const known =
        existing && mode !== 'overwrite' && !explicit ? existing.manifest.columns : undefined;
      const described: Column[][] = [];
      for (let i = 0; i < files.length; i++) {
        const file = reads[i] as string;
        const format = formats[i] as IngestFormat;
        const cols = await describeInput(duck, file, format, csv, [], files[i]);
        if (known) await inputFitsKnown(duck, file, format, csv, cols, known);
        described.push(cols);
      }

      // 2. The table's columns after the write.
      let columns: Column[];
      let schemaChanges: SchemaChange[] = [];
      if (explicit) {
        const declared = explicit;
        for (let i = 0; i < files.length; i++) {
          const extra = (described[i] as Column[]).find((c) => !findColumn(declared, c.name));
          if (extra) {
            throw new SchemaMismatchError(
              `${files[i]} has a column ${extra.name} that the schema does not declare`,
              { table, column: extra.name, inputType: extra.type, reason: 'not in schema' },
            );
          }
        }
        columns = explicit;
        if (existing && mode !== 'overwrite') {
          const evolved = evolveSchema(table, existing.manifest.columns, explicit);
          columns = evolved.columns;
        }
      } else {
        let union: Column[] = [];
        for (let i = 0; i < files.length; i++)
          union = unionColumns(union, described[i] as Column[], files[i] as string, table);
        columns =
          existing && mode !== 'overwrite'
            ? evolveSchema(table, existing.manifest.columns, union).columns
            : union;
      }
      // A column no input had a value for (JSON nulls) is text until data says otherwise.
      columns = columns.map((c) => (isNullType(c.type) ? { ...c, type: 'VARCHAR' } : c));
      // Empty inputs only: an overwrite empties the table and keeps its columns.
      if (columns.length === 0 && existing) columns = existing.manifest.columns;
      if (columns.length === 0) {
        throw new MalformedInputError(
          `${files.length === 1 ? `${files[0]} is empty` : 'every input file is empty'}: there are no columns to make table ${table} of`,
          { file: files.join(', '), format: formats[0] as string },
        );
      }
      if (existing) schemaChanges = diffSchemas(existing.manifest.columns, columns);
      else
        schemaChanges = columns.map((c) => ({
          column: c.name,
          change: 'added' as const,
          after: c.type,
        }));
      key = key?.map((k) => {
        const c = findColumn(columns, k);
        if (!c) {
          throw new InvalidArgumentError(`key column ${k} is not a column of table ${table}`, {
            argument: 'key',
            reason: 'unknown column',
          });
        }
        return c.name; // the table's spelling
      });
      partitionBy = partitionBy.map((p) => {
        const c = findColumn(columns, p);
        if (!c) {
          throw new InvalidArgumentError(
            `partition column ${p} is not a column of table ${table}`,
            { argument: 'partition-by', reason: 'unknown column' },
          );
        }
        return c.name;
      });
      // Partitioned files are written per partition (DuckDB cannot also split them by size);
      // the partition columns stay inside the files, so every reader sees them.
      const layout = partitionBy.length
        ? `PARTITION_BY (${partitionBy.map(sqlIdent).join(', ')}), WRITE_PARTITION_COLUMNS true`
        : `FILE_SIZE_BYTES ${sqlString(TARGET_FILE_SIZE)}`;

      // 3. Convert every input; nothing is stored until all of them have been read.
      const outputs: Output[] = [];
      const inputs: IngestResult['inputs'] = [];
      for (let i = 0; i < files.length; i++) {
        const file = files[i] as string;
        const read = reads[i] as string;
        const format = formats[i] as IngestFormat;
        opts.onProgress?.({ phase: 'read', done: i, total: files.length, file });
        const have = described[i] as Column[];
        if (have.length === 0) {
          inputs.push({ file, format, rows: 0 }); // an empty file
          continue;
        }
        // CSV columns are parsed as the table's types directly (named as the input has them).
        const hints =
          format === 'csv'
            ? pinnedFor(
                columns.flatMap((c) => {
                  const h = findColumn(have, c.name);
                  return h ? [{ name: h.name, type: c.type }] : [];
                }),
                csv,
              )
            : [];
        const projection = columns
          .map((c) => {
            const h = findColumn(have, c.name);
            return h
              ? `CAST(${sqlIdent(h.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
              : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`;
          })
          .join(', ');
        if (
          opts.preformatted &&
          format === 'parquet' &&
          partitionBy.length === 0 &&
          sameColumns(have, columns)
        ) {
          const [asIs] = await parquetRows(duck, [file]);
          inputs.push({ file, format, rows: asIs?.rows ?? 0 });
          if (asIs && asIs.rows > 0) outputs.push(asIs);
          continue;
        }
        const dir = join(tmp, `in-${i}`);
        try {
          await duck.run(
            `COPY (SELECT ${projection} FROM ${readerSql(read, format, csv, hints)}) TO ${sqlString(dir)} ` +
              `(FORMAT parquet, COMPRESSION zstd, ${layout}, FILENAME_PATTERN 'part_{i}')`,
          );
        } catch (err) {
          throw await inputError(duck, read, format, csv, err, file);
        }
        const written = await parquetFiles(duck, dir);
        inputs.push({ file, format, rows: written.reduce((n, f) => n + f.rows, 0) });
        outputs.push(...written.filter((f) => f.rows > 0));
      }
      opts.onProgress?.({ phase: 'read', done: files.length, total: files.length });
      // Inputs without rows (a header line only) are no evidence of new columns — and a column
      // that none of the table's files holds could not be read: it stays out of the table.
      if (existing && mode !== 'overwrite' && outputs.length === 0) {
        const had = existing.manifest.columns;
        columns = columns.filter((c) => findColumn(had, c.name));
        schemaChanges = diffSchemas(had, columns);
      }
      if (key?.length && outputs.length > 0) await checkKeys(duck, table, key, outputs, files);
      const rowsWritten = outputs.reduce((n, o) => n + o.rows, 0);
      let cache: ObjectCache | undefined;
      const cacheOf = (): ObjectCache =>
        (cache ??= new ObjectCache(repo.store, { dir: opts.cacheDir ?? defaultCacheDir(repo) }));
      // A primary key names one row: an append may not add a key the table already has.
      if (
        existing &&
        mode === 'append' &&
        key?.length &&
        outputs.length > 0 &&
        existing.files.length > 0
      )
        await refuseExistingKeys(duck, cacheOf(), table, existing.files, outputs, key);

      // 4. Files the write replaces.
      const remove: string[] = [];
      let rowsReplaced = 0;
      if (existing && mode === 'overwrite') {
        remove.push(...existing.files.map((f) => f.path));
        rowsReplaced = existing.files.reduce(
          (n, f) => n + Number(f.metadata[ROWS_METADATA] ?? 0),
          0,
        );
      }
      if (existing && mode === 'upsert' && outputs.length > 0 && existing.files.length > 0) {
        const r = await rewriteForUpsert(
          duck,
          cacheOf(),
          table,
          existing.files,
          outputs,
          key as string[],
          columns,
          tmp,
          (done, total) => opts.onProgress?.({ phase: 'rewrite', done, total }),
        );
        remove.push(...r.removed);
        outputs.push(...r.rewritten);
        rowsReplaced = r.rowsReplaced;
      }

      // 5. Store and stage everything at once.
      const runId = newRunId();
      const manifest: TableManifest = {
        format: 'sluice.table/v1',
        name: table,
        columns,
        ...(key?.length ? { primaryKey: key } : {}),
        ...(partitionBy.length ? { partitionBy } : {}),
      };
      const added = outputs.map((o, i) => ({
        path: `${tablePrefix(table)}${o.dir ? `${o.dir}/` : ''}part-${runId}-${String(i).padStart(5, '0')}.parquet`,
        local: o.path,
        rows: o.rows,
      }));
      const manifestBytes = encodeManifest(manifest);
      const manifestChanged =
        !existing ||
        Buffer.compare(
          Buffer.from(manifestBytes),
          Buffer.from(encodeManifest(existing.manifest)),
        ) !== 0;
      // An ingest that changes nothing (no rows in, none replaced, same columns) stages nothing
      // and makes no commit.
      const changes = added.length > 0 || remove.length > 0 || manifestChanged;
      opts.onProgress?.({ phase: 'store', done: 0, total: added.length });
      let stored = 0;
      if (changes)
        await repo.putObjects(
          branch,
          [
            ...added.map((a) => ({
              path: a.path,
              body: { size: statSync(a.local).size, open: () => createReadStream(a.local) },
              contentType: PARQUET_TYPE,
              metadata: { [ROWS_METADATA]: String(a.rows) },
            })),
            ...(manifestChanged
              ? [
                  {
                    path: manifestPath(table),
                    body: manifestBytes,
                    contentType: 'application/json',
                  },
                ]
              : []),
          ],
          {
            remove,
            onProgress: () =>
              opts.onProgress?.({
                phase: 'store',
                done: Math.min(++stored, added.length),
                total: added.length,
              }),
          },
        );
      const result: IngestResult = {
        table,
        branch,
        mode,
        inputs,
        rowsWritten,
        rowsRewritten: outputs.reduce((n, o) => n + o.rows, 0) - rowsWritten,
        rowsReplaced,
        filesAdded: added.map((a) => a.path),
        filesRemoved: remove,
        columns,
        ...(key?.length ? { primaryKey: key } : {}),
        ...(partitionBy.length ? { partitionBy } : {}),
        schemaChanges,
        created: !existing,
      };
      if (opts.commit && changes) {
        opts.onProgress?.({ phase: 'commit', done: 0, total: 1 });
        result.commit = await repo.commit(branch, {
          message: opts.commit.message,
          metadata: {
            'sluice.ingest.table': table,
            'sluice.ingest.mode': mode,
            ...opts.commit.metadata,
          },
        });
      }
      return result;
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const isNullType = (t: string): boolean => t === 'NULL' || t === '"NULL"';

/**
 * Inference from text is a guess: a CSV column's type is whatever DuckDB makes of a sample; a
 * JSON number's width (BIGINT or DOUBLE) is DuckDB's choice, and so is the type of a JSON string
 * that holds a date or a time. So for each inferred column whose type does not widen into the
 * type the table already has, one scan looks at the values: a column with no values is no
 * evidence of a type (`NULL`); one whose every value fits the table's type takes that type;
 * otherwise the inferred type stays, and the schema check names the column and both types.
 *
 * A CSV value (or JSON text) fits when it parses as the type: `007` into a VARCHAR column stays
 * `007`, `19.99` into a DECIMAL column stays exact, as the write then parses it as that type
 * directly. A JSON number fits another numeric type, and a JSON date or timestamp another
 * temporal type, when it casts there and back unchanged (`2024-01-02` fits a TIMESTAMP column;
 * `2024-01-02 10:00` does not fit a DATE one). A JSON string in a numeric column, a number in a
 * text column, or anything from Parquet (which has real types) is a type change.
 */
async function inputFitsKnown(
  duck: DuckSession,
  file: string,
  format: IngestFormat,
  csv: CsvOptions,
  cols: Column[],
  known: Column[],
): Promise<void> {
  if (format === 'parquet') return;
  if (format === 'csv' && csv.header === false && !csv.names?.length) return;
  const suspects: { col: Column; type: string; check: 'parse' | 'roundtrip' }[] = [];
  for (const c of cols) {
    const k = findColumn(known, c.name);
    if (!k || widensTo(c.type, k.type)) continue;
    if (format === 'csv' || (normalizeType(c.type) === 'VARCHAR' && isTemporalType(k.type)))
      suspects.push({ col: c, type: k.type, check: 'parse' });
    else if (
      (isNumericType(c.type) && isNumericType(k.type)) ||
      (isTemporalType(c.type) && isTemporalType(k.type))
    )
      suspects.push({ col: c, type: k.type, check: 'roundtrip' });
  }
  if (suspects.length === 0) return;
  const fits = (v: string, s: (typeof suspects)[number]): string => {
    const t = normalizeType(s.type);
    if (s.check === 'roundtrip') return `CAST(TRY_CAST(${v} AS ${s.type}) AS ${s.col.type}) = ${v}`;
    if (format === 'csv' && t === 'DATE' && csv.dateFormat)
      return `try_strptime(${v}, ${sqlString(csv.dateFormat)}) IS NOT NULL`;
    if (format === 'csv' && t === 'TIMESTAMP' && csv.timestampFormat)
      return `try_strptime(${v}, ${sqlString(csv.timestampFormat)}) IS NOT NULL`;
    if (format === 'csv' && csv.decimalSeparator === ',' && isNumericType(t))
      return `TRY_CAST(replace(${v}, ',', '.') AS ${s.type}) IS NOT NULL`;
    return `TRY_CAST(${v} AS ${s.type}) IS NOT NULL`;
  };
  const aggs = suspects.flatMap((s, i) => {
    const v = sqlIdent(s.col.name);
    return [
      `count(${v}) AS n${i}`,
      `count(${v}) FILTER (WHERE NOT coalesce(${fits(v, s)}, false)) AS bad${i}`,
    ];
  });
  // CSV: the suspect columns are read as text.
  const text =
    format === 'csv' ? suspects.map(({ col }) => ({ name: col.name, type: 'VARCHAR' })) : [];
  const r = await duck.query(
    `SELECT ${aggs.join(', ')} FROM ${readerSql(file, format, csv, text)}`,
  );
  const row = r.rows[0] ?? {};
  suspects.forEach(({ col, type }, i) => {
    if (Number(row[`n${i}`] ?? 0) === 0) col.type = 'NULL';
    else if (Number(row[`bad${i}`] ?? 0) === 0) col.type = type;
  });
}

/** For CSV, existing columns are parsed as their table type (bad values are then reported by line). */
function pinnedFor(columns: Column[], csv: CsvOptions): Column[] {
  if (csv.header === false && !csv.names?.length) return [];
  return columns;
}

/** Columns of several inputs: the same name must have types that widen one into the other. */
function unionColumns(acc: Column[], next: Column[], file: string, table: string): Column[] {
  const out = acc.map((c) => ({ ...c }));
  for (const c of next) {
    const have = findColumn(out, c.name);
    if (!have) out.push({ ...c });
    else if (widensTo(c.type, have.type)) continue;
    else if (widensTo(have.type, c.type)) have.type = c.type;
    else if (mergeNestedTypes(have.type, c.type) !== undefined)
      have.type = mergeNestedTypes(have.type, c.type) as string;
    else {
      throw new SchemaMismatchError(
        `column ${have.name} is ${have.type} in earlier inputs but ${c.type} in ${file}`,
        {
          table,
          column: have.name,
          tableType: have.type,
          inputType: c.type,
          reason: 'inputs disagree',
        },
      );
    }
  }
  return out;
}

/**
 * The schema's types as DuckDB spells them (`numeric(10, 2)` → `DECIMAL(10,2)`, `int` →
 * `INTEGER`, `varchar(20)` → `VARCHAR`, `struct(a int)` → `STRUCT(a INTEGER)`), so they compare
 * equal to what DuckDB infers; an unknown type is refused.
 */
async function canonicalTypes(duck: DuckSession, cols: Column[]): Promise<Column[]> {
  const out: Column[] = [];
  for (const c of cols) {
    let described: { name: string; type: string }[];
    try {
      described = await duck.describe(`SELECT CAST(NULL AS ${c.type}) AS x`);
    } catch {
      throw new InvalidArgumentError(
        `the schema gives column ${c.name} an unknown type ${c.type}`,
        {
          argument: 'schema',
          reason: 'unknown type',
        },
      );
    }
    out.push({ name: c.name, type: described[0]?.type ?? c.type });
  }
  return out;
}

/** The Parquet files COPY wrote into `dir`, with their row counts (from the footers). */
/** A Parquet file written into the temp dir; `dir` is its partition (`region=eu/day=…`), if any. */
interface Output {
  path: string;
  rows: number;
  dir?: string;
}

/** The Parquet files COPY wrote below `dir` (partition folders included), with their row counts. */
async function parquetFiles(duck: DuckSession, dir: string): Promise<Output[]> {
  let names: string[];
  try {
    names = (readdirSync(dir, { recursive: true }) as string[])
      .filter((n) => n.endsWith('.parquet'))
      .sort();
  } catch {
    return [];
  }
  const counted = await parquetRows(
    duck,
    names.map((n) => join(dir, n)),
  );
  return counted.map((o, i) => {
    const n = names[i] as string;
    const sub = n.includes(sep) ? n.slice(0, n.lastIndexOf(sep)).split(sep).join('/') : undefined;
    return sub ? { ...o, dir: sub } : o;
  });
}

/** Parquet files with their row counts, from the footers. */
async function parquetRows(duck: DuckSession, paths: string[]): Promise<Output[]> {
  const out: Output[] = [];
  for (const path of paths) {
    const r = await duck.query(`SELECT num_rows FROM parquet_file_metadata(${sqlString(path)})`);
    out.push({ path, rows: Number(r.rows[0]?.num_rows ?? 0) });
  }
  return out;
}

/** The same columns in the same order, spelled the same, of the same types. */
function sameColumns(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type);
}

const keyList = (key: string[], alias?: string): string =>
  key.map((k) => (alias ? `${alias}.${sqlIdent(k)}` : sqlIdent(k))).join(', ');

/** Keys must be present and unique within the input. */
async function checkKeys(
  duck: DuckSession,
  table: string,
  key: string[],
  outputs: { path: string }[],
  files: string[],
): Promise<void> {
  const src = `read_parquet(${sqlList(outputs.map((o) => o.path))})`;
  const nulls = await duck.query(
    `SELECT count(*) AS n FROM ${src} WHERE ${key.map((k) => `${sqlIdent(k)} IS NULL`).join(' OR ')}`,
  );
  if (Number(nulls.rows[0]?.n ?? 0) > 0) {
    throw new MalformedInputError(
      `${nulls.rows[0]?.n} input row(s) of table ${table} have a NULL in the key (${key.join(', ')})`,
      { file: files.join(', '), format: 'any', column: key.join(',') },
    );
  }
  const dup = await duck.query(
    `SELECT ${keyList(key)}, count(*) AS n FROM ${src} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
  );
  if (dup.rows.length > 0) {
    const row = dup.rows[0] as Record<string, unknown>;
    const value = key.map((k) => `${k}=${JSON.stringify(row[k])}`).join(', ');
    throw new MalformedInputError(
      `the input has ${row.n} rows with key ${value}: keys of table ${table} must be unique`,
      { file: files.join(', '), format: 'any', column: key.join(',') },
    );
  }
}

async function refuseExistingKeys(
  duck: DuckSession,
  cache: ObjectCache,
  table: string,
  files: TreeEntry[],
  outputs: { path: string }[],
  key: string[],
): Promise<void> {
  const local: string[] = [];
  for (const f of files) local.push(await cache.fileFor(f));
  const on = key.map((k) => `f.${sqlIdent(k)} = n.${sqlIdent(k)}`).join(' AND ');
  const hit = await duck.query(
    `SELECT ${keyList(key, 'n')} FROM read_parquet(${sqlList(outputs.map((o) => o.path))}) n ` +
      `SEMI JOIN read_parquet(${sqlList(local)}, union_by_name = true) f ON ${on} LIMIT 1`,
  );
  const row = hit.rows[0];
  if (!row) return;
  const value = Object.fromEntries(key.map((k) => [k, row[k] ?? null]));
  throw new DuplicateKeyError(
    `key ${key.map((k) => `${k}=${JSON.stringify(value[k])}`).join(', ')} is already in table ${table}: ` +
      'an append adds rows; use --mode upsert to replace them',
    { table, key, value },
  );
}

/**
 * Upsert: the existing files holding one of the input's keys are rewritten without those rows;
 * all other files are left as they are (shared with the previous commit).
 */
async function rewriteForUpsert(
  duck: DuckSession,
  cache: ObjectCache,
  table: string,
  files: TreeEntry[],
  outputs: { path: string }[],
  key: string[],
  columns: Column[],
  tmp: string,
  progress: (done: number, total: number) => void,
): Promise<{
  removed: string[];
  rewritten: Output[];
  rowsReplaced: number;
}> {
  const local = new Map<string, TreeEntry>();
  for (const f of files) local.set(await cache.fileFor(f), f);
  const incoming = `read_parquet(${sqlList(outputs.map((o) => o.path))})`;
  const on = key.map((k) => `f.${sqlIdent(k)} IS NOT DISTINCT FROM n.${sqlIdent(k)}`).join(' AND ');
  const hit = await duck.query(
    `SELECT f.filename AS file, count(*) AS n FROM read_parquet(${sqlList([...local.keys()])}, filename = true, union_by_name = true) f ` +
      `SEMI JOIN ${incoming} n ON ${on} GROUP BY f.filename`,
  );
  const removed: string[] = [];
  const rewritten: Output[] = [];
  let rowsReplaced = 0;
  let done = 0;
  for (const row of hit.rows) {
    const file = String(row.file);
    const entry = local.get(file);
    if (!entry) continue;
    rowsReplaced += Number(row.n);
    const have = await duck.describe(`SELECT * FROM read_parquet(${sqlString(file)})`);
    const projection = columns
      .map((c) =>
        findColumn(have, c.name)
          ? `CAST(f.${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
          : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`,
      )
      .join(', ');
    const out = join(tmp, `rewrite-${done}.parquet`);
    await duck.run(
      `COPY (SELECT ${projection} FROM read_parquet(${sqlString(file)}) f ANTI JOIN ${incoming} n ON ${on}) ` +
        `TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const r = await duck.query(`SELECT num_rows FROM parquet_file_metadata(${sqlString(out)})`);
    const rows = Number(r.rows[0]?.num_rows ?? 0);
    removed.push(entry.path);
    // The rows left keep their partition: the rewritten file goes where the old one was.
    const rel = entry.path.slice(tablePrefix(table).length);
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : undefined;
    if (rows > 0) rewritten.push({ path: out, rows, ...(dir ? { dir } : {}) });
    progress(++done, hit.rows.length);
  }
  return { removed, rewritten, rowsReplaced };
}
