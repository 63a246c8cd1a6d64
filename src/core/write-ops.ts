// Writes to a branch's staging area, as the Repository offers them: putting objects (their bytes
// stored first — small ones packed — then every path staged in one transaction), staging entries
// whose bytes are already stored, deleting paths, and discarding staged changes. Each write is
// all or nothing and changes nothing when its input is refused.
import { InvalidArgumentError, ObjectNotFoundError, PathNotFoundError } from '../common/errors.js';
import { type CommitId, parseRepoPath, type RepoPath } from '../common/ids.js';
import type { BranchRecord, RefStore, StagedChange, StagingStore } from '../meta/meta-store.js';
import { forEachConcurrent } from '../storage/put-many.js';
import { newStagingToken } from './commit-op.js';
import { refuseExisting, stageIfAbsent } from './conditional-stage.js';
import { guessContentType } from './content-type.js';
import type { RepoContext } from './context.js';
import type { EntryChecksums, TreeEntry } from './entry.js';
import { consumingSpools } from './hashing-spool.js';
import {
  type Body,
  type HashedBody,
  hashBody,
  locate,
  PACK_MAX_OBJECT,
  PackWriter,
  type StoredBlob,
  storeBody,
} from './object-io.js';
import { resolveBranch } from './refs.js';
import { countItems, getEntry, listEntries, tokensOf, viewOf } from './view.js';
import type { WriteGuard } from './write-policy.js';

export interface PutItem {
  path: string;
  /** Bytes, a stream factory, or a body hashingSpool spooled (stored by moving its file in). */
  body: Body | HashedBody;
  contentType?: string;
  metadata?: Record<string, string>;
  /** The S3 ETag the writer computed while streaming (core does not compute MD5), recorded as is. */
  etag?: string;
  /** Checksums the writer verified (S3 `x-amz-checksum-*`, base64), recorded as given. */
  checksums?: EntryChecksums;
  /** When the writer wrote it (ms since the epoch; see EntryValue.mtime), recorded as given. */
  mtime?: number;
}

export interface Progress {
  done: number;
  total: number;
}

export interface PutObjectsOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  concurrency?: number;
  /** Paths to delete in the same staging transaction (tombstones), e.g. files a write replaces. */
  remove?: string[];
  /** Passed to the write policy (see WritePolicy). */
  authorization?: unknown;
  /**
   * Refuse (PreconditionFailedError, nothing staged) when a path already holds an entry on the
   * branch, staged or committed — S3 `If-None-Match: *`. Checked before the bytes are stored, and
   * again atomically with the staging (conditional-stage.ts).
   */
  ifAbsent?: boolean;
}

type WriteMeta = RefStore & StagingStore;

/** A write's validated input: its branch, the paths it writes and those it removes. */
interface WriteTarget {
  branch: BranchRecord;
  paths: RepoPath[];
  removed: RepoPath[];
}

/**
 * Parses a write's paths, refuses a path named twice (a put and a delete of one path would race
 * in one transaction), finds the branch and asks the write policy.
 */
async function writeTarget(
  ctx: RepoContext<RefStore>,
  guard: WriteGuard,
  branchName: string,
  paths: string[],
  remove: string[] = [],
  authorization?: unknown,
): Promise<WriteTarget> {
  const parsed = paths.map((p) => parseRepoPath(p));
  const removed = remove.map((p) => parseRepoPath(p));
  const seen = new Set<string>();
  for (const p of [...parsed, ...removed]) {
    if (seen.has(p))
      throw new InvalidArgumentError(`path ${p} given twice`, {
        argument: 'path',
        reason: 'duplicate',
      });
    seen.add(p);
  }
  const branch = await resolveBranch(ctx, branchName);
  await guard('write', branch.name, authorization, { paths: [...parsed, ...removed] });
  return { branch, paths: parsed, removed };
}

/** Stages the entries and the tombstones of a write in one transaction (conditional: ifAbsent). */
async function stageWrite(
  ctx: RepoContext<WriteMeta>,
  target: WriteTarget,
  entries: TreeEntry[],
  ifAbsent = false,
): Promise<void> {
  const changes: StagedChange[] = [
    ...entries.map(({ path, ...value }) => ({ path, value })),
    ...target.removed.map((path) => ({ path, value: null })),
  ];
  if (ifAbsent) await stageIfAbsent(ctx, target.branch.name, changes);
  else await ctx.meta.stage(ctx.repo, target.branch.name, changes);
}

