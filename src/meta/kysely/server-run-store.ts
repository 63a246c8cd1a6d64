// ServerRunStore over Kysely: (repo, id) → the run's record, updated only while it is queued or
// running; (repo, run id, seq) → its log lines, appended with the next seq inside one write
// transaction that holds the run's row (only the process running a run appends to it).
import { RefAlreadyExistsError } from '../../common/errors.js';
import type {
  ServerRunLogLine,
  ServerRunPatch,
  ServerRunRecord,
  ServerRunStore,
} from '../meta-store.js';
import { toServerRun, toServerRunLogLine } from '../rows.js';
import type { MetaDb } from './meta-db.js';

const LIVE = ['queued', 'running'];

export class KyselyServerRunStore implements ServerRunStore {
  constructor(private readonly m: MetaDb) {}

  async createServerRun(repo: string, rec: ServerRunRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('server_runs')
      .values({
        repo,
        id: rec.id,
        kind: rec.kind,
        status: rec.status,
        actor: rec.actor,
        created_at: rec.createdAt.getTime(),
        updated_at: rec.updatedAt.getTime(),
        request: rec.request,
        result: rec.result,
        error: rec.error,
        exit_code: rec.exitCode,
      })
      .onConflict((oc) => oc.columns(['repo', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      throw new RefAlreadyExistsError(`run ${rec.id} already exists`, {
        name: rec.id,
        kind: 'run',
      });
    }
  }

  async getServerRun(repo: string, id: string): Promise<ServerRunRecord | undefined> {
    const row = await this.m.db
      .selectFrom('server_runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toServerRun(row);
  }

  async listServerRuns(
    repo: string,
    opts: { kind?: string; before?: string; limit?: number } = {},
  ): Promise<ServerRunRecord[]> {
    const rows = await this.m.db
      .selectFrom('server_runs')
      .selectAll()
      .where('repo', '=', repo)
      .$if(opts.kind !== undefined, (q) => q.where('kind', '=', opts.kind as string))
      .$if(opts.before !== undefined, (q) => q.where('id', '<', opts.before as string))
      .orderBy('id', 'desc')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map(toServerRun);
  }

  async updateServerRun(repo: string, id: string, patch: ServerRunPatch): Promise<boolean> {
    const res = await this.m.db
      .updateTable('server_runs')
      .set({
        updated_at: patch.updatedAt.getTime(),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.result !== undefined ? { result: patch.result } : {}),
        ...(patch.error !== undefined ? { error: patch.error } : {}),
        ...(patch.exitCode !== undefined ? { exit_code: patch.exitCode } : {}),
      })
      .where('repo', '=', repo)
      .where('id', '=', id)
      .where('status', 'in', LIVE)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async appendServerRunLog(
    repo: string,
    id: string,
    lines: readonly { time: Date; line: string }[],
  ): Promise<number> {
    if (lines.length === 0) return 0;
    return this.m.write(async (db) => {
      // The run's row, locked, serializes appenders on PostgreSQL (SQLite's write lock already does).
      if (this.m.dialect === 'postgres') {
        await db
          .selectFrom('server_runs')
          .select('id')
          .where('repo', '=', repo)
          .where('id', '=', id)
          .forUpdate()
          .execute();
      }
      const last = await db
        .selectFrom('server_run_logs')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('repo', '=', repo)
        .where('run_id', '=', id)
        .executeTakeFirst();
      const first = Number(last?.seq ?? 0) + 1;
      await db
        .insertInto('server_run_logs')
        .values(
          lines.map((l, i) => ({
            repo,
            run_id: id,
            seq: first + i,
            time: l.time.getTime(),
            line: l.line,
          })),
        )
        .execute();
      return first + lines.length - 1;
    });
  }

  async listServerRunLog(
    repo: string,
    id: string,
    opts: { after?: number; limit?: number } = {},
  ): Promise<ServerRunLogLine[]> {
    const rows = await this.m.db
      .selectFrom('server_run_logs')
      .selectAll()
      .where('repo', '=', repo)
      .where('run_id', '=', id)
      .where('seq', '>', opts.after ?? 0)
      .orderBy('seq', 'asc')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map(toServerRunLogLine);
  }
}
