// Pipeline memoization (issue 5): what a model built, by the fingerprint of what it was built
// from (rendered SQL, config, the versions of its inputs). A later build with the same
// fingerprint — on any branch — stages the same files again instead of recomputing them.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function buildMemoMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('build_memo')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('fingerprint', key, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('build_memo_pk', ['repo', 'fingerprint'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('build_memo').execute();
    },
  };
}
