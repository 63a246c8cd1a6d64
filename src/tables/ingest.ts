// Ingest: files in, Parquet files of a table out, staged on a branch all at once.
//
// Every input is converted by DuckDB (streaming, under a memory limit) into Parquet files in a
// temporary directory first. Only when every input has been read without error are the files
// stored and staged — in one staging transaction together with the table manifest and the
// deletion of the files an overwrite or upsert replaces. So a bad 7th file of 10 stages nothing.
//
// Modes: append adds files (new columns are added to the table; an input type must cast into the
// table's type without loss); overwrite replaces every file and the schema; upsert replaces rows by
// key, rewriting only the files that hold one of the input's keys — the others stay shared with
// the previous commit, which is what keeps table diffs cheap.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidArgumentError,
  MalformedInputError,
  SchemaMismatchError,
  TableNotFoundError,
} from '../common/errors.js';
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
import { diffSchemas, evolveSchema, normalizeType, type SchemaChange, widensTo } from './schema.js';
import {
  type CsvOptions,
  describeInput,
  formatOf,
  type IngestFormat,
  inputError,
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
  /** Explicit columns and types instead of inference; inputs are cast to them. */
  schema?: Column[];
  csv?: CsvOptions;
  /** Commit the branch after staging. */
  commit?: { message: string; metadata?: Record<string, string> };
  duck?: DuckOptions;
  /** Local cache for existing files that upsert reads; default the repository's. */
  cacheDir?: string;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestResult {
  table: string;
  branch: string;
  mode: WriteMode;
  inputs: { file: string; format: IngestFormat; rows: number }[];
  rowsWritten: number;
  /** Rows of existing files replaced by an upsert (or every row, for an overwrite). */
  rowsReplaced: number;
  filesAdded: string[];
  filesRemoved: string[];
  columns: Column[];
  primaryKey?: string[];
  schemaChanges: SchemaChange[];
  created: boolean;
  commit?: Commit;
}

const PARQUET_TYPE = 'application/vnd.apache.parquet';
const TARGET_FILE_SIZE = '256MB';

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
  const csv = opts.csv ?? {};

  let existing: TableAtRef | undefined;
  try {
    existing = await getTable(repo, branch, table);
  } catch (err) {
    if (!(err instanceof TableNotFoundError)) throw err;
  }
  const explicit = opts.schema?.map((c) => ({ name: c.name, type: normalizeType(c.type) }));
  const key = opts.key?.length ? opts.key : existing?.manifest.primaryKey;
  if (
    existing?.manifest.primaryKey?.length &&
    opts.key?.length &&
    mode !== 'overwrite' &&
    opts.key.join(',') !== existing.manifest.primaryKey.join(',')
  ) {
    throw new InvalidArgumentError(
      `table ${table} has primary key (${existing.manifest.primaryKey.join(', ')}); --key (${opts.key.join(', ')}) differs — use --mode overwrite to change it`,
      { argument: 'key', reason: 'differs from the table' },
    );
  }
  if (mode === 'upsert' && !key?.length) {
    throw new InvalidArgumentError(
      `upsert needs a key: pass --key COL[,COL] (table ${table} has none)`,
      {
        argument: 'key',
        reason: 'missing',
      },
    );
  }

  const tmp = mkdtempSync(join(opts.duck?.tempDir ?? tmpdir(), 'sluice-ingest-'));
  try {
    return await withDuck(
      { ...opts.duck, tempDir: opts.duck?.tempDir ?? join(tmp, 'spill') },
      async (duck) => {
        if (explicit) await checkTypes(duck, explicit);
        // 1. What each input holds. A CSV column that is empty in this input is inferred as text;
        // it is then no evidence of a type (only such columns pay for a scan to find that out).
        const known = existing && mode !== 'overwrite' ? existing.manifest.columns : explicit;
        const described: Column[][] = [];
        for (let i = 0; i < files.length; i++) {
          const file = files[i] as string;
          const format = formats[i] as IngestFormat;
          const cols = await describeInput(duck, file, format, csv);
          if (format === 'csv' && known) {
            for (const c of cols) {
              const k = known.find((x) => x.name === c.name);
              if (!k || c.type !== 'VARCHAR' || normalizeType(k.type) === 'VARCHAR') continue;
              const r = await duck.query(
                `SELECT count(${sqlIdent(c.name)}) AS n FROM ${readerSql(file, format, csv)}`,
              );
              if (Number(r.rows[0]?.n ?? 0) === 0) c.type = 'NULL';
            }
          }
          described.push(cols);
        }

        // 2. The table's columns after the write.
        let columns: Column[];
        let schemaChanges: SchemaChange[] = [];
        if (explicit) {
          for (let i = 0; i < files.length; i++) {
            const extra = (described[i] as Column[]).find(
              (c) => !explicit.some((e) => e.name === c.name),
            );
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
        if (existing) schemaChanges = diffSchemas(existing.manifest.columns, columns);
        else
          schemaChanges = columns.map((c) => ({
            column: c.name,
            change: 'added' as const,
            after: c.type,
          }));
        for (const k of key ?? []) {
          if (!columns.some((c) => c.name === k)) {
            throw new InvalidArgumentError(`key column ${k} is not a column of table ${table}`, {
              argument: 'key',
              reason: 'unknown column',
            });
          }
        }

        // 3. Convert every input; nothing is stored until all of them have been read.
        const outputs: { path: string; rows: number }[] = [];
        const inputs: IngestResult['inputs'] = [];
        for (let i = 0; i < files.length; i++) {
          const file = files[i] as string;
          const format = formats[i] as IngestFormat;
          opts.onProgress?.({ phase: 'read', done: i, total: files.length, file });
          const have = described[i] as Column[];
          const hints =
            format === 'csv'
              ? pinnedFor(
                  columns.filter((c) => have.some((h) => h.name === c.name)),
                  csv,
                )
              : [];
          const projection = columns
            .map((c) =>
              have.some((h) => h.name === c.name)
                ? `CAST(${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
                : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`,
            )
            .join(', ');
          const dir = join(tmp, `in-${i}`);
          try {
            await duck.run(
              `COPY (SELECT ${projection} FROM ${readerSql(file, format, csv, hints)}) TO ${sqlString(dir)} ` +
                `(FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${sqlString(TARGET_FILE_SIZE)}, FILENAME_PATTERN 'part_{i}')`,
            );
          } catch (err) {
            throw await inputError(duck, file, format, csv, err);
          }
          const written = await parquetFiles(duck, dir);
          inputs.push({ file, format, rows: written.reduce((n, f) => n + f.rows, 0) });
          outputs.push(...written.filter((f) => f.rows > 0));
        }
        opts.onProgress?.({ phase: 'read', done: files.length, total: files.length });
        if (key?.length && outputs.length > 0) await checkKeys(duck, table, key, outputs, files);

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
          const cache = new ObjectCache(repo.store, {
            dir: opts.cacheDir ?? defaultCacheDir(repo),
          });
          const r = await rewriteForUpsert(
            duck,
            cache,
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
        const runId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`;
        const manifest: TableManifest = {
          format: 'sluice.table/v1',
          name: table,
          columns,
          ...(key?.length ? { primaryKey: key } : {}),
        };
        const added = outputs.map((o, i) => ({
          path: `${tablePrefix(table)}part-${runId}-${String(i).padStart(5, '0')}.parquet`,
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
        opts.onProgress?.({ phase: 'store', done: 0, total: added.length });
        let stored = 0;
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
          rowsWritten: outputs.reduce((n, o) => n + o.rows, 0),
          rowsReplaced,
          filesAdded: added.map((a) => a.path),
          filesRemoved: remove,
          columns,
          ...(key?.length ? { primaryKey: key } : {}),
          schemaChanges,
          created: !existing,
        };
        if (opts.commit) {
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
      },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const isNullType = (t: string): boolean => t === 'NULL' || t === '"NULL"';

/** For CSV, existing columns are parsed as their table type (bad values are then reported by line). */
function pinnedFor(columns: Column[], csv: CsvOptions): Column[] {
  if (csv.header === false) return [];
  return columns;
}

/** Columns of several inputs: the same name must have types that widen one into the other. */
function unionColumns(acc: Column[], next: Column[], file: string, table: string): Column[] {
  const out = acc.map((c) => ({ ...c }));
  for (const c of next) {
    const have = out.find((o) => o.name === c.name);
    if (!have) out.push({ ...c });
    else if (widensTo(c.type, have.type)) continue;
    else if (widensTo(have.type, c.type)) have.type = c.type;
    else {
      throw new SchemaMismatchError(
        `column ${c.name} is ${have.type} in earlier inputs but ${c.type} in ${file}`,
        {
          table,
          column: c.name,
          tableType: have.type,
          inputType: c.type,
          reason: 'inputs disagree',
        },
      );
    }
  }
  return out;
}

async function checkTypes(duck: DuckSession, cols: Column[]): Promise<void> {
  for (const c of cols) {
    try {
      await duck.run(`SELECT CAST(NULL AS ${c.type})`);
    } catch {
      throw new InvalidArgumentError(
        `the schema gives column ${c.name} an unknown type ${c.type}`,
        {
          argument: 'schema',
          reason: 'unknown type',
        },
      );
    }
  }
}

/** The Parquet files COPY wrote into `dir`, with their row counts (from the footers). */
async function parquetFiles(
  duck: DuckSession,
  dir: string,
): Promise<{ path: string; rows: number }[]> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.parquet'))
      .sort();
  } catch {
    return [];
  }
  const out: { path: string; rows: number }[] = [];
  for (const n of names) {
    const path = join(dir, n);
    const r = await duck.query(`SELECT num_rows FROM parquet_file_metadata(${sqlString(path)})`);
    out.push({ path, rows: Number(r.rows[0]?.num_rows ?? 0) });
  }
  return out;
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

/**
 * Upsert: the existing files holding one of the input's keys are rewritten without those rows;
 * all other files are left as they are (shared with the previous commit).
 */
async function rewriteForUpsert(
  duck: DuckSession,
  cache: ObjectCache,
  files: TreeEntry[],
  outputs: { path: string }[],
  key: string[],
  columns: Column[],
  tmp: string,
  progress: (done: number, total: number) => void,
): Promise<{
  removed: string[];
  rewritten: { path: string; rows: number }[];
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
  const rewritten: { path: string; rows: number }[] = [];
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
        have.some((h) => h.name === c.name)
          ? `CAST(f.${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
          : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`,
      )
      .join(', ');
    const out = join(tmp, `rewrite-${done}.parquet`);
    await duck.run(
      `COPY (SELECT ${projection} FROM read_parquet(${sqlString(file)}) f ANTI JOIN ${incoming} n ON ${on}) ` +
        `TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [written] = await parquetFiles(duck, tmp).then((all) =>
      all.filter((w) => w.path === out),
    );
    removed.push(entry.path);
    if (written && written.rows > 0) rewritten.push(written);
    progress(++done, hit.rows.length);
  }
  return { removed, rewritten, rowsReplaced };
}
