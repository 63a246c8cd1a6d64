// QualityHistoryStore over Kysely: a check run and its results in one write transaction, profiles
// upserted per (table, commit). Listings are newest first (created_at, then id, descending).
import type {
  CheckResultRecord,
  CheckRunRecord,
  QualityHistoryStore,
  TableProfileRecord,
} from '../meta-store.js';
import { toCheckResult, toCheckRun, toProfile } from '../rows.js';
import type { MetaDb } from './meta-db.js';

/** Rows per INSERT and values per `IN (…)`: under the bind-parameter limits of both dialects. */
const BATCH = 500;

export class KyselyQualityHistoryStore implements QualityHistoryStore {
  constructor(private readonly m: MetaDb) {}

  async putCheckRun(
    repo: string,
    run: CheckRunRecord,
    results: CheckResultRecord[],
  ): Promise<void> {
    await this.m.write(async (db) => {
      await db
        .insertInto('check_runs')
        .values({
          repo,
          id: run.id,
          ref: run.ref,
          commit_id: run.commitId,
          created_at: run.createdAt.getTime(),
          status: run.status,
          data: run.data,
        })
        .execute();
      // Batches keep each statement under the bind-parameter limits of both dialects.
      for (let i = 0; i < results.length; i += BATCH) {
        await db
          .insertInto('check_results')
          .values(
            results.slice(i, i + BATCH).map((r) => ({
              repo,
              run_id: r.runId,
              check_id: r.checkId,
              table_name: r.table,
              commit_id: r.commitId,
              created_at: r.createdAt.getTime(),
              status: r.status,
              data: r.data,
            })),
          )
          .execute();
      }
    });
  }

  async listCheckRuns(repo: string, opts: { limit?: number } = {}): Promise<CheckRunRecord[]> {
    const rows = await this.m.db
      .selectFrom('check_runs')
      .selectAll()
      .where('repo', '=', repo)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map(toCheckRun);
  }

  async listCheckResults(
    repo: string,
    opts: { table?: string; runId?: string; limit?: number },
  ): Promise<CheckResultRecord[]> {
    const rows = await this.m.db
      .selectFrom('check_results')
      .selectAll()
      .where('repo', '=', repo)
      .$if(opts.table !== undefined, (q) => q.where('table_name', '=', opts.table as string))
      .$if(opts.runId !== undefined, (q) => q.where('run_id', '=', opts.runId as string))
      .orderBy('created_at', 'desc')
      .orderBy('run_id', 'desc')
      .orderBy('check_id')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map(toCheckResult);
  }

  async putProfile(repo: string, rec: TableProfileRecord): Promise<void> {
    await this.m.db
      .insertInto('table_profiles')
      .values({
        repo,
        table_name: rec.table,
        commit_id: rec.commitId,
        created_at: rec.createdAt.getTime(),
        data: rec.data,
      })
      .onConflict((oc) =>
        oc.columns(['repo', 'table_name', 'commit_id']).doUpdateSet((eb) => ({
          created_at: eb.ref('excluded.created_at'),
          data: eb.ref('excluded.data'),
        })),
      )
      .execute();
  }

  async getProfiles(
    repo: string,
    table: string,
    commitIds: string[],
  ): Promise<TableProfileRecord[]> {
    const out: TableProfileRecord[] = [];
    for (let i = 0; i < commitIds.length; i += BATCH) {
      const rows = await this.m.db
        .selectFrom('table_profiles')
        .selectAll()
        .where('repo', '=', repo)
        .where('table_name', '=', table)
        .where('commit_id', 'in', commitIds.slice(i, i + BATCH))
        .execute();
      for (const r of rows) out.push(toProfile(r));
    }
    return out;
  }
}
