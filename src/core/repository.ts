// The versioning engine's public face: one repository over an ObjectStore and a MetaStore.
// Every operation validates its input first and changes nothing when it fails.
import type { Readable } from 'node:stream';
import {
  AliasNotFoundError,
  AliasTargetError,
  ConcurrentUpdateError,
  DefaultBranchError,
  EmptyCommitError,
  InvalidArgumentError,
  MergeCommitParentError,
  NoCommonAncestorError,
  NotABranchError,
  ObjectNotFoundError,
  PathNotFoundError,
  RefAlreadyExistsError,
  RepositoryNotFoundError,
  TagNotFoundError,
} from '../common/errors.js';
import {
  type CommitId,
  type NodeId,
  parseAliasName,
  parseBranchName,
  parseRepoPath,
  parseTagName,
  type RepoPath,
} from '../common/ids.js';
import { afterAllWithPrefix } from '../common/keys.js';
import type {
  AliasRecord,
  BranchRecord,
  MetaStore,
  StagedChange,
  TagRecord,
} from '../meta/meta-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { forEachConcurrent } from '../storage/put-many.js';
import type { Commit } from './commit-codec.js';
import { advanceBranch, type CommitOptions, commitBranch, newStagingToken } from './commit-op.js';
import { guessContentType } from './content-type.js';
import { makeContext, type RepoContext } from './context.js';
import type { Change, TreeEntry } from './entry.js';
import { type FsckOptions, type FsckReport, fsck } from './fsck.js';
import { collectGarbage, type GcOptions, type GcReport } from './gc.js';
import { mergeBase, walkLog } from './history.js';
import { type MergeStrategy, mergeTrees } from './merge.js';
import { EMPTY_TREE_ID } from './node-codec.js';
import {
  type Body,
  hashBody,
  locate,
  openVerified,
  PACK_MAX_OBJECT,
  PackWriter,
  readVerified,
  type StoredBlob,
  storeBody,
} from './object-io.js';
import { type ResolvedRef, resolveBranch, resolveRef } from './refs.js';
import { diffTrees } from './tree-diff.js';
import { countItems, getEntry, listEntries, tokensOf, uncommittedChanges, viewOf } from './view.js';

/** A write names each path once (a put and a delete of one path would race in one transaction). */
function refuseDuplicatePaths(paths: string[]): void {
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p))
      throw new InvalidArgumentError(`path ${p} given twice`, {
        argument: 'path',
        reason: 'duplicate',
      });
    seen.add(p);
  }
}

export interface PutItem {
  path: string;
  body: Body;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface Progress {
  done: number;
  total: number;
}

export type ListItem = { type: 'object'; entry: TreeEntry } | { type: 'prefix'; path: string };

/** What a write does to a branch, as a write policy sees it. */
export type WriteOp =
  | 'write'
  | 'commit'
  | 'merge'
  | 'revert'
  | 'cherry-pick'
  | 'reset-branch'
  | 'delete-branch';

/**
 * Decides whether a write to a branch may happen (branch protection lives above the engine, in
 * the quality gates). `authorization` is whatever the caller passed with the operation — a gate
 * hands the merge it has approved a token only it can make.
 */
export interface WritePolicy {
  check(op: WriteOp, branch: string, authorization?: unknown): Promise<void>;
}

export interface MergeOptions {
  strategy?: MergeStrategy;
  /** Passed to the write policy (see WritePolicy). */
  authorization?: unknown;
  /** Refuse (ConcurrentUpdateError) unless the destination can fast-forward to the source. */
  fastForwardOnly?: boolean;
  message?: string;
  metadata?: Record<string, string>;
  /** Always record a merge commit, even when the destination could fast-forward. */
  noFastForward?: boolean;
  signal?: AbortSignal;
}

export interface MergeResult {
  /** The destination's new head (undefined when it was already up to date). */
  commit?: Commit;
  base: CommitId;
  fastForward: boolean;
  upToDate: boolean;
  /** Paths taken from the source. */
  applied: number;
  /** Conflicts resolved by a source-wins/dest-wins strategy. */
  resolved: { path: string; source: string; destination: string }[];
}

export interface BranchInfo {
  name: string;
  head: CommitId;
  createdAt: Date;
  isDefault: boolean;
}

export interface RepositoryOptions {
  committer?: string;
}

export class Repository {
  private policy: WritePolicy | undefined;

