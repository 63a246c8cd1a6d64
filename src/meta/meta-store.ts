// MetaStore: the small mutable state of repositories (branches, staging, commits, tags, aliases,
// and the quality, build, event and sandbox records of the layers above), with compare-and-swap
// where refs move. It is declared as role interfaces, one per kind of state, so that a consumer
// asks only for the role it uses (lakeFS's graveler composes RefManager, StagingManager and
// CommittedManager the same way); MetaStore is their composition, implemented once over Kysely.
// Records are plain strings here; core brands them. The identity records (users, groups,
// policies, access keys; issue 15) are global to the database, declared in identity-store.ts.
import type { IdentityStore } from './identity-store.js';
import type { LeaseStore } from './lease-store.js';
import type { MultipartStore } from './multipart-store.js';

export type * from './identity-store.js';
export type { Lease, LeaseStore } from './lease-store.js';
export type * from './multipart-store.js';

export interface RepositoryRecord {
  name: string;
  storageUri: string;
  defaultBranch: string;
  createdAt: Date;
}

export interface BranchRecord {
  name: string;
  /** Head commit id. */
  head: string;
  /** Token new writes go to. */
  stagingToken: string;
  /** Tokens sealed by commits in flight, newest first; still read through until a commit lands. */
  sealedTokens: string[];
  /** Incremented by every successful updateBranch: the compare-and-swap token. */
  version: number;
  createdAt: Date;
}

/** What a staged path holds: an entry, or `null` for a tombstone (a delete). */
export interface StagedValue {
  address: string;
  size: number;
  checksum: string;
  contentType: string;
  metadata: Record<string, string>;
  /** Where the bytes are when not under the address's own key (e.g. `pack:<id>:<offset>`). */
  physical?: string;
  /** The S3 ETag the writer knew (see core/entry.ts). */
  etag?: string;
  /** Checksums the writer sent, by algorithm, base64. */
  checksums?: Record<string, string>;
  /** An imported object's location and what it was at import. */
  external?: { uri: string; etag?: string; mtimeMs?: number };
  /** When the writer wrote it (ms), for S3 clients' Last-Modified. */
  mtime?: number;
}

export type StageIfAbsentResult =
  | { staged: true }
  | { staged: false; reason: 'exists'; path: string }
  | { staged: false; reason: 'moved' };

export interface StagedChange {
  path: string;
  value: StagedValue | null;
}

export interface CommitRecord {
  id: string;
  /** 1 + the highest parent generation (root commits have 1); speeds up merge-base search. */
  generation: number;
  createdAt: Date;
  /** Canonical bytes; core decodes them and verifies the id. */
  data: Uint8Array;
}

export interface TagRecord {
  name: string;
  commitId: string;
  createdAt: Date;
}

export interface AliasRecord {
  name: string;
  /** Branch name the alias points at. */
  target: string;
  version: number;
  updatedAt: Date;
}

export interface BranchPatch {
  head?: string;
  stagingToken?: string;
  sealedTokens?: string[];
}

export interface ListOptions {
  prefix?: string;
  /** Exclusive lower bound on the key (path or name). */
  after?: string;
  limit?: number;
}

/** A stored check run (issue 4). `data` is JSON owned by the quality layer. */
export interface CheckRunRecord {
  id: string;
  ref: string;
  commitId: string;
  createdAt: Date;
  status: string;
  data: string;
}

export interface CheckResultRecord {
  runId: string;
  checkId: string;
  table: string;
  commitId: string;
  createdAt: Date;
  status: string;
  data: string;
}

export interface TableProfileRecord {
  table: string;
  commitId: string;
  createdAt: Date;
  data: string;
}

export interface BuildMemoRecord {
  fingerprint: string;
  createdAt: Date;
  data: string;
}

