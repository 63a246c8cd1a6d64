// SQL over refs: a DuckDB session in which every table of each ref is a view over its Parquet
// files. One ref: its tables are plain names (`SELECT * FROM orders`) and also qualified by the
// ref's schema name. Several refs: each ref is a schema (`main.orders`, `feat_x.orders`), so
// branches can be compared in one query. DuckDB's default schema is called `main`, so for the
// usual default branch both spellings work.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLine } from '../common/error-line.js';
import { InvalidArgumentError } from '../common/errors.js';
import type { Repository } from '../core/repository.js';
import { duckOptionsFor } from './duck-options.js';
import { type DuckOptions, DuckSession, sqlIdent, sqlList, sqlString } from './duckdb.js';
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
  /**
   * Lock the session once its views exist (the server's SQL, `sluice sql --read-only`): DuckDB
   * reads only the files of the attached tables (`allowed_paths`) with external access off — no
   * COPY … TO, read_csv or read_parquet of other paths, ATTACH or extensions — and its
   * configuration locked (no SET, RESET or PRAGMA). Refusals are ReadOnlySqlError.
   */
  readOnly?: boolean;
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
    const duck = await DuckSession.open(duckOptionsFor(repo, opts.duck));
    try {
      const attached: AttachedRef[] = [];
      const readable: string[] = [];
      for (const ref of refs) {
        const schema = schemaNameOf(ref);
        const isMain = schema.toLowerCase() === 'main'; // DuckDB's own default schema
        const names: string[] = [];
        if (!isMain) await duck.run(`CREATE SCHEMA ${sqlIdent(schema)}`);
        const all = [...(tables.get(ref) as Map<string, TableAtRef>).values()];
        for (const t of all) {
          if (t.manifest.view) continue;
          const files: string[] = [];
          for (const f of t.files) files.push(await cache.fileFor(f));
          readable.push(...files);
          const select = tableSelect(t.manifest, files);
          await duck.run(`CREATE VIEW ${sqlIdent(schema)}.${sqlIdent(t.name)} AS ${select}`);
          if (refs.length === 1 && !isMain)
            await duck.run(`CREATE VIEW main.${sqlIdent(t.name)} AS ${select}`);
          names.push(t.name);
        }
        const stored = all.filter((t) => t.manifest.view);
        await createStoredViews(duck, schema, stored, refs.length === 1 && !isMain);
        names.push(...stored.map((t) => t.name));
        attached.push({ ref, schema, tables: names.sort() });
      }
      if (opts.readOnly) await lockSession(duck, readable);
      return new SqlSession(duck, cache, attached);
    } catch (err) {
      duck.close();
      throw err;
    }
  }

  /**
   * Re-creates one table's view of an attached ref after a write to it (a pipeline building on a
   * branch reads what it just wrote); `t` undefined drops it.
   */
  async refreshTable(ref: string, name: string, t: TableAtRef | undefined): Promise<void> {
    const a = this.attached.find((x) => x.ref === ref);
    if (!a) throw new Error(`ref ${ref} is not attached to this session`);
    const targets = [sqlIdent(a.schema)];
    if (this.attached.length === 1 && a.schema.toLowerCase() !== 'main') targets.push('main');
    if (!t) {
      for (const s of targets) await this.duck.run(`DROP VIEW IF EXISTS ${s}.${sqlIdent(name)}`);
      a.tables = a.tables.filter((x) => x !== name);
      return;
    }
    let select: string;
    if (t.manifest.view) select = t.manifest.view.sql;
    else {
      const files: string[] = [];
      for (const f of t.files) files.push(await this.cache.fileFor(f));
      select = tableSelect(t.manifest, files);
    }
    for (const s of targets)
      await this.duck.run(`CREATE OR REPLACE VIEW ${s}.${sqlIdent(t.name)} AS ${select}`);
    if (!a.tables.includes(t.name)) a.tables = [...a.tables, t.name].sort();
  }

  close(): void {
    this.duck.close();
  }
}

/**
 * Creates a ref's stored views (pipeline `view` models) in its schema (and in `main` for a
 * one-ref session). DuckDB binds a view when it is created, so a view over another view waits
 * for it: rounds until none is left; a view that never binds keeps its error.
 */
async function createStoredViews(
  duck: DuckSession,
  schema: string,
  views: TableAtRef[],
  alsoMain: boolean,
): Promise<void> {
  let pending = views;
  while (pending.length > 0) {
    const failed: { t: TableAtRef; err: unknown }[] = [];
    for (const t of pending) {
      const sql = (t.manifest.view as { sql: string }).sql;
      try {
        await duck.run(`CREATE VIEW ${sqlIdent(schema)}.${sqlIdent(t.name)} AS ${sql}`);
        if (alsoMain) await duck.run(`CREATE VIEW main.${sqlIdent(t.name)} AS ${sql}`);
      } catch (err) {
        failed.push({ t, err });
      }
    }
    if (failed.length === pending.length) {
      // None could be created: the ref's views are broken (a dropped column, a missing table).
      // The session still opens; reading such a view reports why.
      for (const { t, err } of failed) {
        const reason = errorLine(err);
        const msg = sqlString(`view ${t.name} cannot be read: ${reason}`);
        const body = `SELECT error(${msg})`;
        await duck.run(`CREATE VIEW ${sqlIdent(schema)}.${sqlIdent(t.name)} AS ${body}`);
        if (alsoMain) await duck.run(`CREATE VIEW main.${sqlIdent(t.name)} AS ${body}`);
      }
      return;
    }
    pending = failed.map((f) => f.t);
  }
}

/**
 * DuckDB's own locks, in the order they must be set: the readable files first (they cannot change
 * once external access is off), then external access off, then the configuration locked — so no
 * later statement can undo any of them.
 */
async function lockSession(duck: DuckSession, files: string[]): Promise<void> {
  await duck.run(`SET allowed_paths = ${sqlList([...new Set(files)])}`);
  await duck.run('SET enable_external_access = false');
  await duck.run('SET lock_configuration = true');
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
