// Staged entries may live inside a pack (`StagedValue.physical`): a nullable column.
import type { Kysely, Migration } from 'kysely';

export const stagingPhysicalMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('staging').addColumn('physical', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('staging').dropColumn('physical').execute();
  },
};
