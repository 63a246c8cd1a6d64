// Quality results are data (issue 4): check runs, one row per check result, and per-commit table
// profiles — the history that row_count_change and anomaly checks read. Bodies are JSON text;
// the columns are what history queries filter and order by.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function qualityMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('check_runs')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('id', key, (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('commit_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_runs_pk', ['repo', 'id'])
        .execute();
      await db.schema
        .createIndex('check_runs_by_time')
        .on('check_runs')
        .columns(['repo', 'created_at'])
        .execute();
      await db.schema
        .createTable('check_results')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('run_id', key, (c) => c.notNull())
        .addColumn('check_id', key, (c) => c.notNull())
        .addColumn('table_name', key, (c) => c.notNull())
        .addColumn('commit_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_results_pk', ['repo', 'run_id', 'check_id'])
        .execute();
      await db.schema
        .createIndex('check_results_by_table')
        .on('check_results')
        .columns(['repo', 'table_name', 'created_at'])
        .execute();
      await db.schema
        .createTable('table_profiles')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('table_name', key, (c) => c.notNull())
        .addColumn('commit_id', key, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('table_profiles_pk', ['repo', 'table_name', 'commit_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['table_profiles', 'check_results', 'check_runs'])
        await db.schema.dropTable(t).execute();
    },
  };
}