/** An event to append to the log (issue 6). `refs` and `data` are owned by the workflow layer. */
export interface EventInput {
  /** When it happened; defaults to the time of the append. */
  time?: Date;
  /** What happened: `load`, `check`, `merge`, `build`, `promote`, `deploy`, `rollback`, `alert` … */
  type: string;
  /** Who did it (a user, a scheduler, a service account). */
  actor: string;
  /** `success`, `failure`, … */
  outcome: string;
  /** The names it concerns: branch, commit, run id, environment … */
  refs?: Record<string, string>;
  /** Anything else, as JSON (values JSON cannot hold, such as undefined, are dropped). */
  data?: Record<string, unknown>;
}

/** A stored event: what was appended, with the id and time the store gave it. */
export interface EventRecord {
  /** 1, 2, 3 … per repository, in the order the appends committed, without gaps. */
  id: number;
  time: Date;
  type: string;
  actor: string;
  outcome: string;
  refs: Record<string, string>;
  data: Record<string, unknown>;
}

export interface EventQuery {
  /** Only events at or after this time. */
  since?: Date;
  /** Only events before this time. */
  until?: Date;
  /** Only events of these types (an empty list matches none). */
  types?: string[];
  /** Only events by this actor. */
  actor?: string;
  /** Only events with a greater id (a cursor for tailing the log). */
  afterId?: number;
  /** Only events with a smaller id. */
  beforeId?: number;
  limit?: number;
  /** `desc` lists newest (highest id) first; default `asc`. */
  order?: 'asc' | 'desc';
}

/**
 * A sandbox (issue 6): the branch that holds its data plus what the branch cannot say — who made
 * it, from which ref and commit, and when it expires. The workflow layer owns the naming.
 */
export interface SandboxRecord {
  name: string;
  /** The branch holding its data (`sandbox/<name>`). */
  branch: string;
  createdAt: Date;
  /** Null: it never expires. */
  expiresAt: Date | null;
  owner: string;
  /** The ref it was created from, as given (`main`, `v1`, `main~2` …). */
  fromRef: string;
  /** The commit that ref named at creation. */
  fromCommit: string;
  /** Readable only by its owner and admins (the server's permission check, issue 15). */
  private: boolean;
}

/**
 * Refs: branches, tags and aliases of a repository, in one namespace the engine keeps disjoint.
 * Invariants: a branch's `version` is its compare-and-swap token — `updateBranch` (and a
 * versioned `deleteBranch`) apply only at the expected version and bump it by one; `setAlias` is
 * compare-and-swap on the alias's version (null: must not exist yet). Names list in byte order
 * (SQLite BINARY, PostgreSQL `COLLATE "C"`).
 */
export interface RefStore {
  /** Creates a branch with version 1. RefAlreadyExistsError if the branch exists. */
  createBranch(repo: string, rec: Omit<BranchRecord, 'version'>): Promise<BranchRecord>;
  getBranch(repo: string, name: string): Promise<BranchRecord | undefined>;
  listBranches(repo: string, opts?: ListOptions): AsyncIterable<BranchRecord>;
  /** Compare-and-swap: applies `patch` only if the branch's version is `expectedVersion`. */
  updateBranch(
    repo: string,
    name: string,
    expectedVersion: number,
    patch: BranchPatch,
  ): Promise<BranchRecord | undefined>;
  /** Deletes the branch (only at `expectedVersion` when given); false when nothing was deleted. */
  deleteBranch(repo: string, name: string, expectedVersion?: number): Promise<boolean>;

  createTag(repo: string, rec: TagRecord): Promise<void>; // RefAlreadyExistsError
  getTag(repo: string, name: string): Promise<TagRecord | undefined>;
  listTags(repo: string, opts?: ListOptions): AsyncIterable<TagRecord>;
  deleteTag(repo: string, name: string): Promise<boolean>;

