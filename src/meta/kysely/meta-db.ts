// The database handle every Kysely role implementation shares: the Kysely instance, its dialect,
// and the one way to run a transaction that reads then writes. Dialect differences live here
// (transactions) and in staging-upsert.ts (the row source of bulk staging inserts).
import { type Kysely, sql } from 'kysely';
import type { Database, MetaDialect } from '../schema.js';

export class MetaDb {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: MetaDialect,
  ) {}

  /**
   * A transaction that may read then write. SQLite: BEGIN IMMEDIATE takes the write lock up
   * front, so other processes wait on busy_timeout instead of failing with SQLITE_BUSY when a
   * deferred read lock cannot be upgraded. PostgreSQL: READ COMMITTED plus explicit row locks.
   */
  async write<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
        await sql`commit`.execute(conn);
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {}); // already rolled back by SQLite
        throw err;
      }
      return result;
    });
  }
}
