// BuildMemoStore over Kysely: one row per (repo, fingerprint), upserted (the last write wins).
import type { BuildMemoRecord, BuildMemoStore } from '../meta-store.js';
import { toMemo } from '../rows.js';
import type { MetaDb } from './meta-db.js';

export class KyselyBuildMemoStore implements BuildMemoStore {
  constructor(private readonly m: MetaDb) {}

  async putMemo(repo: string, rec: BuildMemoRecord): Promise<void> {
    await this.m.db
      .insertInto('build_memo')
      .values({
        repo,
        fingerprint: rec.fingerprint,
        created_at: rec.createdAt.getTime(),
        data: rec.data,
      })
      .onConflict((oc) =>
        oc.columns(['repo', 'fingerprint']).doUpdateSet((eb) => ({
          created_at: eb.ref('excluded.created_at'),
          data: eb.ref('excluded.data'),
        })),
      )
      .execute();
  }

  async getMemo(repo: string, fingerprint: string): Promise<BuildMemoRecord | undefined> {
    const r = await this.m.db
      .selectFrom('build_memo')
      .selectAll()
      .where('repo', '=', repo)
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
    return r ? toMemo(r) : undefined;
  }
}
