// RefStore over Kysely: branches (compare-and-swap on `version`), tags, and aliases
// (compare-and-swap on their own `version`). Every CAS is one conditional UPDATE … RETURNING, so
// of concurrent updates at one version exactly one matches a row.
import type { Kysely, Selectable } from 'kysely';
import { RefAlreadyExistsError } from '../../common/errors.js';
import type {
  AliasRecord,
  BranchPatch,
  BranchRecord,
  ListOptions,
  RefStore,
  TagRecord,
} from '../meta-store.js';
import { toAlias, toBranch, toTag } from '../rows.js';
import type { Database } from '../schema.js';
import { deleteNamed, getNamed, inRange, listNamed, PAGE, paged } from './key-queries.js';
import type { MetaDb } from './meta-db.js';

export class KyselyRefStore implements RefStore {
  constructor(private readonly m: MetaDb) {}

  // ---- branches -----------------------------------------------------------------------------

  async createBranch(repo: string, rec: Omit<BranchRecord, 'version'>): Promise<BranchRecord> {
    const row = await this.m.db
      .insertInto('branches')
      .values({
        repo,
        name: rec.name,
        head: rec.head,
        staging_token: rec.stagingToken,
        sealed_tokens: JSON.stringify(rec.sealedTokens),
        version: 1,
        created_at: rec.createdAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['repo', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      throw new RefAlreadyExistsError(`branch ${rec.name} already exists`, {
        name: rec.name,
        kind: 'branch',
      });
    }
    return toBranch(row);
  }

  async getBranch(repo: string, name: string): Promise<BranchRecord | undefined> {
    const row = await this.m.db
      .selectFrom('branches')
      .selectAll()
      .where('repo', '=', repo)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toBranch(row);
  }

  listBranches(repo: string, opts: ListOptions = {}): AsyncIterable<BranchRecord> {
    return paged(opts, PAGE, async (b, limit) => {
      const rows = await this.m.db
        .selectFrom('branches')
        .selectAll()
        .where('repo', '=', repo)
        .where(inRange('name', b))
        .orderBy('name')
        .limit(limit)
        .execute();
      return rows.map((r) => [r.name, toBranch(r)]);
    });
  }

  updateBranch(
    repo: string,
    name: string,
    expectedVersion: number,
    patch: BranchPatch,
  ): Promise<BranchRecord | undefined> {
    return updateBranchRow(this.m.db, repo, name, expectedVersion, patch);
  }

  async deleteBranch(repo: string, name: string, expectedVersion?: number): Promise<boolean> {
    const res = await this.m.db
      .deleteFrom('branches')
      .where('repo', '=', repo)
      .where('name', '=', name)
      .$if(expectedVersion !== undefined, (q) => q.where('version', '=', expectedVersion!))
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  // ---- tags ---------------------------------------------------------------------------------

  async createTag(repo: string, rec: TagRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('tags')
      .values({
        repo,
        name: rec.name,
        commit_id: rec.commitId,
        created_at: rec.createdAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['repo', 'name']).doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!row) {
      throw new RefAlreadyExistsError(`tag ${rec.name} already exists`, {
        name: rec.name,
        kind: 'tag',
      });
    }
  }

  async getTag(repo: string, name: string): Promise<TagRecord | undefined> {
    const row = await getNamed(this.m.db, 'tags', repo, name);
    return row && toTag(row as Selectable<Database['tags']>);
  }

  listTags(repo: string, opts: ListOptions = {}): AsyncIterable<TagRecord> {
    return listNamed(this.m.db, 'tags', repo, opts, (r) =>
      toTag(r as Selectable<Database['tags']>),
    );
  }

  deleteTag(repo: string, name: string): Promise<boolean> {
    return deleteNamed(this.m.db, 'tags', repo, name);
  }

  // ---- aliases ------------------------------------------------------------------------------

  async setAlias(
    repo: string,
    name: string,
    target: string,
    expectedVersion: number | null,
  ): Promise<AliasRecord | undefined> {
    const now = Date.now();
    const row =
      expectedVersion === null
        ? await this.m.db
            .insertInto('aliases')
            .values({ repo, name, target, version: 1, updated_at: now })
            .onConflict((oc) => oc.columns(['repo', 'name']).doNothing())
            .returningAll()
            .executeTakeFirst()
        : await this.m.db
            .updateTable('aliases')
            .set((eb) => ({ target, version: eb('version', '+', 1), updated_at: now }))
            .where('repo', '=', repo)
            .where('name', '=', name)
            .where('version', '=', expectedVersion)
            .returningAll()
            .executeTakeFirst();
    return row && toAlias(row);
  }

  async getAlias(repo: string, name: string): Promise<AliasRecord | undefined> {
    const row = await getNamed(this.m.db, 'aliases', repo, name);
    return row && toAlias(row as Selectable<Database['aliases']>);
  }

  listAliases(repo: string, opts: ListOptions = {}): AsyncIterable<AliasRecord> {
    return listNamed(this.m.db, 'aliases', repo, opts, (r) =>
      toAlias(r as Selectable<Database['aliases']>),
    );
  }

  deleteAlias(repo: string, name: string): Promise<boolean> {
    return deleteNamed(this.m.db, 'aliases', repo, name);
  }
}

/** The branch compare-and-swap, on `db` (the store's handle, or a transaction's). */
export async function updateBranchRow(
  db: Kysely<Database>,
  repo: string,
  name: string,
  expectedVersion: number,
  patch: BranchPatch,
): Promise<BranchRecord | undefined> {
  const row = await db
    .updateTable('branches')
    .set((eb) => ({
      version: eb('version', '+', 1),
      ...(patch.head !== undefined && { head: patch.head }),
      ...(patch.stagingToken !== undefined && { staging_token: patch.stagingToken }),
      ...(patch.sealedTokens !== undefined && {
        sealed_tokens: JSON.stringify(patch.sealedTokens),
      }),
    }))
    .where('repo', '=', repo)
    .where('name', '=', name)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  return row && toBranch(row);
}
