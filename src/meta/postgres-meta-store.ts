// The team MetaStore on PostgreSQL. `pg` is imported lazily so SQLite users never load it.
import { Kysely, PostgresDialect } from 'kysely';
import type { CustomTypesConfig } from 'pg';
import { KyselyMetaStore } from './kysely-meta-store.js';
import type { MetaStore } from './meta-store.js';
import type { Database } from './schema.js';

const POOL_SIZE = 4;
const INT8_OID = 20;

/** Opens a pool on `url` and applies pending migrations (safe from many processes at once). */
export async function openPostgresMetaStore(url: string): Promise<MetaStore> {
  const { default: pg } = await import('pg');
  // Timestamps and sizes are bigint columns; millisecond values fit a JS number exactly.
  const types: CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary'
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types });
  // An idle client losing its connection (server restart) must not crash the process; the
  // next query on it fails and is reported to its caller instead.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = new KyselyMetaStore(db, 'postgres');
  try {
    await store.migrate();
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return store;
}
