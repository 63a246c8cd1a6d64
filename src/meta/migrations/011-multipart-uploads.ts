// Multipart uploads in progress (issue 16): one row per upload and one per part, so that every
// server replica can add parts to, list, complete or abort an upload another one created.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function multipartUploadsMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('multipart_uploads')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('id', key, (c) => c.notNull())
        .addColumn('branch', key, (c) => c.notNull())
        .addColumn('path', key, (c) => c.notNull())
        .addColumn('initiator', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('content_type', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('checksum_algorithm', 'text')
        .addPrimaryKeyConstraint('multipart_uploads_pk', ['repo', 'id'])
        .execute();
      await db.schema
        .createIndex('multipart_uploads_key')
        .on('multipart_uploads')
        .columns(['repo', 'branch', 'path', 'created_at', 'id'])
        .execute();
      await db.schema
        .createTable('multipart_parts')
        .addColumn('repo', key, (c) => c.notNull())
        .addColumn('upload_id', key, (c) => c.notNull())
        .addColumn('part_number', 'integer', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('md5', 'text', (c) => c.notNull())
        .addColumn('checksums', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('multipart_parts_pk', ['repo', 'upload_id', 'part_number'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('multipart_parts').execute();
      await db.schema.dropTable('multipart_uploads').execute();
    },
  };
}
