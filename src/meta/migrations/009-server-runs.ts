// The server's long-running operations (issue 15): a check run, build, load, promote, deploy or
// rollback answers 202 and runs in the process that accepted it, but every replica must be able to
// read its status and log — so both live here, not in that process. The run row is updated (status,
// heartbeat, result) while it runs; the log is append-only, numbered per run.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function serverRunsMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('server_runs')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('id', key, (c) => c.notNull())
        .addColumn('kind', key, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('exit_code', 'integer')
        .addPrimaryKeyConstraint('server_runs_pk', ['repo', 'id'])
        .execute();
      await db.schema
        .createIndex('server_runs_kind')
        .on('server_runs')
        .columns(['repo', 'kind', 'id'])
        .execute();
      await db.schema
        .createTable('server_run_logs')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('run_id', key, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('server_run_logs_pk', ['repo', 'run_id', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('server_run_logs').execute();
      await db.schema.dropTable('server_runs').execute();
    },
  };
}
