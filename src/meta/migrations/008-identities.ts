// Identities (issue 15): users, groups, memberships, policies, their attachments and access keys,
// global to the database (no `repo` column: one user works in every repository it holds), plus
// the `private` flag of sandboxes (readable only by their owner and admins). Flags are integers
// 0/1 in both dialects, so one query path reads and writes them. Access key secrets are stored
// sealed by the auth layer (AES-256-GCM under the server key); nothing here is a plain secret.
import { type Kysely, type Migration, sql } from 'kysely';
import type { MetaDialect } from '../schema.js';

export function identitiesMigration(dialect: MetaDialect): Migration {
  const key = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('name', key, (c) => c.notNull().primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('email', 'text')
        .execute();
      await db.schema
        .createTable('groups')
        .addColumn('name', key, (c) => c.notNull().primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('group_members')
        .addColumn('group_name', key, (c) => c.notNull())
        .addColumn('user_name', key, (c) => c.notNull())
        .addPrimaryKeyConstraint('group_members_pk', ['group_name', 'user_name'])
        .execute();
      await db.schema
        .createIndex('group_members_by_user')
        .on('group_members')
        .columns(['user_name', 'group_name'])
        .execute();
      await db.schema
        .createTable('policies')
        .addColumn('name', key, (c) => c.notNull().primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('document', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('policy_attachments')
        .addColumn('policy', key, (c) => c.notNull())
        .addColumn('principal_kind', key, (c) => c.notNull())
        .addColumn('principal_name', key, (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_attachments_pk', [
          'principal_kind',
          'principal_name',
          'policy',
        ])
        .execute();
      await db.schema
        .createIndex('policy_attachments_by_policy')
        .on('policy_attachments')
        .columns(['policy'])
        .execute();
      await db.schema
        .createTable('access_keys')
        .addColumn('access_key_id', key, (c) => c.notNull().primaryKey())
        .addColumn('user_name', key, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sealed_secret', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('access_keys_by_user')
        .on('access_keys')
        .columns(['user_name', 'access_key_id'])
        .execute();
      await db.schema
        .alterTable('sandboxes')
        .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sandboxes').dropColumn('private').execute();
      for (const t of [
        'access_keys',
        'policy_attachments',
        'policies',
        'group_members',
        'groups',
        'users',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
