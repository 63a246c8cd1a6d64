// Idempotency keys (issue 14): a request retried with its key (an ingest, a load) must not apply
// twice. The key is inserted in the same transaction as the branch move that applies the request
// (BranchMoveStore.moveBranch), so there is no claim a dead writer could leave behind: a key is
// here exactly when its request landed, with the commit it made and its result.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function idempotencyKeysMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('key', key, (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('commit_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['repo', 'key'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('idempotency_keys').execute();
    },
  };
}
