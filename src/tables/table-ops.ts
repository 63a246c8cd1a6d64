// Reading about tables: the tables at a ref, one table's schema, size and files, the commits that
// changed it, and exporting it to a file. Row counts come from each file's recorded count; a file
// written by another tool (no count recorded) is counted from its Parquet footer.
import { TableNotFoundError } from '../common/errors.js';
import type { Commit } from '../core/commit-codec.js';
import type { Repository } from '../core/repository.js';
import { duckOptionsFor } from '../engine/duck-options.js';
import {
  type DuckOptions,
  type DuckSession,
  sqlIdent,
  sqlList,
  withDuck,
} from '../engine/duckdb.js';
import { ObjectCache } from '../engine/object-cache.js';
import { copyToFile, type OutputFormat, outputFormatOf } from '../engine/output.js';
import { defaultCacheDir, schemaNameOf, withSqlSession } from '../engine/session.js';
import {
  type Column,
  fileRows,
  getTable,
  listTables,
  parseTableName,
  type TableAtRef,
  tablePrefix,
} from '../engine/tables.js';

export interface TableFile {
  path: string;
  rows: number;
  size: number;
  address: string;
}

export interface TableInfo {
  name: string;
  ref: string;
  columns: Column[];
  primaryKey?: string[];
  partitionBy?: string[];
  rows: number;
  bytes: number;
  files: TableFile[];
}

interface ReadOptions {
  cacheDir?: string;
  duck?: DuckOptions;
}

async function describeTable(
  repo: Repository,
  ref: string,
  t: TableAtRef,
  opts: ReadOptions,
): Promise<TableInfo> {
  const missing = t.files.filter((f) => fileRows(f) === undefined);
  const counted = new Map<string, number>();
  if (missing.length > 0) {
    const cache = new ObjectCache(repo.store, { dir: opts.cacheDir ?? defaultCacheDir(repo) });
    await withDuck(duckOptionsFor(repo, opts.duck), async (duck: DuckSession) => {
      for (const f of missing) {
        const local = await cache.fileFor(f);
        const r = await duck.query(
          `SELECT sum(num_rows) AS n FROM parquet_file_metadata(${sqlList([local])})`,
        );
        counted.set(f.path, Number(r.rows[0]?.n ?? 0));
      }
    });
  }
  const files = t.files.map((f) => ({
    path: f.path,
    rows: fileRows(f) ?? counted.get(f.path) ?? 0,
    size: f.size,
    address: f.address,
  }));
  return {
    name: t.name,
    ref,
    columns: t.manifest.columns,
    ...(t.manifest.primaryKey?.length ? { primaryKey: t.manifest.primaryKey } : {}),
    ...(t.manifest.partitionBy?.length ? { partitionBy: t.manifest.partitionBy } : {}),
    rows: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.size, 0),
    files,
  };
}

/** Every table at a ref, by name. */
export async function listTableInfos(
  repo: Repository,
  ref: string,
  opts: ReadOptions = {},
): Promise<TableInfo[]> {
  const out: TableInfo[] = [];
  const tables = [...(await listTables(repo, ref)).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const t of tables) out.push(await describeTable(repo, ref, t, opts));
  return out;
}

/** One table at a ref: columns, key, row count, size and files. */
export async function showTable(
  repo: Repository,
  ref: string,
  name: string,
  opts: ReadOptions = {},
): Promise<TableInfo> {
  return describeTable(repo, ref, await getTable(repo, ref, name), opts);
}

/** Commits reachable from `ref` that changed the table (its files or its manifest), newest first. */
export async function* tableHistory(
  repo: Repository,
  ref: string,
  name: string,
  opts: { limit?: number } = {},
): AsyncIterable<Commit> {
  parseTableName(name);
  let any = false;
  for await (const c of repo.log(ref, { path: tablePrefix(name), limit: opts.limit })) {
    any = true;
    yield c;
  }
  if (!any) {
    throw new TableNotFoundError(`no commit reachable from ${ref} changed table ${name}`, {
      table: name,
      ref,
    });
  }
}

/** Writes the table as it is at `ref` to `out` (format from the extension unless given). */
export async function exportTable(
  repo: Repository,
  name: string,
  opts: ReadOptions & { ref?: string; out: string; format?: OutputFormat },
): Promise<{ table: string; ref: string; out: string; format: OutputFormat; rows: number }> {
  parseTableName(name);
  const ref = opts.ref ?? repo.defaultBranch;
  const format = outputFormatOf(opts.out, opts.format);
  await getTable(repo, ref, name); // TableNotFoundError before starting DuckDB
  const rows = await withSqlSession(
    repo,
    { refs: [ref], cacheDir: opts.cacheDir, duck: opts.duck },
    (s) =>
      copyToFile(
        s.duck,
        `SELECT * FROM ${sqlIdent(schemaNameOf(ref))}.${sqlIdent(name)}`,
        opts.out,
        format,
      ),
  );
  return { table: name, ref, out: opts.out, format, rows };
}
