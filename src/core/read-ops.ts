// Reads as the Repository offers them: one object (its entry, bytes or a verified stream), a
// listing with delimiter-collapsed prefixes, uncommitted changes, the log and the diff. A branch
// (or an alias of one) reads through its staging area; every other ref reads its commit.
import { Readable } from 'node:stream';
import { InvalidArgumentError, PathNotFoundError } from '../common/errors.js';
import { parseRepoPath } from '../common/ids.js';
import { afterAllWithPrefix } from '../common/keys.js';
import type { RefStore, StagingStore } from '../meta/meta-store.js';
import type { Commit } from './commit-codec.js';
import type { RepoContext } from './context.js';
import type { Change, TreeEntry } from './entry.js';
import { walkLog } from './history.js';
import { EMPTY_TREE_ID } from './node-codec.js';
import { openRange, openVerified, readVerified } from './object-io.js';
import { resolveBranch, resolveRef } from './refs.js';
import { diffTrees } from './tree-diff.js';
import { getEntry, listEntries, uncommittedChanges, viewOf } from './view.js';

export type ListItem = { type: 'object'; entry: TreeEntry } | { type: 'prefix'; path: string };

type ReadMeta = RefStore & StagingStore;

export async function stat(
  ctx: RepoContext<ReadMeta>,
  ref: string,
  path: string,
): Promise<TreeEntry> {
  const p = parseRepoPath(path);
  const view = await viewOf(ctx, await resolveRef(ctx, ref));
  const e = await getEntry(ctx, view, p);
  if (!e) throw new PathNotFoundError(`${p} not found at ${ref}`, { path: p, ref });
  return e;
}

export async function getObject(
  ctx: RepoContext<ReadMeta>,
  ref: string,
  path: string,
  opts: { signal?: AbortSignal },
): Promise<Uint8Array> {
  const e = await stat(ctx, ref, path);
  return readVerified(ctx.store, e, opts.signal);
}

/** Objects up to this size are read whole by openObject (and handed back as `bytes` too). */
const WHOLE_READ_MAX = 64 * 1024;

/**
 * A stream of the object's content (and, for a small object, its verified `bytes`); it fails at the end if the stored bytes are corrupted. With a
 * `range` (inclusive bytes, within the object: the caller checks it against the entry's size) only
 * those bytes are read — a part cannot be checked against the address, except for a packed (small)
 * object, which is read whole, verified and cut.
 */
export async function openObject(
  ctx: RepoContext<ReadMeta>,
  ref: string,
  path: string,
  opts: { signal?: AbortSignal; range?: { start: number; end: number } },
): Promise<{ entry: TreeEntry; stream: Readable; bytes?: Uint8Array }> {
  const entry = await stat(ctx, ref, path);
  const range = opts.range;
  if (range === undefined && entry.size <= WHOLE_READ_MAX) {
    // A small object costs less read whole (one read, verified) than opened as a file stream.
    const bytes = await readVerified(ctx.store, entry, opts.signal);
    return { entry, bytes, stream: Readable.from([Buffer.from(bytes)]) };
  }
  if (range === undefined)
    return { entry, stream: await openVerified(ctx.store, entry, opts.signal) };
  if (range.start < 0 || range.end < range.start || range.end >= entry.size)
    throw new InvalidArgumentError(
      `range ${range.start}-${range.end} is outside ${entry.path} (${entry.size} bytes)`,
      { argument: 'range', reason: 'outside the object' },
    );
  if (entry.physical !== undefined && entry.external === undefined) {
    const bytes = await readVerified(ctx.store, entry, opts.signal);
    return {
      entry,
      stream: Readable.from([Buffer.from(bytes.subarray(range.start, range.end + 1))]),
    };
  }
  return { entry, stream: await openRange(ctx.store, entry, range, opts.signal) };
}

/** Entries at a ref in key order; with `delimiter`, keys below it collapse into prefixes. */
export async function* list(
  ctx: RepoContext<ReadMeta>,
  ref: string,
  opts: { prefix?: string; after?: string; delimiter?: string; signal?: AbortSignal },
): AsyncIterable<ListItem> {
  const view = await viewOf(ctx, await resolveRef(ctx, ref));
  const prefix = opts.prefix ?? '';
  let after = opts.after;
  for (;;) {
    let restartAfter: string | undefined;
    for await (const entry of listEntries(ctx, view, {
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

/** Staged changes on a branch that differ from its head. */
export async function* status(
  ctx: RepoContext<ReadMeta>,
  branch: string,
  opts: { prefix?: string },
): AsyncIterable<Change> {
  yield* uncommittedChanges(ctx, await resolveBranch(ctx, branch), opts);
}

/** Commits reachable from the ref, newest first; with `path`, only those that changed it. */
export async function* log(
  ctx: RepoContext<RefStore>,
  ref: string,
  opts: { limit?: number; path?: string; firstParent?: boolean },
): AsyncIterable<Commit> {
  const start = await resolveRef(ctx, ref);
  const path =
    opts.path === undefined ? undefined : parseRepoPath(opts.path, { allowTrailingSlash: true });
  let n = 0;
  for await (const c of walkLog(ctx.commits, [start.commit], opts)) {
    if (opts.limit !== undefined && n >= opts.limit) return;
    if (path !== undefined && !(await touches(ctx, c, path))) continue;
    n++;
    yield c;
  }
}

/** Whether commit `c` changed `path` (or anything under it) against its first parent. */
async function touches(ctx: RepoContext<unknown>, c: Commit, path: string): Promise<boolean> {
  const parent = c.parents[0];
  const before = parent ? (await ctx.commits.get(parent)).tree : EMPTY_TREE_ID;
  const dir = path.endsWith('/') ? path : `${path}/`;
  for await (const change of diffTrees(ctx.nodes, before, c.tree, { prefix: path })) {
    if (change.path === path || change.path.startsWith(dir)) return true;
  }
  return false;
}

/** Changes from `left` to `right` (both refs read as commits: staging is not included). */
export async function* diff(
  ctx: RepoContext<RefStore>,
  left: string,
  right: string,
  opts: { prefix?: string; signal?: AbortSignal },
): AsyncIterable<Change> {
  const a = await ctx.commits.get((await resolveRef(ctx, left)).commit);
  const b = await ctx.commits.get((await resolveRef(ctx, right)).commit);
  yield* diffTrees(ctx.nodes, a.tree, b.tree, opts);
}
