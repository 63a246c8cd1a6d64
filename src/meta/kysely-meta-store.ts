// The one MetaStore implementation, over Kysely, for SQLite and PostgreSQL alike: the composition
// of one implementation per role (kysely/*-store.ts) over a shared database handle (MetaDb).
// Dialect differences are confined to transactions (BEGIN IMMEDIATE vs SELECT … FOR SHARE), the
// row source of bulk staging inserts (VALUES vs unnest) and migrations; every other query is the
// same builder code for both.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { KyselyBranchMoveStore } from './kysely/branch-move-store.js';
import { KyselyBuildMemoStore } from './kysely/build-memo-store.js';
import { KyselyCommitRecordStore } from './kysely/commit-record-store.js';
import { KyselyEventStore } from './kysely/event-store.js';
import { KyselyIdentityStore } from './kysely/identity-store.js';
import { MetaDb } from './kysely/meta-db.js';
import { KyselyMultipartStore } from './kysely/multipart-store.js';
import { KyselyQualityHistoryStore } from './kysely/quality-history-store.js';
import { KyselyRefStore } from './kysely/ref-store.js';
import { KyselyRepositoryCatalog } from './kysely/repository-catalog.js';
import { KyselySandboxStore } from './kysely/sandbox-store.js';
import { KyselyServerRunStore } from './kysely/server-run-store.js';
import { KyselyStagingStore } from './kysely/staging-store.js';
import { type LeaseStore, processLeaseStore } from './lease-store.js';
import type {
  BranchMoveStore,
  BuildMemoStore,
  CommitRecordStore,
  EventStore,
  IdentityStore,
  MetaStore,
  MultipartStore,
  QualityHistoryStore,
  RefStore,
  RepositoryRecord,
  SandboxStore,
  ServerRunStore,
  StagingStore,
} from './meta-store.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database, MetaDialect } from './schema.js';

export interface KyselyMetaStoreOptions {
  /** Releases the database; defaults to `db.destroy()`. */
  close?: () => Promise<void>;
  /** Leader leases (PostgreSQL: advisory locks); default: held in this process only. */
  leases?: LeaseStore;
}

/**
 * Every role method delegates to its role's implementation (typed by the role's own signature),
 * so each method is declared once, in meta-store.ts, and implemented once, in kysely/.
 */
export class KyselyMetaStore implements MetaStore {
  readonly #m: MetaDb;
  readonly #close: () => Promise<void>;
  readonly #repos: KyselyRepositoryCatalog;
  readonly #refs: RefStore;
  readonly #staging: StagingStore;
  readonly #moves: BranchMoveStore;
  readonly #commits: CommitRecordStore;
  readonly #quality: QualityHistoryStore;
  readonly #memo: BuildMemoStore;
  readonly #events: EventStore;
  readonly #sandboxes: SandboxStore;
  readonly #identities: IdentityStore;
  readonly #leases: LeaseStore;
  readonly #runs: ServerRunStore;
  readonly #uploads: MultipartStore;

  constructor(
    db: Kysely<Database>,
    readonly dialect: MetaDialect,
    opts: KyselyMetaStoreOptions = {},
  ) {
    const m = new MetaDb(db, dialect);
    this.#m = m;
    this.#close = opts.close ?? (() => db.destroy());
    this.#repos = new KyselyRepositoryCatalog(m);
    this.#refs = new KyselyRefStore(m);
    this.#staging = new KyselyStagingStore(m);
    this.#moves = new KyselyBranchMoveStore(m);
    this.#commits = new KyselyCommitRecordStore(m);
    this.#quality = new KyselyQualityHistoryStore(m);
    this.#memo = new KyselyBuildMemoStore(m);
    this.#events = new KyselyEventStore(m);
    this.#sandboxes = new KyselySandboxStore(m);
    this.#identities = new KyselyIdentityStore(m);
    this.#leases = opts.leases ?? processLeaseStore(`store:${randomUUID()}`);
    this.#runs = new KyselyServerRunStore(m);
    this.#uploads = new KyselyMultipartStore(m);
  }

