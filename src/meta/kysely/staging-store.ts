// StagingStore over Kysely. stage() reads the branch's current token and writes its rows in one
// write transaction that a seal (updateBranch swapping the token) cannot interleave with: on
// PostgreSQL the token is read FOR SHARE, on SQLite the transaction holds the write lock.
import { CompiledQuery, type Kysely } from 'kysely';
import { BranchNotFoundError } from '../../common/errors.js';
import { keyBounds } from '../key-range.js';
import type {
  ListOptions,
  StagedChange,
  StageIfAbsentResult,
  StagingStore,
} from '../meta-store.js';
import { mergeByPriority } from '../priority-merge.js';
import { toStaged, toStagingRow } from '../rows.js';
import type { Database } from '../schema.js';
import { IN_CHUNK, inRange, PAGE, paged } from './key-queries.js';
import type { MetaDb } from './meta-db.js';
import { sameParams, stagingChunk, stagingParams, upsertStaging } from './staging-upsert.js';

export class KyselyStagingStore implements StagingStore {
  constructor(private readonly m: MetaDb) {}

  async stage(repo: string, branch: string, changes: StagedChange[]): Promise<void> {
    const dialect = this.m.dialect;
    await this.m.write(async (db) => {
      // FOR SHARE makes a concurrent seal (an UPDATE of this row) wait until these rows are
      // committed, or makes us read the token it installed. SQLite's write lock does the same.
      const b = await db
        .selectFrom('branches')
        .select('staging_token')
        .where('repo', '=', repo)
        .where('name', '=', branch)
        .$if(dialect === 'postgres', (q) => q.forShare())
        .executeTakeFirst();
      if (!b) throw new BranchNotFoundError(`branch ${branch} not found`, { branch });
      await this.writeRows(db, repo, b.staging_token, changes);
    });
  }

  async stageIfAbsent(
    repo: string,
    branch: string,
    changes: StagedChange[],
    guard: { head: string; committed: readonly string[] },
  ): Promise<StageIfAbsentResult> {
    const dialect = this.m.dialect;
    return this.m.write(async (db) => {
      // FOR UPDATE (not SHARE): two conditional writers of one branch must not both see the path
      // absent; they queue on the branch row. SQLite's write lock already serializes them.
      const b = await db
        .selectFrom('branches')
        .select(['staging_token', 'sealed_tokens', 'head'])
        .where('repo', '=', repo)
        .where('name', '=', branch)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!b) throw new BranchNotFoundError(`branch ${branch} not found`, { branch });
      if (b.head !== guard.head) return { staged: false, reason: 'moved' };
      const tokens = [b.staging_token, ...(JSON.parse(b.sealed_tokens) as string[])];
      const committed = new Set(guard.committed);
      for (const c of changes) {
        if (c.value === null) continue;
        const rows = await db
          .selectFrom('staging')
          .select(['token', 'address'])
          .where('repo', '=', repo)
          .where('token', 'in', tokens)
          .where('path', '=', c.path)
          .execute();
        const first = tokens.map((t) => rows.find((r) => r.token === t)).find((r) => r);
        const exists = first ? first.address !== null : committed.has(c.path);
        if (exists) return { staged: false, reason: 'exists', path: c.path };
      }
      await this.writeRows(db, repo, b.staging_token, changes);
      return { staged: true };
    });
  }

  /** Upserts `changes` into `token`, last change per path winning, in chunks. */
  private async writeRows(
    db: Kysely<Database>,
    repo: string,
    token: string,
    changes: StagedChange[],
  ): Promise<void> {
    // Last change per path wins; a fixed order makes concurrent writers lock rows in the same
    // order (no deadlocks in PostgreSQL) and keeps SQLite's b-tree appends sequential.
    const byPath = new Map<string, StagedChange>();
    for (const c of changes) byPath.set(c.path, c);
    const paths = [...byPath.keys()].sort();
    const { dialect } = this.m;
    const chunk = stagingChunk(dialect);
    // SQLite: every full chunk compiles to the same SQL, so compile it once and bind rows
    // straight into it (Kysely's per-row compile was a third of the time of a bulk stage).
    let template: CompiledQuery | undefined;
    for (let i = 0; i < paths.length; i += chunk) {
      const rows = paths.slice(i, i + chunk).map((p) => toStagingRow(repo, token, byPath.get(p)!));
      if (template && rows.length === chunk) {
        await db.executeQuery(CompiledQuery.raw(template.sql, stagingParams(rows)));
        continue;
      }
      const query = upsertStaging(db, dialect, rows).compile();
      if (dialect === 'sqlite' && rows.length === chunk && sameParams(query, rows)) {
        template = query;
      }
      await db.executeQuery(query);
    }
  }

  async getStaged(repo: string, tokens: string[], path: string): Promise<StagedChange | undefined> {
    if (tokens.length === 0) return undefined;
    const rows = await this.m.db
      .selectFrom('staging')
      .selectAll()
      .where('repo', '=', repo)
      .where('token', 'in', tokens)
      .where('path', '=', path)
      .execute();
    for (const t of tokens) {
      const row = rows.find((r) => r.token === t);
      if (row) return toStaged(row);
    }
    return undefined;
  }

  async *listStaged(
    repo: string,
    tokens: string[],
    opts: ListOptions = {},
  ): AsyncGenerator<StagedChange> {
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return;
    const page = Math.min(PAGE, limit);
    // One index range scan per token, merged here: a single ORDER BY over all tokens would sort
    // the whole remainder on every page.
    const streams = [...new Set(tokens)].map((token) =>
      paged({ prefix: opts.prefix, after: opts.after }, page, async (b, n) => {
        const rows = await this.m.db
          .selectFrom('staging')
          .selectAll()
          .where('repo', '=', repo)
          .where('token', '=', token)
          .where(inRange('path', b))
          .orderBy('path')
          .limit(n)
          .execute();
        return rows.map((r) => [r.path, toStaged(r)]);
      }),
    );
    let count = 0;
    for await (const change of mergeByPriority(streams, (c) => c.path)) {
      yield change;
      if (++count >= limit) return;
    }
  }

  async clearStaging(
    repo: string,
    tokens: string[],
    opts: { prefix?: string; paths?: string[] } = {},
  ): Promise<number> {
    if (tokens.length === 0) return 0;
    const range = keyBounds({ prefix: opts.prefix });
    const del = (db: Kysely<Database>, paths?: string[]) =>
      db
        .deleteFrom('staging')
        .where('repo', '=', repo)
        .where('token', 'in', tokens)
        .where(inRange('path', range))
        .$if(paths !== undefined, (q) => q.where('path', 'in', paths!))
        .executeTakeFirst()
        .then((r) => Number(r.numDeletedRows));
    const { paths } = opts;
    if (paths === undefined) return del(this.m.db);
    if (paths.length === 0) return 0;
    return this.m.write(async (db) => {
      let n = 0;
      for (let i = 0; i < paths.length; i += IN_CHUNK)
        n += await del(db, paths.slice(i, i + IN_CHUNK));
      return n;
    });
  }

  async listStagingTokens(repo: string): Promise<string[]> {
    // Skip-scan of the (repo, token, path) key: one index probe per token, not per row.
    const tokens: string[] = [];
    for (;;) {
      const last = tokens.at(-1);
      const row = await this.m.db
        .selectFrom('staging')
        .select('token')
        .where('repo', '=', repo)
        .$if(last !== undefined, (q) => q.where('token', '>', last!))
        .orderBy('token')
        .limit(1)
        .executeTakeFirst();
      if (!row) return tokens;
      tokens.push(row.token);
    }
  }
}