  /**
   * Compare-and-swap on an alias: `expectedVersion` null means "must not exist yet". Returns the
   * new record, or undefined when the expectation did not hold.
   */
  setAlias(
    repo: string,
    name: string,
    target: string,
    expectedVersion: number | null,
  ): Promise<AliasRecord | undefined>;
  getAlias(repo: string, name: string): Promise<AliasRecord | undefined>;
  listAliases(repo: string, opts?: ListOptions): AsyncIterable<AliasRecord>;
  deleteAlias(repo: string, name: string): Promise<boolean>;
}

/**
 * Staging: the uncommitted changes of branches, as rows keyed by (staging token, path).
 * Invariants: `stage()` writes into the branch's current token atomically with respect to a seal
 * (an `updateBranch` that swaps the token), so no write lands in a token once it is sealed;
 * reads over several tokens let the earliest token win; paths list in byte order.
 */
export interface StagingStore {
  /**
   * Writes changes into the branch's *current* staging token, all or nothing. Reading the token
   * and writing the rows is atomic with respect to updateBranch (a commit sealing the token
   * either sees these rows or they land in the new token). BranchNotFoundError if missing.
   */
  stage(repo: string, branch: string, changes: StagedChange[]): Promise<void>;
  /**
   * Like stage, but only when none of the paths `changes` writes holds an entry on the branch
   * (S3 `If-None-Match: *`), checked and written in one transaction that holds the branch row
   * against every other stage and seal. A path holds an entry when its first staged row in the
   * branch's tokens is not a tombstone, or, when none is staged, when it is in `committed` (the
   * caller's reading of the tree at `head`). When the branch's head is no longer `head`, nothing
   * is written and the answer is `moved`: read the tree again and retry.
   */
  stageIfAbsent(
    repo: string,
    branch: string,
    changes: StagedChange[],
    guard: { head: string; committed: readonly string[] },
  ): Promise<StageIfAbsentResult>;
  /** The change for `path` in the first of `tokens` that has one. */
  getStaged(repo: string, tokens: string[], path: string): Promise<StagedChange | undefined>;
  /** Changes in `tokens`, sorted by path; for a path in several tokens the earliest token wins. */
  listStaged(repo: string, tokens: string[], opts?: ListOptions): AsyncIterable<StagedChange>;
  /** Deletes staged rows of `tokens` (only paths under `prefix`, or exactly `paths`, when given). */
  clearStaging(
    repo: string,
    tokens: string[],
    opts?: { prefix?: string; paths?: string[] },
  ): Promise<number>;
  /** Every token that has at least one staged row. */
  listStagingTokens(repo: string): Promise<string[]>;
}

/**
 * Commit records: canonical commit bytes by id. Invariants: a commit never changes — inserting
 * an existing id is a no-op, so the first bytes stored win; core verifies the id on every read.
 * Ids list in byte order. Only garbage collection deletes.
 */
export interface CommitRecordStore {
  /** Inserts a commit; inserting an existing id is a no-op. */
  putCommit(repo: string, rec: CommitRecord): Promise<void>;
  getCommit(repo: string, id: string): Promise<CommitRecord | undefined>;
  /** Ids starting with `prefix`, at most `limit`. */
  findCommitIds(repo: string, prefix: string, limit: number): Promise<string[]>;
  listCommits(repo: string): AsyncIterable<CommitRecord>;
  deleteCommits(repo: string, ids: string[]): Promise<void>;
}

/**
 * Quality history (issue 4): check runs with their results, and table profiles. A run and its
 * results are stored in one transaction (all or nothing); a profile is one per (table, commit),
 * replaced when stored again. Listings are newest first.
 */
export interface QualityHistoryStore {
  putCheckRun(repo: string, run: CheckRunRecord, results: CheckResultRecord[]): Promise<void>;
  /** Runs, newest first. */
  listCheckRuns(repo: string, opts?: { limit?: number }): Promise<CheckRunRecord[]>;
  /** Results of one table (or one run), newest first. */
  listCheckResults(
    repo: string,
    opts: { table?: string; runId?: string; limit?: number },
  ): Promise<CheckResultRecord[]>;
  /** Stores a table's profile at a commit (replacing one stored before). */
  putProfile(repo: string, rec: TableProfileRecord): Promise<void>;
  /** The stored profiles of a table at the given commits (those that have one). */
  getProfiles(repo: string, table: string, commitIds: string[]): Promise<TableProfileRecord[]>;
}

