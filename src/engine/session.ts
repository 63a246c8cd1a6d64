// SQL over refs: a DuckDB session in which every table of each ref is a view over its Parquet
// files. One ref: its tables are plain names (`SELECT * FROM orders`) and also qualified by the
// ref's schema name. Several refs: each ref is a schema (`main.orders`, `feat_x.orders`), so
// branches can be compared in one query. DuckDB's default schema is called `main`, so for the
// usual default branch both spellings work.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '../common/errors.js';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, DuckSession, sqlIdent, sqlList } from './duckdb.js';
import { ObjectCache } from './object-cache.js';
import { listTables, type TableAtRef, type TableManifest } from './tables.js';

const repoDirs = new WeakMap<Repository, string>();

/** Records where a repository opened from a directory lives (its cache goes under `.sluice/`). */
export function registerRepositoryDir(repo: Repository, sluiceDir: string): void {
  repoDirs.set(repo, sluiceDir);
}

/** `.sluice/cache` for a repository opened from a directory; else a per-store dir under tmp. */
export function defaultCacheDir(repo: Repository): string {
  const dir = repoDirs.get(repo);
  if (dir) return join(dir, 'cache');
  const id = createHash('sha256').update(repo.store.uri).digest('hex').slice(0, 16);
  return join(tmpdir(), 'sluice-cache', id);
}

/** A schema name for a ref: `feat/x` → `feat_x`, `main~2` → `main_2`. */
export function schemaNameOf(ref: string): string {
  const s = ref.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

export interface SqlSessionOptions {
  /** Refs to attach; default the default branch. */
  refs?: string[];
  duck?: DuckOptions;
  cacheDir?: string;
  /** Cache size cap in bytes. */
  cacheMaxBytes?: number;
}

export interface AttachedRef {
  ref: string;
  schema: string;
  tables: string[];
}

/** The SELECT a table's view runs: its files read by name, cast to the manifest's types. */
export function tableSelect(manifest: TableManifest, files: string[]): string {
  const cols = manifest.columns;
  if (files.length === 0) {
    return `SELECT ${cols.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} WHERE false`;
  }
  const list = cols.map((c) => `CAST(${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`);
  return `SELECT ${list.join(', ')} FROM read_parquet(${sqlList(files)}, union_by_name = true)`;
}

export class SqlSession {
  private constructor(
    readonly duck: DuckSession,
    readonly cache: ObjectCache,
    readonly attached: AttachedRef[],
  ) {}

  static async open(repo: Repository, opts: SqlSessionOptions = {}): Promise<SqlSession> {
    const refs = opts.refs?.length ? opts.refs : [repo.defaultBranch];
    const schemas = new Map<string, string>();
    // DuckDB's schema names ignore case: `Feat` and `feat` would be the same schema.
    for (const ref of refs) {
      const schema = schemaNameOf(ref).toLowerCase();
      const other = schemas.get(schema);
      if (other !== undefined) {
        throw new InvalidArgumentError(
          `refs ${other} and ${ref} would both be schema ${schemaNameOf(ref)} (schema names ignore case): pass one of them`,
          { argument: 'ref', reason: 'same schema name' },
        );
      }
      schemas.set(schema, ref);
    }
    // Resolve every ref and list its tables before starting DuckDB: unknown refs fail fast.
    const tables = new Map<string, Map<string, TableAtRef>>();
    for (const ref of refs) tables.set(ref, await listTables(repo, ref));
    const cache = new ObjectCache(repo.store, {
      dir: opts.cacheDir ?? defaultCacheDir(repo),
      maxBytes: opts.cacheMaxBytes,
    });
    const duck = await DuckSession.open(opts.duck);
    try {
      const attached: AttachedRef[] = [];
      for (const ref of refs) {
        const schema = schemaNameOf(ref);
        const isMain = schema.toLowerCase() === 'main'; // DuckDB's own default schema
        const names: string[] = [];
        if (!isMain) await duck.run(`CREATE SCHEMA ${sqlIdent(schema)}`);
        for (const t of (tables.get(ref) as Map<string, TableAtRef>).values()) {
          const files: string[] = [];
          for (const f of t.files) files.push(await cache.fileFor(f));
          const select = tableSelect(t.manifest, files);
          await duck.run(`CREATE VIEW ${sqlIdent(schema)}.${sqlIdent(t.name)} AS ${select}`);
          if (refs.length === 1 && !isMain)
            await duck.run(`CREATE VIEW main.${sqlIdent(t.name)} AS ${select}`);
          names.push(t.name);
        }
        attached.push({ ref, schema, tables: names });
      }
      return new SqlSession(duck, cache, attached);
    } catch (err) {
      duck.close();
      throw err;
    }
  }

  close(): void {
    this.duck.close();
  }
}

/** Runs `fn` with a session over `refs` and closes it afterwards. */
export async function withSqlSession<T>(
  repo: Repository,
  opts: SqlSessionOptions,
  fn: (s: SqlSession) => Promise<T>,
): Promise<T> {
  const s = await SqlSession.open(repo, opts);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