// ---- putObjects --------------------------------------------------------------------------------

/** One putObjects call: its items, their paths, and the entries made as their bodies are stored. */
interface PutBatch {
  readonly items: PutItem[];
  readonly paths: RepoPath[];
  readonly entries: TreeEntry[];
  done: number;
  readonly onProgress?: (p: Progress) => void;
}

function record(batch: PutBatch, i: number, blob: StoredBlob): void {
  const item = batch.items[i] as PutItem;
  const path = batch.paths[i] as RepoPath;
  batch.entries[i] = {
    path,
    ...blob,
    contentType: item.contentType ?? guessContentType(path),
    metadata: item.metadata ?? {},
    ...(item.etag !== undefined && { etag: item.etag }),
    ...(item.checksums !== undefined && { checksums: item.checksums }),
    ...(item.mtime !== undefined && { mtime: item.mtime }),
  };
  batch.onProgress?.({ done: ++batch.done, total: batch.items.length });
}

/**
 * Writes objects to a branch's staging area, all or nothing: contents are stored first, then
 * every path is staged in one transaction.
 */
export async function putObjects(
  ctx: RepoContext<WriteMeta>,
  guard: WriteGuard,
  branchName: string,
  items: PutItem[],
  opts: PutObjectsOptions = {},
): Promise<TreeEntry[]> {
  return consumingSpools(
    items.map((i) => i.body),
    () => putObjectsOnce(ctx, guard, branchName, items, opts),
  );
}

async function putObjectsOnce(
  ctx: RepoContext<WriteMeta>,
  guard: WriteGuard,
  branchName: string,
  items: PutItem[],
  opts: PutObjectsOptions,
): Promise<TreeEntry[]> {
  const target = await writeTarget(
    ctx,
    guard,
    branchName,
    items.map((i) => i.path),
    opts.remove,
    opts.authorization,
  );
  if (opts.ifAbsent) await refuseExisting(ctx, target.branch.name, target.paths);
  const batch: PutBatch = {
    items,
    paths: target.paths,
    entries: new Array(items.length),
    done: 0,
    onProgress: opts.onProgress,
  };
  const { packed, written } = await packSmallBodies(ctx, batch, opts.signal);
  await storeLooseBodies(ctx, batch, packed, opts);
  await written;
  await stageWrite(ctx, target, batch.entries, opts.ifAbsent);
  return batch.entries;
}

/**
 * Hashes the small in-memory bodies of a bulk put into packs. Returns which items were packed and
 * the pending pack writes (wrapped, so that awaiting this does not wait for them: loose bodies are
 * stored meanwhile).
 */
async function packSmallBodies(
  ctx: RepoContext<unknown>,
  batch: PutBatch,
  signal: AbortSignal | undefined,
): Promise<{ packed: Set<number>; written: Promise<void> }> {
  const { items } = batch;
  const packable = (item: PutItem): item is PutItem & { body: Uint8Array } =>
    item.body instanceof Uint8Array && item.body.byteLength <= PACK_MAX_OBJECT;
  const small = items.length > 1 ? items.flatMap((item, i) => (packable(item) ? [i] : [])) : [];
  const pack = new PackWriter(ctx.store, signal);
  for (const i of small) {
    const body = (items[i] as PutItem).body as Uint8Array;
    const blob = await hashBody(body);
    pack.add(blob, body, (physical) => {
      (batch.entries[i] as TreeEntry).physical = physical;
    });
    record(batch, i, blob);
  }
  const written = pack.finish();
  written.catch(() => {}); // awaited by the caller; don't let it go unhandled if a loose put fails first
  return { packed: new Set(small), written };
}

/** Stores every body not packed under its own address, `concurrency` at a time. */
async function storeLooseBodies(
  ctx: RepoContext<unknown>,
  batch: PutBatch,
  packed: Set<number>,
  opts: PutObjectsOptions,
): Promise<void> {
  await forEachConcurrent(
    batch.items.flatMap((item, i) => (packed.has(i) ? [] : [{ item, i }])),
    { concurrency: opts.concurrency ?? 16, signal: opts.signal },
    async ({ item, i }) => {
      const blob = await hashBody(item.body, opts.signal);
      await storeBody(ctx.store, blob, item.body, opts.signal);
      record(batch, i, blob);
    },
  );
}