/** Pipeline memoization: what a model built, by fingerprint (one record, last write wins). */
export interface BuildMemoStore {
  /** Records what a fingerprint built (replacing a record stored before). */
  putMemo(repo: string, rec: BuildMemoRecord): Promise<void>;
  getMemo(repo: string, fingerprint: string): Promise<BuildMemoRecord | undefined>;
}

/**
 * The event log (issue 6). Invariant: append-only — there is no update or delete short of
 * deleteRepository — and ids are 1, 2, 3 … per repository, without gaps, visible in id order.
 */
export interface EventStore {
  /**
   * Appends an event and returns it with its id: the next of the repository's sequence, safe
   * from any number of processes at once (none lost, none duplicated, ids visible in order).
   */
  appendEvent(repo: string, ev: EventInput): Promise<EventRecord>;
  /** Events matching `query`, in id order (the order they were appended). */
  listEvents(repo: string, query?: EventQuery): AsyncIterable<EventRecord>;
}

/**
 * Sandboxes (issue 6): one record per name; the branch itself is an ordinary branch the record
 * never touches. Names list in byte order.
 */
export interface SandboxStore {
  /** Stores a new sandbox record. RefAlreadyExistsError (kind `sandbox`) if the name is taken. */
  createSandbox(repo: string, rec: SandboxRecord): Promise<void>;
  getSandbox(repo: string, name: string): Promise<SandboxRecord | undefined>;
  /** Sandbox records in byte order of their names. */
  listSandboxes(repo: string, opts?: ListOptions): AsyncIterable<SandboxRecord>;
  /** Deletes the record (not its branch); false when there was none. */
  deleteSandbox(repo: string, name: string): Promise<boolean>;
}

/**
 * An idempotency key as recorded with the branch move that applied its request (migration 007):
 * what the request was, the branch and commit it moved, and its result. Keys are per repository.
 */
export interface IdempotencyRecord {
  key: string;
  /** What the request was, as the layer above words it; the key is for this request only. */
  request: string;
  branch: string;
  /** The commit the move made the branch's head. */
  commitId: string;
  createdAt: Date;
  /** The request's result, as JSON owned by the layer above. */
  data: string;
}

/** One branch move: the compare-and-swap and what goes with it, in one transaction. */
export interface BranchMove {
  patch: BranchPatch;
  /**
   * Staged changes the move commits, dropped with it: each path's rows in the branch's sealed
   * tokens, and its row in the current token only while that still holds the committed value (a
   * write staged after the commit read the row stays staged).
   */
  committed?: StagedChange[];
  /**
   * The key of the request the move applies, recorded with it. When the key is recorded already,
   * nothing changes (not the branch, not the staging rows) and that record is returned.
   */
  idempotency?: IdempotencyRecord;
}

/** What a move did: moved the branch, found its key taken, or neither (a stale version). */
export interface BranchMoveResult {
  moved?: BranchRecord;
  taken?: IdempotencyRecord;
}

/**
 * Branch moves that carry more than a head (issue 14): a compare-and-swap of the branch together
 * with the staged rows it commits and the idempotency key of the request it applies, all or
 * nothing. Invariants: a key is recorded only with the move that applied it, so a key is never
 * left claimed by a writer that died, and of concurrent moves with one key at most one applies.
 */
export interface BranchMoveStore {
  /** Like updateBranch (compare-and-swap at `expectedVersion`), plus what `move` carries. */
  moveBranch(
    repo: string,
    name: string,
    expectedVersion: number,
    move: BranchMove,
  ): Promise<BranchMoveResult>;
  getIdempotencyKey(repo: string, key: string): Promise<IdempotencyRecord | undefined>;
}

