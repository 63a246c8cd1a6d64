// A readable state of the repository: a commit's tree, plus (for a branch) its staging tokens
// layered on top, newest first. Reads on a branch see uncommitted writes; reads on a commit don't.
import type { CommitId, NodeId, ObjectAddress, RepoPath } from '../common/ids.js';
import { compareKeys } from '../common/keys.js';
import type { BranchRecord, StagedChange, StagedValue, StagingStore } from '../meta/meta-store.js';
import type { RepoContext } from './context.js';
import type { Change, EntryValue, PathChange, TreeEntry } from './entry.js';
import { entryValue, sameValue } from './entry.js';
import { Peekable } from './peekable.js';
import type { ResolvedRef } from './refs.js';
import { lookup, scan } from './tree-reader.js';

export interface View {
  commit: CommitId;
  tree: NodeId;
  /** Staging tokens read over the tree, newest first; empty for a commit. */
  tokens: string[];
}

export const tokensOf = (b: BranchRecord): string[] => [b.stagingToken, ...b.sealedTokens];

export async function viewOf(ctx: RepoContext<unknown>, ref: ResolvedRef): Promise<View> {
  const commit = await ctx.commits.get(ref.commit);
  const tokens = ref.kind === 'branch' || ref.kind === 'alias' ? tokensOf(ref.branch) : [];
  return { commit: commit.id, tree: commit.tree, tokens };
}

export function toEntryValue(v: StagedValue): EntryValue {
  const value: EntryValue = {
    address: v.address as ObjectAddress,
    size: v.size,
    checksum: v.checksum,
    contentType: v.contentType,
    metadata: v.metadata,
  };
  if (typeof v.physical === 'string') value.physical = v.physical;
  if (v.etag !== undefined) value.etag = v.etag;
  if (v.checksums !== undefined) value.checksums = v.checksums;
  if (v.external !== undefined) value.external = v.external;
  if (v.mtime !== undefined) value.mtime = v.mtime;
  return value;
}
export const toPathChange = (c: StagedChange): PathChange => ({
  path: c.path as RepoPath,
  value: c.value ? toEntryValue(c.value) : null,
});

export async function getEntry(
  ctx: RepoContext<StagingStore>,
  view: View,
  path: string,
): Promise<TreeEntry | undefined> {
  if (view.tokens.length > 0) {
    const staged = await ctx.meta.getStaged(ctx.repo, view.tokens, path);
    if (staged)
      return staged.value ? { ...toEntryValue(staged.value), path: path as RepoPath } : undefined;
  }
  return lookup(ctx.nodes, view.tree, path);
}

/** Entries visible in the view, in key order: staged changes merged over the tree. */
export async function* listEntries(
  ctx: RepoContext<StagingStore>,
  view: View,
  opts: { prefix?: string; after?: string; signal?: AbortSignal } = {},
): AsyncIterable<TreeEntry> {
  const tree = new Peekable(scan(ctx.nodes, view.tree, opts));
  if (view.tokens.length === 0) {
    for (let e = await tree.next(); e; e = await tree.next()) yield e;
    return;
  }
  const staged = new Peekable(
    ctx.meta.listStaged(ctx.repo, view.tokens, { prefix: opts.prefix, after: opts.after }),
  );
  for (;;) {
    const t = await tree.peek();
    const s = await staged.peek();
    if (!t && !s) return;
    const cmp = t && s ? compareKeys(t.path, s.path) : t ? -1 : 1;
    if (cmp < 0) {
      yield (await tree.next()) as TreeEntry;
      continue;
    }
    if (cmp === 0) await tree.next();
    const c = (await staged.next()) as StagedChange;
    if (c.value) yield { ...toEntryValue(c.value), path: c.path as RepoPath };
  }
}

/** Staged changes that differ from the branch head (writes of identical content are not changes). */
export function uncommittedChanges(
  ctx: RepoContext<StagingStore>,
  branch: BranchRecord,
  opts: { prefix?: string } = {},
): AsyncIterable<Change> {
  return stagedChanges(ctx, branch.head, tokensOf(branch), opts);
}

/** Rows of `tokens` that differ from commit `head`'s tree, as changes. */
export async function* stagedChanges(
  ctx: RepoContext<StagingStore>,
  head: string,
  tokens: string[],
  opts: { prefix?: string } = {},
): AsyncIterable<Change> {
  if (tokens.length === 0) return;
  const { tree } = await ctx.commits.get(head);
  for await (const c of ctx.meta.listStaged(ctx.repo, tokens, { prefix: opts.prefix })) {
    const before = await lookup(ctx.nodes, tree, c.path);
    const after = c.value ? toEntryValue(c.value) : undefined;
    const path = c.path as RepoPath;
    if (before && after) {
      if (!sameValue(entryValue(before), after))
        yield { type: 'changed', path, left: entryValue(before), right: after };
    } else if (before) yield { type: 'removed', path, left: entryValue(before) };
    else if (after) yield { type: 'added', path, right: after };
  }
}

export async function countItems(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of items) n++;
  return n;
}