  // ---- lifecycle and repositories -------------------------------------------------------------

  migrate(): Promise<void> {
    return migrateToLatest(this.#m.db, this.dialect);
  }
  close(): Promise<void> {
    return this.#close();
  }
  createRepository(rec: RepositoryRecord): Promise<void> {
    return this.#repos.createRepository(rec);
  }
  getRepository(name: string): Promise<RepositoryRecord | undefined> {
    return this.#repos.getRepository(name);
  }
  listRepositories(): Promise<RepositoryRecord[]> {
    return this.#repos.listRepositories();
  }
  deleteRepository(name: string): Promise<void> {
    return this.#repos.deleteRepository(name);
  }

  // ---- RefStore -------------------------------------------------------------------------------

  createBranch(...a: Parameters<RefStore['createBranch']>) {
    return this.#refs.createBranch(...a);
  }
  getBranch(...a: Parameters<RefStore['getBranch']>) {
    return this.#refs.getBranch(...a);
  }
  listBranches(...a: Parameters<RefStore['listBranches']>) {
    return this.#refs.listBranches(...a);
  }
  updateBranch(...a: Parameters<RefStore['updateBranch']>) {
    return this.#refs.updateBranch(...a);
  }
  deleteBranch(...a: Parameters<RefStore['deleteBranch']>) {
    return this.#refs.deleteBranch(...a);
  }
  createTag(...a: Parameters<RefStore['createTag']>) {
    return this.#refs.createTag(...a);
  }
  getTag(...a: Parameters<RefStore['getTag']>) {
    return this.#refs.getTag(...a);
  }
  listTags(...a: Parameters<RefStore['listTags']>) {
    return this.#refs.listTags(...a);
  }
  deleteTag(...a: Parameters<RefStore['deleteTag']>) {
    return this.#refs.deleteTag(...a);
  }
  setAlias(...a: Parameters<RefStore['setAlias']>) {
    return this.#refs.setAlias(...a);
  }
  getAlias(...a: Parameters<RefStore['getAlias']>) {
    return this.#refs.getAlias(...a);
  }
  listAliases(...a: Parameters<RefStore['listAliases']>) {
    return this.#refs.listAliases(...a);
  }
  deleteAlias(...a: Parameters<RefStore['deleteAlias']>) {
    return this.#refs.deleteAlias(...a);
  }

  // ---- StagingStore ---------------------------------------------------------------------------

  stage(...a: Parameters<StagingStore['stage']>) {
    return this.#staging.stage(...a);
  }
  stageIfAbsent(...a: Parameters<StagingStore['stageIfAbsent']>) {
    return this.#staging.stageIfAbsent(...a);
  }
  getStaged(...a: Parameters<StagingStore['getStaged']>) {
    return this.#staging.getStaged(...a);
  }
  listStaged(...a: Parameters<StagingStore['listStaged']>) {
    return this.#staging.listStaged(...a);
  }
  clearStaging(...a: Parameters<StagingStore['clearStaging']>) {
    return this.#staging.clearStaging(...a);
  }
  listStagingTokens(...a: Parameters<StagingStore['listStagingTokens']>) {
    return this.#staging.listStagingTokens(...a);
  }

  // ---- BranchMoveStore ------------------------------------------------------------------------

  moveBranch(...a: Parameters<BranchMoveStore['moveBranch']>) {
    return this.#moves.moveBranch(...a);
  }
  getIdempotencyKey(...a: Parameters<BranchMoveStore['getIdempotencyKey']>) {
    return this.#moves.getIdempotencyKey(...a);
  }

  // ---- CommitRecordStore ----------------------------------------------------------------------

  putCommit(...a: Parameters<CommitRecordStore['putCommit']>) {
    return this.#commits.putCommit(...a);
  }
  getCommit(...a: Parameters<CommitRecordStore['getCommit']>) {
    return this.#commits.getCommit(...a);
  }
  findCommitIds(...a: Parameters<CommitRecordStore['findCommitIds']>) {
    return this.#commits.findCommitIds(...a);
  }
  listCommits(...a: Parameters<CommitRecordStore['listCommits']>) {
    return this.#commits.listCommits(...a);
  }
  deleteCommits(...a: Parameters<CommitRecordStore['deleteCommits']>) {
    return this.#commits.deleteCommits(...a);
  }

  // ---- QualityHistoryStore --------------------------------------------------------------------

  putCheckRun(...a: Parameters<QualityHistoryStore['putCheckRun']>) {
    return this.#quality.putCheckRun(...a);
  }
  listCheckRuns(...a: Parameters<QualityHistoryStore['listCheckRuns']>) {
    return this.#quality.listCheckRuns(...a);
  }
  listCheckResults(...a: Parameters<QualityHistoryStore['listCheckResults']>) {
    return this.#quality.listCheckResults(...a);
  }
  putProfile(...a: Parameters<QualityHistoryStore['putProfile']>) {
    return this.#quality.putProfile(...a);
  }
  getProfiles(...a: Parameters<QualityHistoryStore['getProfiles']>) {
    return this.#quality.getProfiles(...a);
  }

  // ---- BuildMemoStore, EventStore, SandboxStore -----------------------------------------------

  putMemo(...a: Parameters<BuildMemoStore['putMemo']>) {
    return this.#memo.putMemo(...a);
  }
  getMemo(...a: Parameters<BuildMemoStore['getMemo']>) {
    return this.#memo.getMemo(...a);
  }
  appendEvent(...a: Parameters<EventStore['appendEvent']>) {
    return this.#events.appendEvent(...a);
  }
  listEvents(...a: Parameters<EventStore['listEvents']>) {
    return this.#events.listEvents(...a);
  }
  createSandbox(...a: Parameters<SandboxStore['createSandbox']>) {
    return this.#sandboxes.createSandbox(...a);
  }
  getSandbox(...a: Parameters<SandboxStore['getSandbox']>) {
    return this.#sandboxes.getSandbox(...a);
  }
  listSandboxes(...a: Parameters<SandboxStore['listSandboxes']>) {
    return this.#sandboxes.listSandboxes(...a);
  }
  deleteSandbox(...a: Parameters<SandboxStore['deleteSandbox']>) {
    return this.#sandboxes.deleteSandbox(...a);
  }

  // ---- IdentityStore (global to the database) ---------------------------------------------

  createUser(...a: Parameters<IdentityStore['createUser']>) {
    return this.#identities.createUser(...a);
  }
  getUser(...a: Parameters<IdentityStore['getUser']>) {
    return this.#identities.getUser(...a);
  }
  listUsers(...a: Parameters<IdentityStore['listUsers']>) {
    return this.#identities.listUsers(...a);
  }
  deleteUser(...a: Parameters<IdentityStore['deleteUser']>) {
    return this.#identities.deleteUser(...a);
  }
  setPassword(...a: Parameters<IdentityStore['setPassword']>) {
    return this.#identities.setPassword(...a);
  }
  createGroup(...a: Parameters<IdentityStore['createGroup']>) {
    return this.#identities.createGroup(...a);
  }
  getGroup(...a: Parameters<IdentityStore['getGroup']>) {
    return this.#identities.getGroup(...a);
  }
  listGroups(...a: Parameters<IdentityStore['listGroups']>) {
    return this.#identities.listGroups(...a);
  }
  deleteGroup(...a: Parameters<IdentityStore['deleteGroup']>) {
    return this.#identities.deleteGroup(...a);
  }
  addMember(...a: Parameters<IdentityStore['addMember']>) {
    return this.#identities.addMember(...a);
  }
  removeMember(...a: Parameters<IdentityStore['removeMember']>) {
    return this.#identities.removeMember(...a);
  }
  groupsOf(...a: Parameters<IdentityStore['groupsOf']>) {
    return this.#identities.groupsOf(...a);
  }
  membersOf(...a: Parameters<IdentityStore['membersOf']>) {
    return this.#identities.membersOf(...a);
  }
  putPolicy(...a: Parameters<IdentityStore['putPolicy']>) {
    return this.#identities.putPolicy(...a);
  }
  getPolicy(...a: Parameters<IdentityStore['getPolicy']>) {
    return this.#identities.getPolicy(...a);
  }
  listPolicies(...a: Parameters<IdentityStore['listPolicies']>) {
    return this.#identities.listPolicies(...a);
  }
  deletePolicy(...a: Parameters<IdentityStore['deletePolicy']>) {
    return this.#identities.deletePolicy(...a);
  }
  attachPolicy(...a: Parameters<IdentityStore['attachPolicy']>) {
    return this.#identities.attachPolicy(...a);
  }
  detachPolicy(...a: Parameters<IdentityStore['detachPolicy']>) {
    return this.#identities.detachPolicy(...a);
  }
  policiesOf(...a: Parameters<IdentityStore['policiesOf']>) {
    return this.#identities.policiesOf(...a);
  }
  createAccessKey(...a: Parameters<IdentityStore['createAccessKey']>) {
    return this.#identities.createAccessKey(...a);
  }
  getAccessKey(...a: Parameters<IdentityStore['getAccessKey']>) {
    return this.#identities.getAccessKey(...a);
  }
  listAccessKeys(...a: Parameters<IdentityStore['listAccessKeys']>) {
    return this.#identities.listAccessKeys(...a);
  }
  deleteAccessKey(...a: Parameters<IdentityStore['deleteAccessKey']>) {
    return this.#identities.deleteAccessKey(...a);
  }

  // ---- LeaseStore -----------------------------------------------------------------------------

  tryLead(...a: Parameters<LeaseStore['tryLead']>) {
    return this.#leases.tryLead(...a);
  }

  // ---- ServerRunStore -------------------------------------------------------------------------

  createServerRun(...a: Parameters<ServerRunStore['createServerRun']>) {
    return this.#runs.createServerRun(...a);
  }
  getServerRun(...a: Parameters<ServerRunStore['getServerRun']>) {
    return this.#runs.getServerRun(...a);
  }
  listServerRuns(...a: Parameters<ServerRunStore['listServerRuns']>) {
    return this.#runs.listServerRuns(...a);
  }
  updateServerRun(...a: Parameters<ServerRunStore['updateServerRun']>) {
    return this.#runs.updateServerRun(...a);
  }
  appendServerRunLog(...a: Parameters<ServerRunStore['appendServerRunLog']>) {
    return this.#runs.appendServerRunLog(...a);
  }
  listServerRunLog(...a: Parameters<ServerRunStore['listServerRunLog']>) {
    return this.#runs.listServerRunLog(...a);
  }

  // ---- MultipartStore -------------------------------------------------------------------------

  createUpload(...a: Parameters<MultipartStore['createUpload']>) {
    return this.#uploads.createUpload(...a);
  }
  getUpload(...a: Parameters<MultipartStore['getUpload']>) {
    return this.#uploads.getUpload(...a);
  }
  listUploads(...a: Parameters<MultipartStore['listUploads']>) {
    return this.#uploads.listUploads(...a);
  }
  putUploadPart(...a: Parameters<MultipartStore['putUploadPart']>) {
    return this.#uploads.putUploadPart(...a);
  }
  listUploadParts(...a: Parameters<MultipartStore['listUploadParts']>) {
    return this.#uploads.listUploadParts(...a);
  }
  deleteUpload(...a: Parameters<MultipartStore['deleteUpload']>) {
    return this.#uploads.deleteUpload(...a);
  }
}
