// Sandboxes (issue 6): a developer's writable, zero-copy snapshot is a branch `sandbox/<name>`;
// this table remembers what the branch alone cannot — who made it, from which ref and commit, and
// when it expires (null: never). `gc` removes the expired ones, branch first, then the row.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function sandboxesMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sandboxes')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('name', key, (c) => c.notNull())
        .addColumn('branch', key, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('from_ref', 'text', (c) => c.notNull())
        .addColumn('from_commit', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sandboxes_pk', ['repo', 'name'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('sandboxes').execute();
    },
  };
}
