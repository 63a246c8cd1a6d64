// The versioning engine's public face: one repository over an ObjectStore and a MetaStore.
// Every operation validates its input first and changes nothing when it fails. The class is thin:
// each concern lives in its own module — refs in ref-ops.ts, writes in write-ops.ts, reads in
// read-ops.ts, commits in commit-op.ts, merges in merge-op.ts, revert and cherry-pick in
// replay-op.ts — and each method hands that module the context and the write-policy check.
import type { Readable } from 'node:stream';
import { RepositoryNotFoundError } from '../common/errors.js';
import { parseBranchName } from '../common/ids.js';
import type { AliasRecord, IdempotencyRecord, MetaStore, TagRecord } from '../meta/meta-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Commit } from './commit-codec.js';
import { type CommitOptions, commitBranch, newStagingToken } from './commit-op.js';
import { makeContext, type RepoContext } from './context.js';
import type { Change, TreeEntry } from './entry.js';
import { type FsckOptions, type FsckReport, fsck } from './fsck.js';
import { collectGarbage, type GcOptions, type GcReport } from './gc.js';
import { spoolDirFor } from './hashing-spool.js';
import { findApplied, type IdempotencyClaim } from './idempotency.js';
import { type MergeOptions, type MergeResult, mergeIntoBranch } from './merge-op.js';
import { type CompletedPart, type CompleteOptions, completeUpload } from './multipart-complete.js';
import type {
  CreateUploadOptions,
  ListUploadsOptions,
  MultipartUpload,
  PartOptions,
  UploadedPart,
} from './multipart-op.js';
import * as multipart from './multipart-op.js';
import { EMPTY_TREE_ID } from './node-codec.js';
import type { Body, HashedBody } from './object-io.js';
import { type CommitOutcome, commitPaths } from './path-commit.js';
import type { ListItem } from './read-ops.js';
import * as reads from './read-ops.js';
import type { BranchInfo } from './ref-ops.js';
import * as refOps from './ref-ops.js';
import { type ResolvedRef, resolveBranch, resolveRef } from './refs.js';
import { type ReplayOptions, replay } from './replay-op.js';
import type { PutItem, PutObjectsOptions } from './write-ops.js';
import * as writes from './write-ops.js';
import type { HeadMove, WriteGuard, WritePolicy } from './write-policy.js';

export type { IdempotencyRecord } from '../meta/meta-store.js';
export type { IdempotencyClaim } from './idempotency.js';
export type { MergeOptions, MergeResult } from './merge-op.js';
export type { CompletedPart, CompleteOptions } from './multipart-complete.js';
export type {
  CreateUploadOptions,
  ListUploadsOptions,
  MultipartUpload,
  PartOptions,
  UploadedPart,
} from './multipart-op.js';
export type { Body, HashedBody } from './object-io.js';
export type { CommitOutcome } from './path-commit.js';
export type { ListItem } from './read-ops.js';
export type { BranchInfo } from './ref-ops.js';
export type { Progress, PutItem, PutObjectsOptions } from './write-ops.js';
export type { HeadMove, WriteDetail, WriteOp, WritePolicy } from './write-policy.js';

export interface RepositoryOptions {
  committer?: string;
}

export class Repository {
  private policy: WritePolicy | undefined;
  /** Every write to a branch, and every head move, passes through here (see WritePolicy). */
  private readonly guard: WriteGuard = Object.assign(
    async (...args: Parameters<WritePolicy['check']>) => {
      await this.policy?.check(...args);
    },
    { move: async (m: HeadMove) => this.policy?.checkMove?.(m) },
  );

  private constructor(readonly ctx: RepoContext) {}

  /** Installs (or removes) the policy every write to a branch is checked against. */
  setWritePolicy(policy: WritePolicy | undefined): void {
    this.policy = policy;
  }

  get name(): string {
    return this.ctx.repo;
  }
  get defaultBranch(): string {
    return this.ctx.defaultBranch;
  }
  get meta(): MetaStore {
    return this.ctx.meta;
  }
  get store(): ObjectStore {
    return this.ctx.store;
  }