/** Where a long operation the server started stands (`lost`: its process stopped heartbeating). */
export type ServerRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'lost';

/**
 * A long operation the server runs for a request (issue 15): a check run, build, load, promote,
 * deploy or rollback. The process that accepted the request runs it and writes this record; any
 * replica reads it. JSON fields are owned by the server.
 */
export interface ServerRunRecord {
  id: string;
  /** `check`, `build`, `load`, `promote`, `deploy`, `rollback` … */
  kind: string;
  status: ServerRunStatus;
  /** Who asked for it. */
  actor: string;
  createdAt: Date;
  /** The last write or heartbeat of the process running it. */
  updatedAt: Date;
  /** JSON: the request as accepted. */
  request: string;
  /** JSON: the operation's document, once it has one. */
  result: string | null;
  /** JSON: the error document, when it threw. */
  error: string | null;
  /** The exit code the CLI gives the same outcome, once finished. */
  exitCode: number | null;
}

/** What a finished or progressing run changes of its record. */
export interface ServerRunPatch {
  status?: ServerRunStatus;
  updatedAt: Date;
  result?: string | null;
  error?: string | null;
  exitCode?: number | null;
}

/** One line of a run's log: `seq` is 1, 2, 3 … per run, in the order they were appended. */
export interface ServerRunLogLine {
  seq: number;
  time: Date;
  line: string;
}

/**
 * The server's long-running operations (issue 15): a record per run and its append-only log, so
 * that every replica sees a run another started. Invariants: a run in a final state (succeeded,
 * failed, lost) never changes again; log lines are numbered 1, 2, 3 … per run without gaps and
 * never change. Runs list newest first (ids sort by start time).
 */
export interface ServerRunStore {
  /** Stores a new run. RefAlreadyExistsError (kind `run`) if the id is taken. */
  createServerRun(repo: string, rec: ServerRunRecord): Promise<void>;
  getServerRun(repo: string, id: string): Promise<ServerRunRecord | undefined>;
  /** Runs newest first, of one kind when given, with ids before `before` when given. */
  listServerRuns(
    repo: string,
    opts?: { kind?: string; before?: string; limit?: number },
  ): Promise<ServerRunRecord[]>;
  /**
   * Applies `patch` while the run is still queued or running; false (nothing changed) when it is
   * finished or unknown.
   */
  updateServerRun(repo: string, id: string, patch: ServerRunPatch): Promise<boolean>;
  /** Appends lines to a run's log; returns the seq of the last one (0 when none were given). */
  appendServerRunLog(
    repo: string,
    id: string,
    lines: readonly { time: Date; line: string }[],
  ): Promise<number>;
  /** Log lines with seq greater than `after` (default 0), in seq order, at most `limit`. */
  listServerRunLog(
    repo: string,
    id: string,
    opts?: { after?: number; limit?: number },
  ): Promise<ServerRunLogLine[]>;
}

/**
 * The whole metadata store: every role, plus its lifecycle (dialect, migrations, close) and the
 * repositories that scope every other record.
 */
export interface MetaStore
  extends RefStore,
    IdentityStore,
    StagingStore,
    BranchMoveStore,
    CommitRecordStore,
    QualityHistoryStore,
    BuildMemoStore,
    EventStore,
    SandboxStore,
    LeaseStore,
    ServerRunStore,
    MultipartStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call on every open and concurrently. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  createRepository(rec: RepositoryRecord): Promise<void>; // RepositoryAlreadyExistsError
  getRepository(name: string): Promise<RepositoryRecord | undefined>;
  listRepositories(): Promise<RepositoryRecord[]>;
  /** Removes a repository and every row that belongs to it, in every role. */
  deleteRepository(name: string): Promise<void>;
}
