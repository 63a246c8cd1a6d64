// Garbage collection: mark everything reachable, sweep the rest. Roots are branch heads, tags
// (aliases name branches), commits created within the retention window, and every staging area.
// Objects younger than the grace period are never deleted: a write in flight has stored its
// content but not yet staged it, and a commit in flight has written nodes before moving its head.
import type { CommitId, NodeId } from '../common/ids.js';
import type {
  CommitRecordStore,
  MultipartStore,
  RefStore,
  StagingStore,
} from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import type { RepoContext } from './context.js';
import { DATA_PREFIX, idFromKey, PACKS_PREFIX, RANGES_PREFIX, UPLOADS_PREFIX } from './layout.js';
import { deleteUploadKeys } from './multipart-op.js';
import { EMPTY_TREE_ID, type NodeRef, nodeCopyKey } from './node-codec.js';
import { parsePackLocation } from './object-io.js';
import { tokensOf } from './view.js';

export interface GcOptions {
  /** Commits newer than this many days are kept even when no ref reaches them. Default 7. */
  retentionDays?: number;
  /** Objects modified within this many milliseconds are kept. Default one hour. */
  graceMs?: number;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (phase: string, n: number) => void;
  /**
   * Multipart uploads started more than this many days ago are abandoned: their records and parts
   * are deleted (as lakeFS and S3 lifecycle rules do). Default 7.
   */
  uploadRetentionDays?: number;
  /** Injected clock, for tests. */
  now?: Date;
}

export interface GcReport {
  dryRun: boolean;
  commitsKept: number;
  commitsDeleted: number;
  nodesKept: number;
  nodesDeleted: number;
  objectsKept: number;
  objectsDeleted: number;
  bytesDeleted: number;
  stagingRowsDeleted: number;
  /** Multipart uploads abandoned (older than the upload retention). */
  uploadsDeleted: number;
  /** Part objects deleted: of abandoned uploads, and of uploads that no longer exist. */
  uploadPartsDeleted: number;
}

/** The MetaStore roles garbage collection reads (refs, staging) and sweeps (staging, commits). */
type GcMeta = RefStore & StagingStore & CommitRecordStore & MultipartStore;

/** The id that keeps an object's bytes alive: its pack's id when packed, else its address. */
function liveKeyOf(v: { address: string; size: number; physical?: string | null }): string {
  return v.physical ? parsePackLocation({ ...v, physical: v.physical }).pack : v.address;
}

/** Marks every commit, node and data address reachable from the roots. */
export async function markReachable(
  ctx: RepoContext<GcMeta>,
  opts: { retentionCutoff?: Date; signal?: AbortSignal } = {},
): Promise<{
  commits: Set<string>;
  nodes: Set<string>;
  objects: Set<string>;
  liveTokens: Set<string>;
}> {
  const commits = new Set<string>();
  const nodes = new Set<string>();
  const objects = new Set<string>();
  const copies = new Set<string>();
  const liveTokens = new Set<string>();
  const roots: string[] = [];
  for await (const b of ctx.meta.listBranches(ctx.repo)) {
    roots.push(b.head);
    for (const t of tokensOf(b)) liveTokens.add(t);
  }
  for await (const t of ctx.meta.listTags(ctx.repo)) roots.push(t.commitId);
  if (opts.retentionCutoff) {
    const cutoff = opts.retentionCutoff.getTime();
    for await (const c of ctx.meta.listCommits(ctx.repo))
      if (c.createdAt.getTime() > cutoff) roots.push(c.id);
  }
  const stack = [...roots];
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const id = stack.pop() as string;
    if (commits.has(id)) continue;
    commits.add(id);
    const c: Commit = await ctx.commits.get(id as CommitId);
    await markTree(ctx, c.tree, { copies, nodes, objects }, opts.signal);
    stack.push(...c.parents);
  }
  for (const token of liveTokens) {
    for await (const s of ctx.meta.listStaged(ctx.repo, [token]))
      if (s.value) objects.add(liveKeyOf(s.value));
  }
  return { commits, nodes, objects, liveTokens };
}

/**
 * Marks a tree's nodes: loose node ids in `nodes`, the packs holding packed copies (and the data
 * its entries name) in `objects`. A walk follows every distinct stored copy, not every node id:
 * two copies of one node may point at their children in different packs.
 */
async function markTree(
  ctx: RepoContext<unknown>,
  root: NodeId,
  live: { copies: Set<string>; nodes: Set<string>; objects: Set<string> },
  signal?: AbortSignal,
) {
  if (root === EMPTY_TREE_ID) return;
  const stack: NodeRef[] = [{ id: root }];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const ref = stack.pop() as NodeRef;
    const key = nodeCopyKey(ref);
    if (live.copies.has(key)) continue;
    live.copies.add(key);
    if (ref.at) live.objects.add(ref.at.pack);
    else live.nodes.add(ref.id);
    const node = await ctx.nodes.get(ref, { fresh: ref.at === undefined });
    if (node.kind === 'leaf') for (const e of node.entries) live.objects.add(liveKeyOf(e));
    else for (const c of node.children) if (!live.copies.has(nodeCopyKey(c))) stack.push(c);
  }
}

