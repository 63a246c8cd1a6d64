// The one MetaStore implementation, over Kysely, for SQLite and PostgreSQL alike. Dialect
// differences are confined to transactions (BEGIN IMMEDIATE vs SELECT … FOR SHARE), the row
// source of bulk staging inserts (VALUES vs unnest) and migrations; every other query is the
// same builder code for both.
import {
  CompiledQuery,
  type Expression,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import {
  BranchNotFoundError,
  InvalidArgumentError,
  RefAlreadyExistsError,
  RepositoryAlreadyExistsError,
} from '../common/errors.js';
import { type KeyBounds, keyBounds } from './key-range.js';
import type {
  AliasRecord,
  BranchPatch,
  BranchRecord,
  BuildMemoRecord,
  CheckResultRecord,
  CheckRunRecord,
  CommitRecord,
  EventInput,
  EventQuery,
  EventRecord,
  ListOptions,
  MetaStore,
  RepositoryRecord,
  SandboxRecord,
  StagedChange,
  TableProfileRecord,
  TagRecord,
} from './meta-store.js';
import { migrateToLatest } from './migrations/index.js';
import { mergeByPriority } from './priority-merge.js';
import {
  toAlias,
  toBranch,
  toCommit,
  toRepository,
  toSandbox,
  toStaged,
  toStagingRow,
  toTag,
} from './rows.js';
import type { Database, EventsTable, MetaDialect, StagingTable } from './schema.js';

/** Rows per page of every internal listing. */
const PAGE = 1000;
/** Rows per page of commit listings (rows carry blobs). */
const COMMIT_PAGE = 200;
/** Events per page of event listings. */
const EVENT_PAGE = 500;
/** Values per `IN (…)` list. */
const IN_CHUNK = 500;
/** Bound parameters per statement: SQLite allows 32766. */
const SQLITE_MAX_PARAMS = 32_000;
const STAGING_COLUMN_NAMES = [
  'repo',
  'token',
  'path',
  'address',
  'size',
  'checksum',
  'content_type',
  'metadata',
  'physical',
] as const satisfies (keyof StagingTable)[];
const STAGING_COLUMNS = STAGING_COLUMN_NAMES.length;
/** Rows per PostgreSQL staging INSERT (one array parameter per column). */
const PG_ARRAY_CHUNK = 10_000;

export interface KyselyMetaStoreOptions {
  /** Releases the database; defaults to `db.destroy()`. */
  close?: () => Promise<void>;
}

export class KyselyMetaStore implements MetaStore {
  readonly #db: Kysely<Database>;
  readonly #close: () => Promise<void>;

  constructor(
    db: Kysely<Database>,
    readonly dialect: MetaDialect,
    opts: KyselyMetaStoreOptions = {},
  ) {
    this.#db = db;
    this.#close = opts.close ?? (() => db.destroy());
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.#db, this.dialect);
  }

  close(): Promise<void> {
    return this.#close();
  }

  /**
   * A transaction that may read then write. SQLite: BEGIN IMMEDIATE takes the write lock up
   * front, so other processes wait on busy_timeout instead of failing with SQLITE_BUSY when a
   * deferred read lock cannot be upgraded. PostgreSQL: READ COMMITTED plus explicit row locks.
   */
  async #write<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.#db.transaction().execute(fn);
    return this.#db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
        await sql`commit`.execute(conn);
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {}); // already rolled back by SQLite
        throw err;
      }
      return result;
    });
  }

  // ---- repositories -------------------------------------------------------------------------

  async createRepository(rec: RepositoryRecord): Promise<void> {
    const row = await this.#db
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
    const row = await this.#db
      .selectFrom('repositories')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toRepository(row);
  }

  async listRepositories(): Promise<RepositoryRecord[]> {
    const rows = await this.#db.selectFrom('repositories').selectAll().orderBy('name').execute();
    return rows.map(toRepository);
  }

  async deleteRepository(name: string): Promise<void> {
    await this.#write(async (db) => {
      for (const table of [
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
      ] as const) {
        await db.deleteFrom(table).where('repo', '=', name).execute();
      }
      await db.deleteFrom('repositories').where('name', '=', name).execute();
    });
  }

  // ---- branches -----------------------------------------------------------------------------

  async createBranch(repo: string, rec: Omit<BranchRecord, 'version'>): Promise<BranchRecord> {
    const row = await this.#db
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
    const row = await this.#db
      .selectFrom('branches')
      .selectAll()
      .where('repo', '=', repo)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toBranch(row);
  }

  listBranches(repo: string, opts: ListOptions = {}): AsyncIterable<BranchRecord> {
    return paged(opts, PAGE, async (b, limit) => {
      const rows = await this.#db
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

  async updateBranch(
    repo: string,
    name: string,
    expectedVersion: number,
    patch: BranchPatch,
  ): Promise<BranchRecord | undefined> {
    const row = await this.#db
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

  async deleteBranch(repo: string, name: string, expectedVersion?: number): Promise<boolean> {
    const res = await this.#db
      .deleteFrom('branches')
      .where('repo', '=', repo)
      .where('name', '=', name)
      .$if(expectedVersion !== undefined, (q) => q.where('version', '=', expectedVersion!))
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  // ---- staging ------------------------------------------------------------------------------

  async stage(repo: string, branch: string, changes: StagedChange[]): Promise<void> {
    // Last change per path wins; a fixed order makes concurrent writers lock rows in the same
    // order (no deadlocks in PostgreSQL) and keeps SQLite's b-tree appends sequential.
    const byPath = new Map<string, StagedChange>();
    for (const c of changes) byPath.set(c.path, c);
    const paths = [...byPath.keys()].sort();
    const chunk =
      this.dialect === 'postgres'
        ? PG_ARRAY_CHUNK
        : Math.floor(SQLITE_MAX_PARAMS / STAGING_COLUMNS);

    await this.#write(async (db) => {
      // FOR SHARE makes a concurrent seal (an UPDATE of this row) wait until these rows are
      // committed, or makes us read the token it installed. SQLite's write lock does the same.
      const b = await db
        .selectFrom('branches')
        .select('staging_token')
        .where('repo', '=', repo)
        .where('name', '=', branch)
        .$if(this.dialect === 'postgres', (q) => q.forShare())
        .executeTakeFirst();
      if (!b) throw new BranchNotFoundError(`branch ${branch} not found`, { branch });
      const token = b.staging_token;
      // SQLite: every full chunk compiles to the same SQL, so compile it once and bind rows
      // straight into it (Kysely's per-row compile was a third of the time of a bulk stage).
      let template: CompiledQuery | undefined;
      for (let i = 0; i < paths.length; i += chunk) {
        const rows = paths
          .slice(i, i + chunk)
          .map((p) => toStagingRow(repo, token, byPath.get(p)!));
        if (template && rows.length === chunk) {
          await db.executeQuery(CompiledQuery.raw(template.sql, stagingParams(rows)));
          continue;
        }
        const query = upsertStaging(db, this.dialect, rows).compile();
        if (this.dialect === 'sqlite' && rows.length === chunk && sameParams(query, rows)) {
          template = query;
        }
        await db.executeQuery(query);
      }
    });
  }

  async getStaged(repo: string, tokens: string[], path: string): Promise<StagedChange | undefined> {
    if (tokens.length === 0) return undefined;
    const rows = await this.#db
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
        const rows = await this.#db
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
    if (paths === undefined) return del(this.#db);
    if (paths.length === 0) return 0;
    return this.#write(async (db) => {
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
      const row = await this.#db
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

  // ---- commits ------------------------------------------------------------------------------

  async putCommit(repo: string, rec: CommitRecord): Promise<void> {
    await this.#db
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
    const row = await this.#db
      .selectFrom('commits')
      .selectAll()
      .where('repo', '=', repo)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toCommit(row);
  }

  async findCommitIds(repo: string, prefix: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.#db
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
      const rows = await this.#db
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
      await this.#db
        .deleteFrom('commits')
        .where('repo', '=', repo)
        .where('id', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
    }
  }

  // ---- tags ---------------------------------------------------------------------------------

  async createTag(repo: string, rec: TagRecord): Promise<void> {
    const row = await this.#db
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
        ? await this.#db
            .insertInto('aliases')
            .values({ repo, name, target, version: 1, updated_at: now })
            .onConflict((oc) => oc.columns(['repo', 'name']).doNothing())
            .returningAll()
            .executeTakeFirst()
        : await this.#db
            .updateTable('aliases')
            .set((eb) => ({ target, version: eb('version', '+', 1), updated_at: now }))
            .where('repo', '=', repo)
            .where('name', '=', name)
            .where('version', '=', expectedVersion)
            .returningAll()
            .executeTakeFirst();
    return row && toAlias(row);
  }

  async getTag(repo: string, name: string): Promise<TagRecord | undefined> {
    const row = await this.getNamed('tags', repo, name);
    return row && toTag(row as Selectable<Database['tags']>);
  }

  listTags(repo: string, opts: ListOptions = {}): AsyncIterable<TagRecord> {
    return this.listNamed('tags', repo, opts, (r) => toTag(r as Selectable<Database['tags']>));
  }

  deleteTag(repo: string, name: string): Promise<boolean> {
    return this.deleteNamed('tags', repo, name);
  }

  async getAlias(repo: string, name: string): Promise<AliasRecord | undefined> {
    const row = await this.getNamed('aliases', repo, name);
    return row && toAlias(row as Selectable<Database['aliases']>);
  }

  listAliases(repo: string, opts: ListOptions = {}): AsyncIterable<AliasRecord> {
    return this.listNamed('aliases', repo, opts, (r) =>
      toAlias(r as Selectable<Database['aliases']>),
    );
  }

  deleteAlias(repo: string, name: string): Promise<boolean> {
    return this.deleteNamed('aliases', repo, name);
  }

  // ---- quality history ----------------------------------------------------------------------

  async putCheckRun(
    repo: string,
    run: CheckRunRecord,
    results: CheckResultRecord[],
  ): Promise<void> {
    await this.#write(async (db) => {
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
      for (let i = 0; i < results.length; i += 500) {
        await db
          .insertInto('check_results')
          .values(
            results.slice(i, i + 500).map((r) => ({
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
    const rows = await this.#db
      .selectFrom('check_runs')
      .selectAll()
      .where('repo', '=', repo)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      commitId: r.commit_id,
      createdAt: new Date(Number(r.created_at)),
      status: r.status,
      data: r.data,
    }));
  }

  async listCheckResults(
    repo: string,
    opts: { table?: string; runId?: string; limit?: number },
  ): Promise<CheckResultRecord[]> {
    const rows = await this.#db
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
    return rows.map((r) => ({
      runId: r.run_id,
      checkId: r.check_id,
      table: r.table_name,
      commitId: r.commit_id,
      createdAt: new Date(Number(r.created_at)),
      status: r.status,
      data: r.data,
    }));
  }

  async putProfile(repo: string, rec: TableProfileRecord): Promise<void> {
    await this.#db
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

  async putMemo(repo: string, rec: BuildMemoRecord): Promise<void> {
    await this.#db
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
    const r = await this.#db
      .selectFrom('build_memo')
      .selectAll()
      .where('repo', '=', repo)
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
    return r
      ? { fingerprint: r.fingerprint, createdAt: new Date(Number(r.created_at)), data: r.data }
      : undefined;
  }

  // ---- event log ----------------------------------------------------------------------------

  async appendEvent(repo: string, ev: EventInput): Promise<EventRecord> {
    const time = ev.time ?? new Date();
    if (!Number.isFinite(time.getTime())) {
      throw new InvalidArgumentError(`event time is not a valid date`, {
        argument: 'time',
        reason: 'invalid date',
      });
    }
    const refs = JSON.stringify(ev.refs ?? {});
    const data = JSON.stringify(ev.data ?? {});
    return this.#write(async (db) => {
      // Bumping the sequence row locks it until this transaction ends, so concurrent appenders
      // queue here and commit in id order (SQLite's write lock does the same).
      const seq = await db
        .insertInto('event_sequences')
        .values({ repo, last_id: 1 })
        .onConflict((oc) =>
          oc
            .column('repo')
            .doUpdateSet((eb) => ({ last_id: eb('event_sequences.last_id', '+', 1) })),
        )
        .returning('last_id')
        .executeTakeFirstOrThrow();
      const row: EventsTable = {
        repo,
        id: Number(seq.last_id),
        occurred_at: time.getTime(),
        type: ev.type,
        actor: ev.actor,
        outcome: ev.outcome,
        refs,
        data,
      };
      await db.insertInto('events').values(row).execute();
      return toEvent(row);
    });
  }

  async *listEvents(repo: string, query: EventQuery = {}): AsyncGenerator<EventRecord> {
    const { since, until, types } = query;
    if (types?.length === 0) return;
    const desc = query.order === 'desc';
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    // Keyset pagination on the id: each page starts past the last id of the one before.
    let after = query.afterId;
    let before = query.beforeId;
    while (remaining > 0) {
      const n = Math.min(EVENT_PAGE, remaining);
      const rows = await this.#db
        .selectFrom('events')
        .selectAll()
        .where('repo', '=', repo)
        .$if(after !== undefined, (q) => q.where('id', '>', after as number))
        .$if(before !== undefined, (q) => q.where('id', '<', before as number))
        .$if(since !== undefined, (q) => q.where('occurred_at', '>=', (since as Date).getTime()))
        .$if(until !== undefined, (q) => q.where('occurred_at', '<', (until as Date).getTime()))
        .$if(types !== undefined, (q) => q.where('type', 'in', types as string[]))
        .orderBy('id', desc ? 'desc' : 'asc')
        .limit(n)
        .execute();
      for (const r of rows) yield toEvent(r);
      remaining -= rows.length;
      const last = rows.at(-1);
      if (rows.length < n || last === undefined) return;
      if (desc) before = Number(last.id);
      else after = Number(last.id);
    }
  }

  // ---- sandboxes ----------------------------------------------------------------------------

  async createSandbox(repo: string, rec: SandboxRecord): Promise<void> {
    const row = await this.#db
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
    const row = await this.getNamed('sandboxes', repo, name);
    return row && toSandbox(row as Selectable<Database['sandboxes']>);
  }

  listSandboxes(repo: string, opts: ListOptions = {}): AsyncIterable<SandboxRecord> {
    return this.listNamed('sandboxes', repo, opts, (r) =>
      toSandbox(r as Selectable<Database['sandboxes']>),
    );
  }

  deleteSandbox(repo: string, name: string): Promise<boolean> {
    return this.deleteNamed('sandboxes', repo, name);
  }

  async getProfiles(
    repo: string,
    table: string,
    commitIds: string[],
  ): Promise<TableProfileRecord[]> {
    const out: TableProfileRecord[] = [];
    for (let i = 0; i < commitIds.length; i += 500) {
      const rows = await this.#db
        .selectFrom('table_profiles')
        .selectAll()
        .where('repo', '=', repo)
        .where('table_name', '=', table)
        .where('commit_id', 'in', commitIds.slice(i, i + 500))
        .execute();
      for (const r of rows)
        out.push({
          table: r.table_name,
          commitId: r.commit_id,
          createdAt: new Date(Number(r.created_at)),
          data: r.data,
        });
    }
    return out;
  }

  // Tags, aliases and sandboxes are all (repo, name) → row tables read the same way.
  private getNamed(table: NamedTable, repo: string, name: string) {
    return this.#db
      .selectFrom(table)
      .selectAll()
      .where('repo', '=', repo)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  private listNamed<T>(
    table: NamedTable,
    repo: string,
    opts: ListOptions,
    map: (row: Selectable<Database[NamedTable]>) => T,
  ): AsyncIterable<T> {
    return paged(opts, PAGE, async (b, limit) => {
      const rows = await this.#db
        .selectFrom(table)
        .selectAll()
        .where('repo', '=', repo)
        .where(inRange('name', b))
        .orderBy('name')
        .limit(limit)
        .execute();
      return rows.map((r) => [r.name, map(r)]);
    });
  }

  private async deleteNamed(table: NamedTable, repo: string, name: string): Promise<boolean> {
    const res = await this.#db
      .deleteFrom(table)
      .where('repo', '=', repo)
      .where('name', '=', name)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}

type NamedTable = 'tags' | 'aliases' | 'sandboxes';

function toEvent(r: Selectable<EventsTable>): EventRecord {
  return {
    id: Number(r.id),
    time: new Date(Number(r.occurred_at)),
    type: r.type,
    actor: r.actor,
    outcome: r.outcome,
    refs: JSON.parse(r.refs) as Record<string, string>,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

// ---- helpers ----------------------------------------------------------------------------------

/** `column` within `b`, as one condition (TRUE when unbounded). */
function inRange(column: 'name' | 'path' | 'id', b: KeyBounds): Expression<SqlBool> {
  const ref = sql.ref(column);
  const conds = [];
  if (b.gte !== undefined) conds.push(sql`${ref} >= ${b.gte}`);
  if (b.gt !== undefined) conds.push(sql`${ref} > ${b.gt}`);
  if (b.lt !== undefined) conds.push(sql`${ref} < ${b.lt}`);
  return conds.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

/**
 * Keyset pagination: fetches pages of `[key, item]` in key order, each starting after the last
 * key of the previous one, until `opts.limit` items or the range is exhausted.
 */
async function* paged<T>(
  opts: ListOptions,
  pageSize: number,
  fetch: (bounds: KeyBounds, limit: number) => Promise<[string, T][]>,
): AsyncGenerator<T> {
  let bounds = keyBounds(opts);
  let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const n = Math.min(pageSize, remaining);
    const rows = await fetch(bounds, n);
    for (const [, item] of rows) yield item;
    remaining -= rows.length;
    const last = rows.at(-1);
    if (rows.length < n || last === undefined) return;
    bounds = { gt: last[0], ...(bounds.lt !== undefined && { lt: bounds.lt }) };
  }
}

/** INSERT … ON CONFLICT DO UPDATE of staging rows (all of one repo and token). */
function upsertStaging(db: Kysely<Database>, dialect: MetaDialect, rows: StagingTable[]) {
  const insert = db.insertInto('staging').columns(STAGING_COLUMN_NAMES);
  return (
    dialect === 'postgres' ? insert.expression(pgUnnest(rows)) : insert.values(rows)
  ).onConflict((oc) =>
    oc.columns(['repo', 'token', 'path']).doUpdateSet((eb) => ({
      address: eb.ref('excluded.address'),
      size: eb.ref('excluded.size'),
      checksum: eb.ref('excluded.checksum'),
      content_type: eb.ref('excluded.content_type'),
      metadata: eb.ref('excluded.metadata'),
      physical: eb.ref('excluded.physical'),
    })),
  );
}

/** The parameters of a multi-row VALUES insert of `rows`, in column order. */
function stagingParams(rows: StagingTable[]): unknown[] {
  const params: unknown[] = [];
  for (const r of rows) for (const c of STAGING_COLUMN_NAMES) params.push(r[c]);
  return params;
}

/** Checks the template's parameter layout before trusting it. */
function sameParams(query: CompiledQuery, rows: StagingTable[]): boolean {
  const mine = stagingParams(rows);
  return query.parameters.length === mine.length && mine.every((v, i) => query.parameters[i] === v);
}

/**
 * PostgreSQL row source for bulk staging: one array per column through unnest() is about twice
 * as fast as a multi-row VALUES list (which PostgreSQL parses and plans row by row).
 */
function pgUnnest(rows: StagingTable[]) {
  const col = <K extends keyof StagingTable>(k: K) => rows.map((r) => r[k]);
  const first = rows[0]!; // one repo and token per call
  return sql<StagingTable>`select ${first.repo}::text, ${first.token}::text, t.* from unnest(
    ${col('path')}::text[], ${col('address')}::text[], ${col('size')}::bigint[],
    ${col('checksum')}::text[], ${col('content_type')}::text[], ${col('metadata')}::text[],
    ${col('physical')}::text[]
  ) as t`;
}
