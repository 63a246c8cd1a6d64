// SandboxStore over Kysely: (repo, name) → sandbox record. The record never touches its branch.
import type { Selectable } from 'kysely';
import { RefAlreadyExistsError } from '../../common/errors.js';
import type { ListOptions, SandboxRecord, SandboxStore } from '../meta-store.js';
import { toSandbox } from '../rows.js';
import type { Database } from '../schema.js';
import { deleteNamed, getNamed, listNamed } from './key-queries.js';
import type { MetaDb } from './meta-db.js';

export class KyselySandboxStore implements SandboxStore {
  constructor(private readonly m: MetaDb) {}

  async createSandbox(repo: string, rec: SandboxRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('sandboxes')
      .values({
        repo,
        name: rec.name,
        branch: rec.branch,
        created_at: rec.createdAt.getTime(),
        expires_at: rec.expiresAt === null ? null : rec.expiresAt.getTime(),
        owner: rec.owner,
        from_ref: rec.fromRef,
        from_commit: rec.fromCommit,
        private: rec.private ? 1 : 0,
      })
      .onConflict((oc) => oc.columns(['repo', 'name']).doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!row) {
      throw new RefAlreadyExistsError(`sandbox ${rec.name} already exists`, {
        name: rec.name,
        kind: 'sandbox',
      });
    }
  }

  async getSandbox(repo: string, name: string): Promise<SandboxRecord | undefined> {
    const row = await getNamed(this.m.db, 'sandboxes', repo, name);
    return row && toSandbox(row as Selectable<Database['sandboxes']>);
  }

  listSandboxes(repo: string, opts: ListOptions = {}): AsyncIterable<SandboxRecord> {
    return listNamed(this.m.db, 'sandboxes', repo, opts, (r) =>
      toSandbox(r as Selectable<Database['sandboxes']>),
    );
  }

  deleteSandbox(repo: string, name: string): Promise<boolean> {
    return deleteNamed(this.m.db, 'sandboxes', repo, name);
  }
}