  /** Creates a repository: a root commit with an empty tree, and the default branch on it. */
  static async init(
    meta: MetaStore,
    store: ObjectStore,
    opts: { name: string; defaultBranch?: string } & RepositoryOptions,
  ): Promise<Repository> {
    const defaultBranch = parseBranchName(opts.defaultBranch ?? 'main');
    await meta.createRepository({
      name: opts.name,
      storageUri: store.uri,
      defaultBranch,
      createdAt: new Date(),
    });
    const repo = new Repository(
      makeContext(meta, store, opts.name, defaultBranch, committerOf(opts)),
    );
    const root = await repo.ctx.commits.put({
      tree: EMPTY_TREE_ID,
      parents: [],
      message: 'Repository created',
      committer: repo.ctx.committer,
      createdAt: new Date(),
      metadata: {},
      generation: 1,
    });
    await meta.createBranch(opts.name, {
      name: defaultBranch,
      head: root.id,
      stagingToken: newStagingToken(),
      sealedTokens: [],
      createdAt: new Date(),
    });
    return repo;
  }

  static async open(
    meta: MetaStore,
    store: ObjectStore,
    name: string,
    opts: RepositoryOptions = {},
  ): Promise<Repository> {
    const rec = await meta.getRepository(name);
    if (!rec)
      throw new RepositoryNotFoundError(`repository ${name} not found`, { repository: name });
    return new Repository(makeContext(meta, store, name, rec.defaultBranch, committerOf(opts)));
  }

  async close(): Promise<void> {
    await this.ctx.meta.close();
    await this.ctx.store.close();
  }

  // ---- refs (ref-ops.ts) -----------------------------------------------------------------------

  resolve(ref: string): Promise<ResolvedRef> {
    return resolveRef(this.ctx, ref);
  }

  async getCommit(ref: string): Promise<Commit> {
    return this.ctx.commits.get((await this.resolve(ref)).commit);
  }

  createBranch(name: string, opts: { from?: string } = {}): Promise<BranchInfo> {
    return refOps.createBranch(this.ctx, name, opts);
  }

  /** The branch a write to `name` goes to (an alias resolves to its branch). */
  async getBranch(name: string): Promise<BranchInfo> {
    return refOps.branchInfo(this.ctx, await resolveBranch(this.ctx, name));
  }

  listBranches(opts: { prefix?: string } = {}): AsyncIterable<BranchInfo> {
    return refOps.listBranches(this.ctx, opts);
  }

  /** `authorization`: passed to the write policy (a gate removing its own temporary branch). */
  deleteBranch(name: string, opts: { authorization?: unknown } = {}): Promise<void> {
    return refOps.deleteBranch(this.ctx, this.guard, name, opts.authorization);
  }

  /** Points a branch at a commit and discards its uncommitted changes (git reset --hard). */
  resetBranch(name: string, to: string): Promise<BranchInfo> {
    return refOps.resetBranch(this.ctx, this.guard, name, to);
  }

  createTag(name: string, ref: string): Promise<TagRecord> {
    return refOps.createTag(this.ctx, name, ref);
  }

  listTags(opts: { prefix?: string } = {}): AsyncIterable<TagRecord> {
    return this.ctx.meta.listTags(this.name, opts);
  }

  deleteTag(name: string): Promise<void> {
    return refOps.deleteTag(this.ctx, name);
  }

  /** Points an alias at a branch (creating it if needed) with one compare-and-swap. */
  setAlias(name: string, branchName: string): Promise<{ alias: AliasRecord; previous?: string }> {
    return refOps.setAlias(this.ctx, name, branchName);
  }

  listAliases(): AsyncIterable<AliasRecord> {
    return this.ctx.meta.listAliases(this.name);
  }

  deleteAlias(name: string): Promise<void> {
    return refOps.deleteAlias(this.ctx, name);
  }

  // ---- writes (write-ops.ts) -------------------------------------------------------------------

  /**
   * Writes objects to a branch's staging area, all or nothing: contents are stored first, then
   * every path is staged in one transaction.
   */
  putObjects(
    branchName: string,
    items: PutItem[],
    opts: PutObjectsOptions = {},
  ): Promise<TreeEntry[]> {
    return writes.putObjects(this.ctx, this.guard, branchName, items, opts);
  }

  /**
   * Stages entries whose contents are already stored — a copy that moves no bytes (a pipeline
   * reusing a model's files built earlier). Each entry's object must exist in the store (a
   * collected object is ObjectNotFoundError, and nothing is staged); all or nothing, like
   * putObjects.
   */
  putEntries(
    branchName: string,
    entries: TreeEntry[],
    opts: { remove?: string[]; authorization?: unknown } = {},
  ): Promise<TreeEntry[]> {
    return writes.putEntries(this.ctx, this.guard, branchName, entries, opts);
  }

