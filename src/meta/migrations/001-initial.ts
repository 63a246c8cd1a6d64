// The initial schema. Every table is keyed by `repo` first so one database can hold many
// repositories and every per-repository scan is an index range.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function initialMigration(dialect: MetaDialect): Migration {
  const pg = dialect === 'postgres';
  // Names and paths are ordered and range-scanned: byte order in both dialects
  // (SQLite's default BINARY collation already is).
  const key = pg ? sql`text collate "C"` : sql`text`;
  const bytes = pg ? sql`bytea` : sql`blob`;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('repositories')
        .addColumn('name', key, (c) => c.primaryKey())
        .addColumn('storage_uri', 'text', (c) => c.notNull())
        .addColumn('default_branch', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('branches')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('name', key, (c) => c.notNull())
        .addColumn('head', 'text', (c) => c.notNull())
        .addColumn('staging_token', 'text', (c) => c.notNull())
        .addColumn('sealed_tokens', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('branches_pk', ['repo', 'name'])
        .execute();

      // The big table (a bulk import stages millions of rows): clustered on its key in SQLite.
      let staging = db.schema
        .createTable('staging')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('token', key, (c) => c.notNull())
        .addColumn('path', key, (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('staging_pk', ['repo', 'token', 'path']);
      if (!pg) staging = staging.modifyEnd(sql`without rowid`);
      await staging.execute();

      await db.schema
        .createTable('commits')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('id', key, (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('commits_pk', ['repo', 'id'])
        .execute();

      await db.schema
        .createTable('tags')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('name', key, (c) => c.notNull())
        .addColumn('commit_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('tags_pk', ['repo', 'name'])
        .execute();

      await db.schema
        .createTable('aliases')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('name', key, (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('aliases_pk', ['repo', 'name'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['aliases', 'tags', 'commits', 'staging', 'branches', 'repositories']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  };
}
