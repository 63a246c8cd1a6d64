// Versioned migrations, applied in name order by Kysely's Migrator. Append new files; never edit
// a migration that has shipped.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Database, MetaDialect } from '../schema.js';
import { initialMigration } from './001-initial.js';
import { stagingPhysicalMigration } from './002-staging-physical.js';
import { qualityMigration } from './003-quality.js';
import { buildMemoMigration } from './004-build-memo.js';
import { eventsMigration } from './005-events.js';
import { sandboxesMigration } from './006-sandboxes.js';
import { idempotencyKeysMigration } from './007-idempotency-keys.js';
import { identitiesMigration } from './008-identities.js';
import { serverRunsMigration } from './009-server-runs.js';
import { stagingExtrasMigration } from './010-staging-extras.js';
import { multipartUploadsMigration } from './011-multipart-uploads.js';

export function metaMigrations(dialect: MetaDialect): Record<string, Migration> {
  return {
    '001-initial': initialMigration(dialect),
    '002-staging-physical': stagingPhysicalMigration,
    '003-quality': qualityMigration(dialect),
    '004-build-memo': buildMemoMigration(dialect),
    '005-events': eventsMigration(dialect),
    '006-sandboxes': sandboxesMigration(dialect),
    '007-idempotency-keys': idempotencyKeysMigration(dialect),
    '008-identities': identitiesMigration(dialect),
    '009-server-runs': serverRunsMigration(dialect),
    '010-staging-extras': stagingExtrasMigration,
    '011-multipart-uploads': multipartUploadsMigration(dialect),
  };
}

// Arbitrary constant naming "Sluice meta migrations" among PostgreSQL advisory locks.
const PG_MIGRATION_LOCK = 0x51_1ce_3e7a;

/** Kysely's record of the migrations applied (its default table). */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * Are all `names` applied already? One read, no lock: every command opens the store, and almost
 * always there is nothing to migrate. A missing table, or any migration missing, is "no" — the
 * locked path below then decides.
 */
async function applied(db: Kysely<Database>, names: string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const have = new Set(rows.map((r) => r.name));
    return names.every((n) => have.has(n));
  } catch {
    return false;
  }
}

/**
 * Applies pending migrations, safe to run from many processes at once: PostgreSQL serializes
 * through an advisory lock held for the whole run (Kysely's own lock only covers part of it),
 * SQLite through an IMMEDIATE transaction (Kysely runs SQLite migrations without one). A store
 * that is current is seen to be by one read, without the lock.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: MetaDialect): Promise<void> {
  const migrations = metaMigrations(dialect);
  if (await applied(db, Object.keys(migrations))) return;
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  await db.connection().execute(async (conn) => {
    const run = async (): Promise<void> => {
      const { error, results } = await new Migrator({
        db: conn,
        provider,
        // Names sort as bytes ('001-…' < '002-…'); the default localeCompare starts ICU's collator.
        nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      }).migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error !== undefined || failed !== undefined) {
        const what = failed ? `migration ${failed.migrationName} failed` : 'migration failed';
        throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    };
    if (dialect === 'postgres') {
      await sql`select pg_advisory_lock(${sql.lit(PG_MIGRATION_LOCK)})`.execute(conn);
      try {
        await run();
      } finally {
        await sql`select pg_advisory_unlock(${sql.lit(PG_MIGRATION_LOCK)})`.execute(conn);
      }
      return;
    }
    await sql`begin immediate`.execute(conn);
    try {
      await run();
      await sql`commit`.execute(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => {}); // keep the original error
      throw err;
    }
  });
}