  /**
   * Writes one object. `etag`, `checksums` and `mtime` are recorded on the entry as given (the S3
   * gateway computes them while streaming); `ifAbsent` refuses with PreconditionFailedError when
   * the path holds an entry, staged or committed (checked atomically with the staging). A body
   * from `hashingSpool` is not read again: its file is moved into the store (and removed if the
   * write fails: a spooled body is always consumed, here and by uploadPart).
   */
  async putObject(
    branch: string,
    path: string,
    body: Body | HashedBody,
    opts: Omit<PutItem, 'path' | 'body'> &
      Pick<PutObjectsOptions, 'ifAbsent' | 'authorization' | 'signal'> = {},
  ): Promise<TreeEntry> {
    const { ifAbsent, authorization, signal, ...item } = opts;
    const [entry] = await this.putObjects(branch, [{ path, body, ...item }], {
      ifAbsent,
      authorization,
      signal,
    });
    return entry as TreeEntry;
  }

  /**
   * A directory to spool request bodies to with `hashingSpool`: on the local store's own
   * filesystem (so storing the body is a rename), else the system's temporary directory.
   */
  spoolDir(): Promise<string> {
    return spoolDirFor(this.ctx.store);
  }

  // ---- multipart uploads (multipart-op.ts, multipart-complete.ts) ------------------------------

  /** Starts an S3 multipart upload to `path` on a branch (the write policy is asked now). */
  createMultipartUpload(
    branch: string,
    path: string,
    opts: CreateUploadOptions = {},
  ): Promise<MultipartUpload> {
    return multipart.createUpload(this.ctx, this.guard, branch, path, opts);
  }

  /**
   * Stores part `partNumber` (1..10000) of an upload, replacing an earlier one of that number.
   * `md5` (hex), when the caller computed it while streaming, is recorded as the part's ETag;
   * otherwise it is computed here in the same pass that stores the bytes.
   */
  uploadPart(
    uploadId: string,
    partNumber: number,
    body: Body | HashedBody,
    opts: PartOptions = {},
  ): Promise<UploadedPart> {
    return multipart.uploadPart(this.ctx, uploadId, partNumber, body, opts);
  }

  /** A part copied from an object (or an inclusive byte range of it) at any ref of this repository. */
  uploadPartCopy(
    uploadId: string,
    partNumber: number,
    source: { ref: string; path: string; range?: { start: number; end: number } },
    opts: { signal?: AbortSignal } = {},
  ): Promise<UploadedPart> {
    return multipart.uploadPartCopy(this.ctx, uploadId, partNumber, source, opts);
  }

  /** An upload and its parts in part-number order (after `afterPart`, at most `max`, default 1000). */
  listParts(
    uploadId: string,
    opts: { afterPart?: number; max?: number } = {},
  ): Promise<{ upload: MultipartUpload; parts: UploadedPart[]; truncated: boolean }> {
    return multipart.listParts(this.ctx, uploadId, opts);
  }

  /** Uploads in progress, by (branch, path) then initiation time. */
  listMultipartUploads(
    opts: ListUploadsOptions = {},
  ): Promise<{ uploads: MultipartUpload[]; truncated: boolean }> {
    return multipart.listUploads(this.ctx, opts);
  }

  /**
   * Concatenates the named parts (ascending, ETags matching, all but the last ≥ 5 MiB) into one
   * object in a single streaming pass and stages it at the upload's path with the S3 multipart
   * ETag; then deletes the upload. Honours the write policy and `ifAbsent` like putObject.
   */
  completeMultipartUpload(
    uploadId: string,
    parts: CompletedPart[],
    opts: CompleteOptions = {},
  ): Promise<TreeEntry> {
    return completeUpload(this.ctx, this.guard, uploadId, parts, opts);
  }

  /** Abandons an upload: its records and its parts' bytes. UploadNotFoundError when unknown. */
  abortMultipartUpload(uploadId: string): Promise<void> {
    return multipart.abortUpload(this.ctx, uploadId);
  }

  /**
   * Deletes paths on a branch (staged as tombstones, all or nothing). With `recursive`, a path
   * also removes everything under `path/`. A path that matches nothing is an error.
   */
  deleteObjects(
    branchName: string,
    paths: string[],
    opts: { recursive?: boolean; authorization?: unknown } = {},
  ): Promise<string[]> {
    return writes.deleteObjects(this.ctx, this.guard, branchName, paths, opts);
  }

  /**
   * Discards uncommitted changes on a branch (all of them, or those at/under `path`); returns how
   * many staged paths were discarded.
   */
  resetStaging(branchName: string, opts: { path?: string } = {}): Promise<number> {
    return writes.resetStaging(this.ctx, branchName, opts);
  }

  // ---- reads (read-ops.ts) ---------------------------------------------------------------------

