// Staged entries carry the optional fields the S3 gateway and `sluice import` record (issue 16):
// the S3 ETag, the checksums a writer sent, and an imported object's external location — one
// nullable JSON column, null when none is set.
import type { Kysely, Migration } from 'kysely';

export const stagingExtrasMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('staging').addColumn('extras', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('staging').dropColumn('extras').execute();
  },
};
