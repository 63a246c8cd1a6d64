// The team MetaStore on PostgreSQL. `pg` is imported lazily so SQLite users never load it.
// Connecting (postgres-connection.ts): the password as libpq finds it, and every outage — the
// server unreachable, the credentials refused, the connection dropped mid-command — a
// MetaStoreUnavailableError naming the host, never the password.
import { Kysely, PostgresDialect } from 'kysely';
import type { CustomTypesConfig } from 'pg';
import { Secrets } from '../common/secrets.js';
import { KyselyMetaStore } from './kysely-meta-store.js';
import type { MetaStore } from './meta-store.js';
import {
  outageAwarePool,
  pgOutage,
  pgPassword,
  pgTargetOf,
  withPgPassword,
} from './postgres-connection.js';
import { PgLeaseStore } from './postgres-lease-store.js';
import type { Database } from './schema.js';

const POOL_SIZE = 4;
const INT8_OID = 20;
/** A server that does not answer (a dropped packet, not a refusal) is an outage after this. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface OpenPostgresOptions {
  /** The password when neither the URL nor PGPASSWORD gives one (a repository's credentials file). */
  password?: string;
}

/** Opens a pool on `url` and applies pending migrations (safe from many processes at once). */
export async function openPostgresMetaStore(
  url: string,
  opts: OpenPostgresOptions = {},
): Promise<MetaStore> {
  const { default: pg } = await import('pg');
  const target = pgTargetOf(url);
  const password = pgPassword(url, opts.password);
  const secrets = new Secrets().add(password);
  // Timestamps and sizes are bigint columns; millisecond values fit a JS number exactly.
  const types: CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary'
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({
    connectionString: withPgPassword(url, password),
    max: POOL_SIZE,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection (server restart) must not crash the process; the
  // next query on it fails and is reported to its caller instead.
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: outageAwarePool(pool, target, secrets) }),
  });
  const leases = new PgLeaseStore({
    connectionString: withPgPassword(url, password),
    target,
    secrets,
  });
  const store = new KyselyMetaStore(db, 'postgres', { leases });
  try {
    await store.migrate();
  } catch (err) {
    await db.destroy().catch(() => {});
    throw pgOutage(err, target, secrets, false) ?? err;
  }
  return store;
}
