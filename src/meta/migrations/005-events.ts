// The event log (issue 6): every load, check run, merge, build, promotion, deploy, rollback and
// alert, append-only. Ids are a gap-free sequence per repository kept in `event_sequences`: an
// append bumps its repository's row and inserts the event in one transaction, so the row lock
// orders concurrent appenders and ids become visible in id order (a reader tailing by id never
// skips one). Bodies are JSON text; the columns are what listings filter and order by.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function eventsMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('event_sequences')
        .addColumn('repo', key, (c) => c.notNull().primaryKey())
        .addColumn('last_id', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('events')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('id', 'bigint', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('type', key, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('refs', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['repo', 'id'])
        .execute();
      await db.schema
        .createIndex('events_by_time')
        .on('events')
        .columns(['repo', 'occurred_at'])
        .execute();
      await db.schema
        .createIndex('events_by_type')
        .on('events')
        .columns(['repo', 'type', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['events', 'event_sequences']) await db.schema.dropTable(t).execute();
    },
  };
}