export async function collectGarbage(
  ctx: RepoContext<GcMeta>,
  opts: GcOptions = {},
): Promise<GcReport> {
  const now = opts.now ?? new Date();
  const retentionMs = (opts.retentionDays ?? 7) * 86_400_000;
  const graceMs = opts.graceMs ?? 3_600_000;
  const report: GcReport = {
    dryRun: opts.dryRun ?? false,
    commitsKept: 0,
    commitsDeleted: 0,
    nodesKept: 0,
    nodesDeleted: 0,
    objectsKept: 0,
    objectsDeleted: 0,
    bytesDeleted: 0,
    stagingRowsDeleted: 0,
    uploadsDeleted: 0,
    uploadPartsDeleted: 0,
  };
  const live = await markReachable(ctx, {
    retentionCutoff: new Date(now.getTime() - retentionMs),
    signal: opts.signal,
  });
  opts.onProgress?.('marked', live.commits.size + live.nodes.size + live.objects.size);

  // Staging rows of tokens no branch reads any more (left by a crash after a commit landed).
  for (const token of await ctx.meta.listStagingTokens(ctx.repo)) {
    if (live.liveTokens.has(token)) continue;
    if (!report.dryRun) report.stagingRowsDeleted += await ctx.meta.clearStaging(ctx.repo, [token]);
  }

  const deadCommits: string[] = [];
  for await (const c of ctx.meta.listCommits(ctx.repo)) {
    if (live.commits.has(c.id)) report.commitsKept++;
    else deadCommits.push(c.id);
  }
  report.commitsDeleted = deadCommits.length;
  if (!report.dryRun && deadCommits.length > 0) await ctx.meta.deleteCommits(ctx.repo, deadCommits);

  const graceCutoff = now.getTime() - graceMs;
  for (const [prefix, keep, kind] of [
    [RANGES_PREFIX, live.nodes, 'nodes'],
    [DATA_PREFIX, live.objects, 'objects'],
    [PACKS_PREFIX, live.objects, 'objects'],
  ] as const) {
    for await (const info of ctx.store.list(prefix, { signal: opts.signal })) {
      const id = idFromKey(info.key);
      if (!id || keep.has(id) || info.lastModified.getTime() > graceCutoff) {
        if (kind === 'nodes') report.nodesKept++;
        else report.objectsKept++;
        continue;
      }
      if (!report.dryRun) {
        // Re-check just before deleting: a writer may have stored the same content again since.
        const fresh = await ctx.store.head(info.key);
        if (fresh && fresh.lastModified.getTime() > graceCutoff) continue;
        await ctx.store.delete(info.key);
      }
      if (kind === 'nodes') report.nodesDeleted++;
      else {
        report.objectsDeleted++;
        report.bytesDeleted += info.size;
      }
      opts.onProgress?.('swept', report.nodesDeleted + report.objectsDeleted);
    }
  }
  await sweepUploads(ctx, report, {
    uploadCutoff: new Date(now.getTime() - (opts.uploadRetentionDays ?? 7) * 86_400_000),
    graceCutoff,
    signal: opts.signal,
  });
  return report;
}

/**
 * Abandoned multipart uploads: records older than the upload retention go with their parts; part
 * objects of an upload that no longer exists (a crash between deleting its record and its parts)
 * go once older than the grace period. Parts of live uploads are never touched: they are not
 * reachable from any tree, so the mark phase above does not see them and they live under their
 * own prefix, which the object sweep does not list.
 */
async function sweepUploads(
  ctx: RepoContext<GcMeta>,
  report: GcReport,
  opts: { uploadCutoff: Date; graceCutoff: number; signal?: AbortSignal },
): Promise<void> {
  const stale = await ctx.meta.listUploads(ctx.repo, { createdBefore: opts.uploadCutoff });
  for (const u of stale) {
    report.uploadsDeleted++;
    if (report.dryRun) {
      for await (const _ of ctx.store.list(`${UPLOADS_PREFIX}${u.id}/`, { signal: opts.signal }))
        report.uploadPartsDeleted++;
      continue;
    }
    await ctx.meta.deleteUpload(ctx.repo, u.id);
    report.uploadPartsDeleted += await deleteUploadKeys(ctx, u.id, opts.signal);
  }
  const known = new Map<string, boolean>();
  for await (const info of ctx.store.list(UPLOADS_PREFIX, { signal: opts.signal })) {
    const id = info.key.slice(UPLOADS_PREFIX.length).split('/')[0] as string;
    if (info.lastModified.getTime() > opts.graceCutoff) continue;
    let live = known.get(id);
    if (live === undefined) {
      live = (await ctx.meta.getUpload(ctx.repo, id)) !== undefined;
      known.set(id, live);
    }
    if (live) continue;
    if (!report.dryRun) await ctx.store.delete(info.key);
    report.uploadPartsDeleted++;
  }
}