  stat(ref: string, path: string): Promise<TreeEntry> {
    return reads.stat(this.ctx, ref, path);
  }

  getObject(ref: string, path: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return reads.getObject(this.ctx, ref, path, opts);
  }

  /**
   * A stream of the object's content; it fails at the end if the stored bytes are corrupted. With
   * `range` (inclusive, within the object), only those bytes (unverified unless the object is small).
   */
  openObject(
    ref: string,
    path: string,
    opts: { signal?: AbortSignal; range?: { start: number; end: number } } = {},
  ): Promise<{ entry: TreeEntry; stream: Readable; bytes?: Uint8Array }> {
    return reads.openObject(this.ctx, ref, path, opts);
  }

  /** Entries at a ref in key order; with `delimiter`, keys below it collapse into prefixes. */
  list(
    ref: string,
    opts: { prefix?: string; after?: string; delimiter?: string; signal?: AbortSignal } = {},
  ): AsyncIterable<ListItem> {
    return reads.list(this.ctx, ref, opts);
  }

  status(branch: string, opts: { prefix?: string } = {}): AsyncIterable<Change> {
    return reads.status(this.ctx, branch, opts);
  }

  /** Commits reachable from the ref, newest first; with `path`, only those that changed it. */
  log(
    ref: string,
    opts: { limit?: number; path?: string; firstParent?: boolean } = {},
  ): AsyncIterable<Commit> {
    return reads.log(this.ctx, ref, opts);
  }

  /** Changes from `left` to `right` (both refs read as commits: staging is not included). */
  diff(
    left: string,
    right: string,
    opts: { prefix?: string; signal?: AbortSignal } = {},
  ): AsyncIterable<Change> {
    return reads.diff(this.ctx, left, right, opts);
  }

  // ---- commits (commit-op.ts, merge-op.ts, replay-op.ts) ---------------------------------------

  /**
   * Commits what is staged on the branch — all of it, or with `opts.paths` only the staged
   * changes at or under those paths (path-commit.ts), so a writer commits exactly its own.
   */
  async commit(branch: string, opts: CommitOptions): Promise<Commit> {
    const b = await resolveBranch(this.ctx, branch);
    await this.guard('commit', b.name, opts.authorization, { metadata: opts.metadata ?? {} });
    if (opts.paths) return (await commitPaths(this.ctx, b.name, opts.paths, opts)).commit;
    return commitBranch(this.ctx, b.name, opts);
  }

  /**
   * Commits the staged changes at or under `opts.paths` as one request carrying an idempotency
   * key: the first time, the key is recorded with the commit; a request retried with the same key
   * adds nothing and answers with the commit the first one made (`replayed`). A key used before
   * for another request is IdempotencyKeyReusedError.
   */
  async commitRequest(
    branch: string,
    opts: CommitOptions & { paths: string[]; idempotency: IdempotencyClaim },
  ): Promise<CommitOutcome> {
    const b = await resolveBranch(this.ctx, branch);
    await this.guard('commit', b.name, opts.authorization, { metadata: opts.metadata ?? {} });
    return commitPaths(this.ctx, b.name, opts.paths, opts);
  }

  /** The record of a request's idempotency key, if it was applied (see commitRequest). */
  appliedRequest(
    claim: Pick<IdempotencyClaim, 'key' | 'request'>,
  ): Promise<IdempotencyRecord | undefined> {
    return findApplied(this.ctx, claim);
  }

  merge(source: string, destination: string, opts: MergeOptions = {}): Promise<MergeResult> {
    return mergeIntoBranch(this.ctx, this.guard, source, destination, opts);
  }

  /** Commits the inverse of `commitRef`'s changes on the branch. */
  revert(branch: string, commitRef: string, opts: ReplayOptions = {}): Promise<Commit> {
    return replay(this.ctx, this.guard, branch, commitRef, opts, 'revert');
  }

  /** Commits `commitRef`'s changes again on top of the branch. */
  cherryPick(branch: string, commitRef: string, opts: ReplayOptions = {}): Promise<Commit> {
    return replay(this.ctx, this.guard, branch, commitRef, opts, 'cherry-pick');
  }

  // ---- maintenance -----------------------------------------------------------------------------

  gc(opts: GcOptions = {}): Promise<GcReport> {
    return collectGarbage(this.ctx, opts);
  }

  fsck(opts: FsckOptions = {}): Promise<FsckReport> {
    return fsck(this.ctx, opts);
  }
}

function committerOf(opts: RepositoryOptions): string {
  return opts.committer ?? process.env.SLUICE_USER ?? process.env.USER ?? 'sluice';
}
