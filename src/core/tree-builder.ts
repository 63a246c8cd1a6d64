// Applies a sorted stream of changes to a tree and returns the new root. Untouched subtrees are
// reused by id without being read, so the cost follows the change, not the tree. The result is
// canonical: equal to building the same entries from scratch (see the proof sketch below).
//
// Why reuse is exact: a level's chunker state is only "items since its last boundary". When the
// chunkers of levels 0..h are all empty, the old tree also started its height-h node N here from
// empty state; if no change falls in N's key range, feeding N's items would rebuild N exactly
// and leave the same empty state behind, so pushing N's ref is equivalent.
import { InternalError } from '../common/errors.js';
import type { NodeId } from '../common/ids.js';
import { compareKeys } from '../common/keys.js';
import { isBoundary } from './chunker.js';
import { type PathChange, sameValue, type TreeEntry } from './entry.js';
import { type ChildRef, EMPTY_TREE_ID, type NodeRef } from './node-codec.js';
import type { NodeStore } from './node-store.js';
import { Peekable } from './peekable.js';

export interface ApplyResult {
  /** The new root, stored loose under its id (its children are in node packs). */
  root: NodeId;
  /** Entries in the new tree. */
  count: number;
}

/** Changes must be sorted by path (compareKeys) with each path at most once. */
export async function applyChanges(
  nodes: NodeStore,
  root: NodeId,
  changes: AsyncIterable<PathChange> | Iterable<PathChange>,
  opts: { signal?: AbortSignal } = {},
): Promise<ApplyResult> {
  const b = new LevelBuilder(nodes);
  const pending = new Peekable(changes);
  let last: string | undefined;
  /** Takes the next change if its path is below `bound` (or equal, when `inclusive`). */
  const take = async (
    bound: string | null,
    inclusive: boolean,
  ): Promise<PathChange | undefined> => {
    const c = await pending.peek();
    if (!c) return undefined;
    if (bound !== null) {
      const cmp = compareKeys(c.path, bound);
      if (cmp > 0 || (cmp === 0 && !inclusive)) return undefined;
    }
    if (last !== undefined && compareKeys(c.path, last) <= 0) {
      throw new InternalError(`changes out of order: ${c.path} after ${last}`);
    }
    last = c.path;
    return pending.next();
  };
  const pushChange = async (c: PathChange): Promise<void> => {
    if (c.value) await b.pushEntry({ ...c.value, path: c.path });
  };
  const drain = async (bound: string | null): Promise<void> => {
    for (let c = await take(bound, true); c; c = await take(bound, true)) await pushChange(c);
  };

  // `hi` is the greatest key whose changes belong to this subtree (null: no limit, right edge).
  const visit = async (ref: ChildRef, hi: string | null): Promise<void> => {
    opts.signal?.throwIfAborted();
    const next = await pending.peek();
    const untouched = !next || (hi !== null && compareKeys(next.path, hi) > 0);
    if (untouched && b.isFresh(ref.height)) {
      await b.pushRef(ref);
      return;
    }
    const node = await nodes.get(ref);
    if (node.kind === 'index') {
      for (let i = 0; i < node.children.length; i++) {
        const child = node.children[i] as ChildRef;
        await visit(child, i === node.children.length - 1 ? hi : child.maxKey);
      }
      return;
    }
    for (const e of node.entries) {
      for (let c = await take(e.path, false); c; c = await take(e.path, false)) await pushChange(c);
      const same = await take(e.path, true);
      // Rewriting equal content (perhaps stored elsewhere) keeps the entry: no-ops change no id.
      if (!same || sameValue(same.value, e)) await b.pushEntry(e);
      else await pushChange(same);
    }
    await drain(hi);
  };

  if (root === EMPTY_TREE_ID) {
    await drain(null);
  } else {
    await visit(await topRef(nodes, root), null);
  }
  const { ref, count } = await b.finish();
  await nodes.finishTree(ref);
  return { root: ref.id, count };
}

async function topRef(nodes: NodeStore, root: NodeId): Promise<ChildRef> {
  const node = await nodes.get({ id: root });
  if (node.kind === 'leaf') {
    return {
      id: root,
      height: 0,
      maxKey: node.entries.at(-1)?.path ?? '',
      count: node.entries.length,
    };
  }
  const lastChild = node.children.at(-1) as ChildRef;
  const count = node.children.reduce((n, c) => n + c.count, 0);
  return { id: root, height: node.height, maxKey: lastChild.maxKey, count };
}

/** Builds a tree from entries already sorted by path. */
export function buildTree(
  nodes: NodeStore,
  entries: AsyncIterable<TreeEntry> | Iterable<TreeEntry>,
  opts: { signal?: AbortSignal } = {},
): Promise<ApplyResult> {
  async function* asChanges(): AsyncIterable<PathChange> {
    for await (const e of entries) {
      const { path, ...value } = e;
      yield { path, value };
    }
  }
  return applyChanges(nodes, EMPTY_TREE_ID, asChanges(), opts);
}

/** One chunker per level: level 0 collects entries into leaves, level k+1 collects level-k refs. */
class LevelBuilder {
  private readonly leaf: TreeEntry[] = [];
  private readonly levels: ChildRef[][] = [[]];

  constructor(private readonly nodes: NodeStore) {}

  /** True when the chunkers of levels 0..height hold nothing: a height-`height` ref may be pushed. */
  isFresh(height: number): boolean {
    if (this.leaf.length > 0) return false;
    for (let k = 1; k <= height; k++) if ((this.levels[k]?.length ?? 0) > 0) return false;
    return true;
  }

  async pushEntry(e: TreeEntry): Promise<void> {
    this.leaf.push(e);
    if (isBoundary(e.path, 0, this.leaf.length)) await this.emitLeaf();
  }

  /** Pushes a finished node of height h into the chunker of level h + 1. */
  async pushRef(ref: ChildRef): Promise<void> {
    const level = ref.height + 1;
    while (this.levels.length <= level) this.levels.push([]);
    const items = this.levels[level] as ChildRef[];
    items.push(ref);
    if (isBoundary(ref.maxKey, level, items.length)) await this.emitIndex(level);
  }

  private async emitLeaf(): Promise<void> {
    const entries = this.leaf.splice(0);
    const ref = await this.nodes.put({ kind: 'leaf', entries });
    await this.pushRef({
      ...ref,
      height: 0,
      maxKey: (entries.at(-1) as TreeEntry).path,
      count: entries.length,
    });
  }

  private async emitIndex(level: number): Promise<void> {
    const children = (this.levels[level] as ChildRef[]).splice(0);
    const ref = await this.nodes.put({ kind: 'index', height: level, children });
    const count = children.reduce((n, c) => n + c.count, 0);
    await this.pushRef({
      ...ref,
      height: level,
      maxKey: (children.at(-1) as ChildRef).maxKey,
      count,
    });
  }

  /** Flushes partial nodes bottom-up; the root is the lone ref left at the top. */
  async finish(): Promise<{ ref: NodeRef; count: number }> {
    if (this.leaf.length > 0) await this.emitLeaf();
    for (let level = 1; level < this.levels.length; level++) {
      const items = this.levels[level] as ChildRef[];
      if (items.length === 0) continue;
      const higherEmpty = this.levels.slice(level + 1).every((l) => l.length === 0);
      if (items.length === 1 && higherEmpty) {
        const only = items[0] as ChildRef;
        return { ref: only, count: only.count };
      }
      await this.emitIndex(level);
    }
    return { ref: { id: EMPTY_TREE_ID }, count: 0 };
  }
}
