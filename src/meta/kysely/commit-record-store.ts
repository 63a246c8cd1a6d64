// CommitRecordStore over Kysely: commits as (repo, id) → canonical bytes. Inserting an id that
// exists does nothing (the first bytes stay); listing pages by id, in small pages (rows carry blobs).
import { keyBounds } from '../key-range.js';
import type { CommitRecord, CommitRecordStore } from '../meta-store.js';
import { toCommit } from '../rows.js';
import { IN_CHUNK, inRange, paged } from './key-queries.js';
import type { MetaDb } from './meta-db.js';

/** Rows per page of commit listings (rows carry blobs). */
const COMMIT_PAGE = 200;

export class KyselyCommitRecordStore implements CommitRecordStore {
  constructor(private readonly m: MetaDb) {}

  async putCommit(repo: string, rec: CommitRecord): Promise<void> {
    await this.m.db
      .insertInto('commits')
      .values({
        repo,
        id: rec.id,
        generation: rec.generation,
        created_at: rec.createdAt.getTime(),
        data: Buffer.from(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength),
      })
      .onConflict((oc) => oc.columns(['repo', 'id']).doNothing())
      .execute();
  }

  async getCommit(repo: string, id: string): Promise<CommitRecord | undefined> {
    const row = await this.m.db
      .selectFrom('commits')
      .selectAll()
      .where('repo', '=', repo)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toCommit(row);
  }

  async findCommitIds(repo: string, prefix: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.m.db
      .selectFrom('commits')
      .select('id')
      .where('repo', '=', repo)
      .where(inRange('id', keyBounds({ prefix })))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  listCommits(repo: string): AsyncIterable<CommitRecord> {
    return paged({}, COMMIT_PAGE, async (b, limit) => {
      const rows = await this.m.db
        .selectFrom('commits')
        .selectAll()
        .where('repo', '=', repo)
        .where(inRange('id', b))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => [r.id, toCommit(r)]);
    });
  }

  async deleteCommits(repo: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      await this.m.db
        .deleteFrom('commits')
        .where('repo', '=', repo)
        .where('id', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
    }
  }
}