  private constructor(readonly ctx: RepoContext) {}

  /** Installs (or removes) the policy every write to a branch is checked against. */
  setWritePolicy(policy: WritePolicy | undefined): void {
    this.policy = policy;
  }

  private async guard(op: WriteOp, branch: string, authorization?: unknown): Promise<void> {
    await this.policy?.check(op, branch, authorization);
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

  // ---- refs ------------------------------------------------------------------------------------

  resolve(ref: string): Promise<ResolvedRef> {
    return resolveRef(this.ctx, ref);
  }

  async getCommit(ref: string): Promise<Commit> {
    return this.ctx.commits.get((await this.resolve(ref)).commit);
  }

  async createBranch(name: string, opts: { from?: string } = {}): Promise<BranchInfo> {
    const branch = parseBranchName(name);
    await this.assertNameFree(branch, 'branch');
    const from = await this.resolve(opts.from ?? this.defaultBranch);
    const rec = await this.ctx.meta.createBranch(this.name, {
      name: branch,
      head: from.commit,
      stagingToken: newStagingToken(),
      sealedTokens: [],
      createdAt: new Date(),
    });
    return this.branchInfo(rec);
  }

  /** The branch a write to `name` goes to (an alias resolves to its branch). */
  async getBranch(name: string): Promise<BranchInfo> {
    return this.branchInfo(await this.requireBranch(name));
  }

  async *listBranches(opts: { prefix?: string } = {}): AsyncIterable<BranchInfo> {
    for await (const b of this.ctx.meta.listBranches(this.name, opts)) yield this.branchInfo(b);
  }

  async deleteBranch(name: string): Promise<void> {
    const branch = await this.requireBranch(name);
    await this.guard('delete-branch', branch.name);
    if (branch.name === this.defaultBranch) {
      throw new DefaultBranchError(`${branch.name} is the default branch and cannot be deleted`, {
        branch: branch.name,
      });
    }
    const aliases: string[] = [];
    for await (const a of this.ctx.meta.listAliases(this.name))
      if (a.target === branch.name) aliases.push(a.name);
    if (aliases.length > 0) {
      throw new AliasTargetError(
        `${branch.name} is the target of alias ${aliases.join(', ')}; move the alias first`,
        {
          branch: branch.name,
          aliases,
        },
      );
    }
    await this.ctx.meta.deleteBranch(this.name, branch.name);
    await this.ctx.meta.clearStaging(this.name, tokensOf(branch));
  }

  /** Points a branch at a commit and discards its uncommitted changes (git reset --hard). */
  async resetBranch(name: string, to: string): Promise<BranchInfo> {
    const target = await this.resolve(to);
    await this.guard('reset-branch', (await this.requireBranch(name)).name);
    for (;;) {
      const branch = await this.requireBranch(name);
      const moved = await this.ctx.meta.updateBranch(this.name, branch.name, branch.version, {
        head: target.commit,
        stagingToken: newStagingToken(),
        sealedTokens: [],
      });
      if (moved) {
        await this.ctx.meta.clearStaging(this.name, tokensOf(branch));
        return this.branchInfo(moved);
      }
    }
  }

  async createTag(name: string, ref: string): Promise<TagRecord> {
    const tag = parseTagName(name);
    await this.assertNameFree(tag, 'tag');
    const target = await this.resolve(ref);
    const rec = { name: tag, commitId: target.commit, createdAt: new Date() };
    await this.ctx.meta.createTag(this.name, rec);
    return rec;
  }

  listTags(opts: { prefix?: string } = {}): AsyncIterable<TagRecord> {
    return this.ctx.meta.listTags(this.name, opts);
  }

  async deleteTag(name: string): Promise<void> {
    if (!(await this.ctx.meta.deleteTag(this.name, name))) {
      throw new TagNotFoundError(`tag ${JSON.stringify(name)} not found`, { tag: name });
    }
  }

  /** Points an alias at a branch (creating it if needed) with one compare-and-swap. */
  async setAlias(
    name: string,
    branchName: string,
  ): Promise<{ alias: AliasRecord; previous?: string }> {
    const alias = parseAliasName(name);
    const target = await this.ctx.meta.getBranch(this.name, branchName);
    if (!target) {
      const other = await this.resolve(branchName);
      throw new NotABranchError(
        `an alias must point at a branch; ${branchName} is a ${other.kind}`,
        {
          ref: branchName,
          kind: other.kind,
        },
      );
    }
    for (;;) {
      const existing = await this.ctx.meta.getAlias(this.name, alias);
      if (!existing) await this.assertNameFree(alias, 'alias');
      const rec = await this.ctx.meta.setAlias(
        this.name,
        alias,
        target.name,
        existing?.version ?? null,
      );
      if (rec) return { alias: rec, previous: existing?.target };
    }
  }

  listAliases(): AsyncIterable<AliasRecord> {
    return this.ctx.meta.listAliases(this.name);
  }

  async deleteAlias(name: string): Promise<void> {
    if (!(await this.ctx.meta.deleteAlias(this.name, name))) {
      throw new AliasNotFoundError(`alias ${JSON.stringify(name)} not found`, { alias: name });
    }
  }

  // ---- objects ---------------------------------------------------------------------------------

  /**
   * Writes objects to a branch's staging area, all or nothing: contents are stored first, then
   * every path is staged in one transaction.
   */
  async putObjects(
    branchName: string,
    items: PutItem[],
    opts: {
      signal?: AbortSignal;
      onProgress?: (p: Progress) => void;
      concurrency?: number;
      /** Paths to delete in the same staging transaction (tombstones), e.g. files a write replaces. */
      remove?: string[];
    } = {},
  ): Promise<TreeEntry[]> {
    const paths = items.map((i) => parseRepoPath(i.path));
    const removed = (opts.remove ?? []).map((p) => parseRepoPath(p));
    refuseDuplicatePaths([...paths, ...removed]);
    const branch = await this.requireBranch(branchName);
    await this.guard('write', branch.name);
    const entries: TreeEntry[] = new Array(items.length);
    let done = 0;
    const record = (i: number, blob: StoredBlob): void => {
      const item = items[i] as PutItem;
      const path = paths[i] as RepoPath;
      entries[i] = {
        path,
        ...blob,
        contentType: item.contentType ?? guessContentType(path),
        metadata: item.metadata ?? {},
      };
      opts.onProgress?.({ done: ++done, total: items.length });
    };
    const packable = (item: PutItem): item is PutItem & { body: Uint8Array } =>
      item.body instanceof Uint8Array && item.body.byteLength <= PACK_MAX_OBJECT;
    const small = items.length > 1 ? items.flatMap((item, i) => (packable(item) ? [i] : [])) : [];
    const packed = new Set(small);
    const pack = new PackWriter(this.ctx.store, opts.signal);
    for (const i of small) {
      const body = (items[i] as PutItem).body as Uint8Array;
      const blob = await hashBody(body);
      pack.add(blob, body, (physical) => {
        (entries[i] as TreeEntry).physical = physical;
      });
      record(i, blob);
    }
    const packsWritten = pack.finish();
    packsWritten.catch(() => {}); // awaited below; don't let it go unhandled if a loose put fails first
    await forEachConcurrent(
      items.flatMap((item, i) => (packed.has(i) ? [] : [{ item, i }])),
      { concurrency: opts.concurrency ?? 16, signal: opts.signal },
      async ({ item, i }) => {
        const blob = await hashBody(item.body, opts.signal);
        await storeBody(this.ctx.store, blob, item.body, opts.signal);
        record(i, blob);
      },
    );
    await packsWritten;
    await this.ctx.meta.stage(this.name, branch.name, [
      ...entries.map(({ path, ...value }) => ({ path, value })),
      ...removed.map((path) => ({ path, value: null })),
    ]);
    return entries;
  }

  /**
   * Stages entries whose contents are already stored — a copy that moves no bytes (a pipeline
   * reusing a model's files built earlier). Each entry's object must exist in the store (a
   * collected object is ObjectNotFoundError, and nothing is staged); all or nothing, like
   * putObjects.
   */
  async putEntries(
    branchName: string,
    entries: TreeEntry[],
    opts: { remove?: string[] } = {},
  ): Promise<TreeEntry[]> {
    const paths = entries.map((e) => parseRepoPath(e.path));
    const removed = (opts.remove ?? []).map((p) => parseRepoPath(p));
    refuseDuplicatePaths([...paths, ...removed]);
    const branch = await this.requireBranch(branchName);
    await this.guard('write', branch.name);
    await forEachConcurrent(entries, { concurrency: 16 }, async (e) => {
      const { key } = locate(e);
      if ((await this.ctx.store.head(key)) === undefined)
        throw new ObjectNotFoundError(`the contents of ${e.path} (${e.address}) are not stored`, {
          key,
        });
    });
    const staged = entries.map((e, i) => ({ ...e, path: paths[i] as RepoPath }));
    await this.ctx.meta.stage(this.name, branch.name, [
      ...staged.map(({ path, ...value }) => ({ path, value })),
      ...removed.map((path) => ({ path, value: null })),
    ]);
    return staged;
  }

  async putObject(
    branch: string,
    path: string,
    body: Body,
    opts: Omit<PutItem, 'path' | 'body'> = {},
  ): Promise<TreeEntry> {
    const [entry] = await this.putObjects(branch, [{ path, body, ...opts }]);
    return entry as TreeEntry;
  }

  /**
   * Deletes paths on a branch (staged as tombstones, all or nothing). With `recursive`, a path
   * also removes everything under `path/`. A path that matches nothing is an error.
   */
  async deleteObjects(
    branchName: string,
    paths: string[],
    opts: { recursive?: boolean } = {},
  ): Promise<string[]> {
    const parsed = paths.map((p) => parseRepoPath(p));
    const branch = await this.requireBranch(branchName);
    await this.guard('write', branch.name);
    const view = await viewOf(this.ctx, {
      kind: 'branch',
      name: branch.name,
      branch,
      commit: branch.head as CommitId,
    });
    const removed = new Set<string>();
    for (const p of parsed) {
      let found = false;
      if (await getEntry(this.ctx, view, p)) {
        removed.add(p);
        found = true;
      }
      if (opts.recursive) {
        for await (const e of listEntries(this.ctx, view, { prefix: `${p}/` })) {
          removed.add(e.path);
          found = true;
        }
      }
      if (!found)
        throw new PathNotFoundError(`${p} not found on ${branch.name}`, {
          path: p,
          ref: branch.name,
        });
    }
    const changes: StagedChange[] = [...removed].map((path) => ({ path, value: null }));
    await this.ctx.meta.stage(this.name, branch.name, changes);
    return [...removed];
  }

  async stat(ref: string, path: string): Promise<TreeEntry> {
    const p = parseRepoPath(path);
    const view = await viewOf(this.ctx, await this.resolve(ref));
    const e = await getEntry(this.ctx, view, p);
    if (!e) throw new PathNotFoundError(`${p} not found at ${ref}`, { path: p, ref });
    return e;
  }

  async getObject(
    ref: string,
    path: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
    const e = await this.stat(ref, path);
    return readVerified(this.ctx.store, e, opts.signal);
  }

  /** A stream of the object's content; it fails at the end if the stored bytes are corrupted. */
  async openObject(
    ref: string,
    path: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ entry: TreeEntry; stream: Readable }> {
    const entry = await this.stat(ref, path);
    return { entry, stream: await openVerified(this.ctx.store, entry, opts.signal) };
  }

  /** Entries at a ref in key order; with `delimiter`, keys below it collapse into prefixes. */
  async *list(
    ref: string,
    opts: { prefix?: string; after?: string; delimiter?: string; signal?: AbortSignal } = {},
  ): AsyncIterable<ListItem> {
    const view = await viewOf(this.ctx, await this.resolve(ref));
    const prefix = opts.prefix ?? '';
    let after = opts.after;
    for (;;) {
      let restartAfter: string | undefined;
      for await (const entry of listEntries(this.ctx, view, {
        prefix,
        after,
        signal: opts.signal,
      })) {
        const rest = entry.path.slice(prefix.length);
        const cut = opts.delimiter ? rest.indexOf(opts.delimiter) : -1;
        if (cut < 0) {
          yield { type: 'object', entry };
          continue;
        }
        const dir = prefix + rest.slice(0, cut + (opts.delimiter as string).length);
        yield { type: 'prefix', path: dir };
        restartAfter = afterAllWithPrefix(dir);
        break;
      }
      if (restartAfter === undefined) return;
      after = restartAfter;
    }
  }

  // ---- commits ---------------------------------------------------------------------------------

  status(branch: string, opts: { prefix?: string } = {}): AsyncIterable<Change> {
    const self = this;
    return (async function* () {
      yield* uncommittedChanges(self.ctx, await self.requireBranch(branch), opts);
    })();
  }

  async commit(branch: string, opts: CommitOptions): Promise<Commit> {
    const b = await this.requireBranch(branch);
    await this.guard('commit', b.name);
    return commitBranch(this.ctx, b.name, opts);
  }

  /** Commits reachable from the ref, newest first; with `path`, only those that changed it. */
  async *log(
    ref: string,
    opts: { limit?: number; path?: string; firstParent?: boolean } = {},
  ): AsyncIterable<Commit> {
    const start = await this.resolve(ref);
    const path =
      opts.path === undefined ? undefined : parseRepoPath(opts.path, { allowTrailingSlash: true });
    let n = 0;
    for await (const c of walkLog(this.ctx.commits, [start.commit], opts)) {
      if (opts.limit !== undefined && n >= opts.limit) return;
      if (path !== undefined && !(await this.touches(c, path))) continue;
      n++;
      yield c;
    }
  }

  private async touches(c: Commit, path: string): Promise<boolean> {
    const parent = c.parents[0];
    const before = parent ? (await this.ctx.commits.get(parent)).tree : EMPTY_TREE_ID;
    const dir = path.endsWith('/') ? path : `${path}/`;
    for await (const change of diffTrees(this.ctx.nodes, before, c.tree, { prefix: path })) {
      if (change.path === path || change.path.startsWith(dir)) return true;
    }
    return false;
  }

  /** Changes from `left` to `right` (both refs read as commits: staging is not included). */
  async *diff(
    left: string,
    right: string,
    opts: { prefix?: string; signal?: AbortSignal } = {},
  ): AsyncIterable<Change> {
    const a = await this.ctx.commits.get((await this.resolve(left)).commit);
    const b = await this.ctx.commits.get((await this.resolve(right)).commit);
    yield* diffTrees(this.ctx.nodes, a.tree, b.tree, opts);
  }

  async merge(source: string, destination: string, opts: MergeOptions = {}): Promise<MergeResult> {
    const src = await this.resolve(source);
    const dest = await this.requireBranch(destination);
    await this.guard('merge', dest.name, opts.authorization);
    let result: MergeResult | undefined;
    const commit = await advanceBranch(
      this.ctx,
      dest.name,
      async (branch) => {
        const base = await mergeBase(this.ctx.commits, src.commit, branch.head as CommitId);
        if (!base) {
          throw new NoCommonAncestorError(`${source} and ${dest.name} share no history`, {
            source,
            destination: dest.name,
          });
        }
        result = { base, fastForward: false, upToDate: false, applied: 0, resolved: [] };
        if (base === src.commit) {
          result.upToDate = true;
          return undefined;
        }
        const sourceCommit = await this.ctx.commits.get(src.commit);
        if (opts.fastForwardOnly && base !== branch.head) {
          throw new ConcurrentUpdateError(
            `${dest.name} moved since ${source} was made from it: it cannot fast-forward`,
            { ref: dest.name },
          );
        }
        if (base === branch.head && !opts.noFastForward) {
          result.fastForward = true;
          return sourceCommit;
        }
        const [b, d] = await Promise.all([
          this.ctx.commits.get(base),
          this.ctx.commits.get(branch.head),
        ]);
        const merged = await mergeTrees(
          this.ctx,
          { base: b.tree, source: sourceCommit.tree, dest: d.tree },
          { source, destination: dest.name },
          opts.strategy ?? 'fail',
          opts,
        );
        result.applied = merged.applied;
        result.resolved = merged.resolved;
        return this.ctx.commits.put({
          tree: merged.root,
          parents: [d.id, sourceCommit.id],
          message: opts.message ?? `Merge ${source} into ${dest.name}`,
          committer: this.ctx.committer,
          createdAt: new Date(),
          metadata: {
            ...opts.metadata,
            'sluice.merge.source': source,
            'sluice.merge.strategy': opts.strategy ?? 'fail',
          },
          generation: Math.max(d.generation, sourceCommit.generation) + 1,
        });
      },
      opts,
    );
    return { ...(result as MergeResult), commit };
  }

  /** Commits the inverse of `commitRef`'s changes on the branch. */
  revert(
    branch: string,
    commitRef: string,
    opts: { parent?: number; message?: string } = {},
  ): Promise<Commit> {
    return this.replay(branch, commitRef, opts, 'revert');
  }

  /** Commits `commitRef`'s changes again on top of the branch. */
  cherryPick(
    branch: string,
    commitRef: string,
    opts: { parent?: number; message?: string } = {},
  ): Promise<Commit> {
    return this.replay(branch, commitRef, opts, 'cherry-pick');
  }

  private async replay(
    branchName: string,
    commitRef: string,
    opts: { parent?: number; message?: string },
    mode: 'revert' | 'cherry-pick',
  ): Promise<Commit> {
    const target = await this.ctx.commits.get((await this.resolve(commitRef)).commit);
    const dest = await this.requireBranch(branchName);
    await this.guard(mode, dest.name);
    if (target.parents.length > 1 && opts.parent === undefined) {
      throw new MergeCommitParentError(
        `${target.id.slice(0, 12)} is a merge commit: choose the parent to compare with`,
        {
          commit: target.id,
          parents: target.parents.length,
        },
      );
    }
    const parentId = target.parents[(opts.parent ?? 1) - 1];
    if (opts.parent !== undefined && !parentId) {
      throw new InvalidArgumentError(
        `commit ${target.id.slice(0, 12)} has no parent ${opts.parent}`,
        {
          argument: 'parent',
          reason: 'out of range',
        },
      );
    }
    const parentTree: NodeId = parentId
      ? (await this.ctx.commits.get(parentId)).tree
      : EMPTY_TREE_ID;
    const short = target.id.slice(0, 12);
    const commit = await advanceBranch(this.ctx, dest.name, async (branch) => {
      const head = await this.ctx.commits.get(branch.head);
      const trees =
        mode === 'revert'
          ? { base: target.tree, source: parentTree, dest: head.tree }
          : { base: parentTree, source: target.tree, dest: head.tree };
      const merged = await mergeTrees(
        this.ctx,
        trees,
        { source: `${mode} ${short}`, destination: dest.name },
        'fail',
      );
      if (merged.root === head.tree) {
        throw new EmptyCommitError(`${mode} of ${short} changes nothing on ${dest.name}`, {
          branch: dest.name,
        });
      }
      const message =
        opts.message ??
        (mode === 'revert'
          ? `Revert "${target.message}"\n\nThis reverts commit ${target.id}.`
          : target.message);
      return this.ctx.commits.put({
        tree: merged.root,
        parents: [head.id],
        message,
        committer: this.ctx.committer,
        createdAt: new Date(),
        metadata:
          mode === 'revert'
            ? { 'sluice.revert': target.id }
            : { ...target.metadata, 'sluice.cherry-pick': target.id },
        generation: head.generation + 1,
      });
    });
    return commit as Commit;
  }

  /**
   * Discards uncommitted changes on a branch (all of them, or those at/under `path`); returns how
   * many staged paths were discarded.
   */
  async resetStaging(branchName: string, opts: { path?: string } = {}): Promise<number> {
    if (opts.path !== undefined) {
      const p = parseRepoPath(opts.path);
      const branch = await this.requireBranch(branchName);
      const tokens = tokensOf(branch);
      const discarded =
        (await this.countStaged(tokens, `${p}/`)) +
        ((await this.ctx.meta.getStaged(this.name, tokens, p)) ? 1 : 0);
      await this.ctx.meta.clearStaging(this.name, tokens, { paths: [p] });
      await this.ctx.meta.clearStaging(this.name, tokens, { prefix: `${p}/` });
      return discarded;
    }
    for (;;) {
      const branch = await this.requireBranch(branchName);
      const discarded = await this.countStaged(tokensOf(branch));
      const reset = await this.ctx.meta.updateBranch(this.name, branch.name, branch.version, {
        stagingToken: newStagingToken(),
        sealedTokens: [],
      });
      if (reset) {
        await this.ctx.meta.clearStaging(this.name, tokensOf(branch));
        return discarded;
      }
    }
  }

  /** Distinct staged paths in `tokens` (a path staged in several tokens counts once). */
  private countStaged(tokens: string[], prefix?: string): Promise<number> {
    return countItems(this.ctx.meta.listStaged(this.name, tokens, { prefix }));
  }

  // ---- maintenance -----------------------------------------------------------------------------

  gc(opts: GcOptions = {}): Promise<GcReport> {
    return collectGarbage(this.ctx, opts);
  }

  fsck(opts: FsckOptions = {}): Promise<FsckReport> {
    return fsck(this.ctx, opts);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async requireBranch(name: string): Promise<BranchRecord> {
    return resolveBranch(this.ctx, name);
  }

  /** Branches, aliases and tags share one namespace, so a name always resolves one way. */
  private async assertNameFree(name: string, kind: 'branch' | 'tag' | 'alias'): Promise<void> {
    const taken =
      ((await this.ctx.meta.getBranch(this.name, name)) && 'branch') ||
      ((await this.ctx.meta.getAlias(this.name, name)) && 'alias') ||
      ((await this.ctx.meta.getTag(this.name, name)) && 'tag');
    if (taken) {
      throw new RefAlreadyExistsError(
        `cannot create ${kind} ${name}: a ${taken} with that name exists`,
        { name, kind: taken },
      );
    }
  }

  private branchInfo(b: BranchRecord): BranchInfo {
    return {
      name: b.name,
      head: b.head as CommitId,
      createdAt: b.createdAt,
      isDefault: b.name === this.defaultBranch,
    };
  }
}

function committerOf(opts: RepositoryOptions): string {
  return opts.committer ?? process.env.SLUICE_USER ?? process.env.USER ?? 'sluice';
}
