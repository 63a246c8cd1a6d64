// The repositories table over Kysely, and deleteRepository: the one operation that spans every
// role's tables (all of them in one write transaction).
import { RepositoryAlreadyExistsError } from '../../common/errors.js';
import type { RepositoryRecord } from '../meta-store.js';
import { toRepository } from '../rows.js';
import type { MetaDb } from './meta-db.js';

/** Every table with a `repo` column: what deleteRepository clears. */
const REPO_TABLES = [
  'staging',
  'branches',
  'commits',
  'tags',
  'aliases',
  'check_runs',
  'check_results',
  'table_profiles',
  'build_memo',
  'events',
  'event_sequences',
  'sandboxes',
  'multipart_parts',
  'multipart_uploads',
  'idempotency_keys',
  'server_runs',
  'server_run_logs',
] as const;

export class KyselyRepositoryCatalog {
  constructor(private readonly m: MetaDb) {}

  async createRepository(rec: RepositoryRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('repositories')
      .values({
        name: rec.name,
        storage_uri: rec.storageUri,
        default_branch: rec.defaultBranch,
        created_at: rec.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!row) {
      throw new RepositoryAlreadyExistsError(`repository ${rec.name} already exists`, {
        repository: rec.name,
      });
    }
  }

  async getRepository(name: string): Promise<RepositoryRecord | undefined> {
    const row = await this.m.db
      .selectFrom('repositories')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRepository(row);
  }

  async listRepositories(): Promise<RepositoryRecord[]> {
    const rows = await this.m.db.selectFrom('repositories').selectAll().orderBy('name').execute();
    return rows.map(toRepository);
  }

  async deleteRepository(name: string): Promise<void> {
    await this.m.write(async (db) => {
      for (const table of REPO_TABLES) {
        await db.deleteFrom(table).where('repo', '=', name).execute();
      }
      await db.deleteFrom('repositories').where('name', '=', name).execute();
    });
  }
}