// ---- other writes ------------------------------------------------------------------------------

/**
 * Stages entries whose contents are already stored — a copy that moves no bytes (a pipeline
 * reusing a model's files built earlier). Each entry's object must exist in the store (a
 * collected object is ObjectNotFoundError, and nothing is staged); all or nothing, like
 * putObjects.
 */
export async function putEntries(
  ctx: RepoContext<WriteMeta>,
  guard: WriteGuard,
  branchName: string,
  entries: TreeEntry[],
  opts: { remove?: string[]; authorization?: unknown } = {},
): Promise<TreeEntry[]> {
  const target = await writeTarget(
    ctx,
    guard,
    branchName,
    entries.map((e) => e.path),
    opts.remove,
    opts.authorization,
  );
  await forEachConcurrent(entries, { concurrency: 16 }, async (e) => {
    const { key } = locate(e);
    if ((await ctx.store.head(key)) === undefined)
      throw new ObjectNotFoundError(`the contents of ${e.path} (${e.address}) are not stored`, {
        key,
      });
  });
  const staged = entries.map((e, i) => ({ ...e, path: target.paths[i] as RepoPath }));
  await stageWrite(ctx, target, staged);
  return staged;
}

/**
 * Deletes paths on a branch (staged as tombstones, all or nothing). With `recursive`, a path
 * also removes everything under `path/`. A path that matches nothing is an error.
 */
export async function deleteObjects(
  ctx: RepoContext<WriteMeta>,
  guard: WriteGuard,
  branchName: string,
  paths: string[],
  opts: { recursive?: boolean; authorization?: unknown } = {},
): Promise<string[]> {
  const parsed = paths.map((p) => parseRepoPath(p));
  const branch = await resolveBranch(ctx, branchName);
  await guard('write', branch.name, opts.authorization, {
    paths: parsed,
    ...(opts.recursive ? { recursive: true } : {}),
  });
  const view = await viewOf(ctx, {
    kind: 'branch',
    name: branch.name,
    branch,
    commit: branch.head as CommitId,
  });
  const removed = new Set<string>();
  for (const p of parsed) {
    let found = false;
    if (await getEntry(ctx, view, p)) {
      removed.add(p);
      found = true;
    }
    if (opts.recursive) {
      for await (const e of listEntries(ctx, view, { prefix: `${p}/` })) {
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
  await ctx.meta.stage(ctx.repo, branch.name, changes);
  return [...removed];
}

/**
 * Discards uncommitted changes on a branch (all of them, or those at/under `path`); returns how
 * many staged paths were discarded.
 */
export async function resetStaging(
  ctx: RepoContext<WriteMeta>,
  branchName: string,
  opts: { path?: string } = {},
): Promise<number> {
  if (opts.path !== undefined) {
    const p = parseRepoPath(opts.path);
    const branch = await resolveBranch(ctx, branchName);
    const tokens = tokensOf(branch);
    const discarded =
      (await countStaged(ctx, tokens, `${p}/`)) +
      ((await ctx.meta.getStaged(ctx.repo, tokens, p)) ? 1 : 0);
    await ctx.meta.clearStaging(ctx.repo, tokens, { paths: [p] });
    await ctx.meta.clearStaging(ctx.repo, tokens, { prefix: `${p}/` });
    return discarded;
  }
  // Everything: swap in a fresh token (compare-and-swap), then drop the old tokens' rows.
  for (;;) {
    const branch = await resolveBranch(ctx, branchName);
    const discarded = await countStaged(ctx, tokensOf(branch));
    const reset = await ctx.meta.updateBranch(ctx.repo, branch.name, branch.version, {
      stagingToken: newStagingToken(),
      sealedTokens: [],
    });
    if (reset) {
      await ctx.meta.clearStaging(ctx.repo, tokensOf(branch));
      return discarded;
    }
  }
}

/** Distinct staged paths in `tokens` (a path staged in several tokens counts once). */
function countStaged(
  ctx: RepoContext<StagingStore>,
  tokens: string[],
  prefix?: string,
): Promise<number> {
  return countItems(ctx.meta.listStaged(ctx.repo, tokens, { prefix }));
}
