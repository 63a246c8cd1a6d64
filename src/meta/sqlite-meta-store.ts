// The embedded MetaStore: one SQLite file, shared safely by many processes (CLI invocations, a
// server, workers) through WAL and IMMEDIATE write transactions.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { KyselyMetaStore } from './kysely-meta-store.js';
import { processLeaseStore } from './lease-store.js';
import type { MetaStore } from './meta-store.js';
import type { Database } from './schema.js';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;
/** Prepared statements kept per connection. */
const STATEMENT_CACHE_SIZE = 100;

interface SharedDb {
  db: Kysely<Database>;
  refs: number;
  ready: Promise<void>;
}

// better-sqlite3 is synchronous: a second connection to the same file in the same process would
// block the event loop in its busy handler while the first, holding the lock, can never finish.
// So every store in a process shares one connection per file (Kysely serializes its use).
const shared = new Map<string | symbol, SharedDb>();

/** Opens (creating if needed) and migrates the SQLite MetaStore at `file` (or `:memory:`). */
export async function openSqliteMetaStore(file: string): Promise<MetaStore> {
  // Every ':memory:' open is its own database.
  const key = file === ':memory:' ? Symbol(file) : resolve(file);
  let entry = shared.get(key);
  if (!entry) {
    const database = openFile(typeof key === 'string' ? key : file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    const ready = new KyselyMetaStore(db, 'sqlite').migrate();
    entry = { db, refs: 0, ready };
    shared.set(key, entry);
  }
  const e = entry;
  e.refs++;
  try {
    await e.ready;
  } catch (err) {
    if (--e.refs === 0) {
      shared.delete(key);
      await e.db.destroy();
    }
    throw err;
  }
  let closed = false;
  return new KyselyMetaStore(e.db, 'sqlite', {
    // One server per directory: leases are held in this process (lease-store.ts).
    leases: processLeaseStore(typeof key === 'string' ? `sqlite:${key}` : `sqlite:${randomUUID()}`),
    close: async () => {
      if (closed) return;
      closed = true;
      if (--e.refs > 0) return;
      shared.delete(key);
      await e.db.destroy();
    },
  });
}

function openFile(file: string): SqliteDatabase {
  const db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  // In WAL, NORMAL skips the fsync per commit but a committed transaction still survives the
  // process being killed (SIGKILL); only an OS crash or power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  return withStatementCache(db);
}

// Kysely prepares every query anew; parsing dominates small queries and the big multi-row
// INSERTs of stage() repeat the same text chunk after chunk, so reuse prepared statements.
function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text); // re-insert: the Map's order is the LRU order
        cache.set(text, hit);
        return hit;
      }
      const stmt = db.prepare(text);
      cache.set(text, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}
