// Reading a tree: point lookups and ordered scans that descend only into the nodes they need.
import type { NodeId } from '../common/ids.js';
import { compareKeys, isPastPrefix } from '../common/keys.js';
import type { TreeEntry } from './entry.js';
import type { ChildRef } from './node-codec.js';
import type { NodeStore } from './node-store.js';

/** Index of the first child whose maxKey >= key (children.length when none). */
function firstChildAtOrAfter(children: ChildRef[], key: string): number {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((children[mid] as ChildRef).maxKey, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstEntryAtOrAfter(entries: TreeEntry[], key: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((entries[mid] as TreeEntry).path, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function lookup(
  nodes: NodeStore,
  root: NodeId,
  path: string,
): Promise<TreeEntry | undefined> {
  let node = await nodes.get({ id: root });
  while (node.kind === 'index') {
    const i = firstChildAtOrAfter(node.children, path);
    const child = node.children[i];
    if (!child) return undefined;
    node = await nodes.get(child);
  }
  const e = node.entries[firstEntryAtOrAfter(node.entries, path)];
  return e && e.path === path ? e : undefined;
}

export interface ScanOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** Only keys greater than this one. */
  after?: string;
  signal?: AbortSignal;
}

/** Entries in key order, starting at the first key > after (and >= prefix). */
export async function* scan(
  nodes: NodeStore,
  root: NodeId,
  opts: ScanOptions = {},
): AsyncIterable<TreeEntry> {
  const prefix = opts.prefix ?? '';
  let start = prefix;
  if (opts.after !== undefined && compareKeys(opts.after, start) >= 0) start = opts.after;
  const cursor = await TreeCursor.seek(nodes, root, start);
  for (;;) {
    opts.signal?.throwIfAborted();
    const item = cursor.current();
    if (!item) return;
    if (item.kind === 'ref') {
      await cursor.descend();
      continue;
    }
    const e = item.entry;
    cursor.skip();
    if (opts.after !== undefined && compareKeys(e.path, opts.after) <= 0) continue;
    if (!e.path.startsWith(prefix)) {
      if (isPastPrefix(e.path, prefix)) return;
      continue;
    }
    yield e;
  }
}

type Frame =
  | { kind: 'index'; children: ChildRef[]; i: number }
  | { kind: 'leaf'; entries: TreeEntry[]; i: number };

export type CursorItem = { kind: 'ref'; ref: ChildRef } | { kind: 'entry'; entry: TreeEntry };

/**
 * A position in a tree that can stand on a whole subtree (a ref) or on one entry. Diff walks two
 * cursors side by side and skips refs whose ids are equal on both sides.
 */
export class TreeCursor {
  private readonly stack: Frame[] = [];
  /** Every key at or below this one has been passed (exclusive lower bound of what is left). */
  lowerBound: string | undefined;

  private constructor(private readonly nodes: NodeStore) {}

  /** A cursor standing on the whole tree. */
  static async atRoot(nodes: NodeStore, root: NodeId): Promise<TreeCursor> {
    const c = new TreeCursor(nodes);
    const node = await nodes.get({ id: root });
    const height = node.kind === 'leaf' ? 0 : node.height;
    if (node.kind === 'leaf' && node.entries.length === 0) return c;
    c.stack.push({
      kind: 'index',
      children: [{ id: root, height, maxKey: '\u{10ffff}', count: 0 }],
      i: 0,
    });
    return c;
  }

  /** A cursor standing on the first entry >= key (descended only along one path). */
  static async seek(nodes: NodeStore, root: NodeId, key: string): Promise<TreeCursor> {
    const c = new TreeCursor(nodes);
    let node = await nodes.get({ id: root });
    for (;;) {
      if (node.kind === 'leaf') {
        const i = firstEntryAtOrAfter(node.entries, key);
        if (i > 0) c.lowerBound = (node.entries[i - 1] as TreeEntry).path;
        c.stack.push({ kind: 'leaf', entries: node.entries, i });
        break;
      }
      const i = firstChildAtOrAfter(node.children, key);
      if (i > 0) c.lowerBound = (node.children[i - 1] as ChildRef).maxKey;
      c.stack.push({ kind: 'index', children: node.children, i });
      const child = node.children[i];
      if (!child) break;
      // The child is entered: the parent frame moves past it.
      (c.stack.at(-1) as Frame).i = i + 1;
      node = await nodes.get(child);
    }
    c.normalize();
    return c;
  }

  current(): CursorItem | undefined {
    const top = this.stack.at(-1);
    if (!top) return undefined;
    if (top.kind === 'leaf') return { kind: 'entry', entry: top.entries[top.i] as TreeEntry };
    return { kind: 'ref', ref: top.children[top.i] as ChildRef };
  }

  /** Moves past the current item (a whole subtree, or one entry). */
  skip(): void {
    const top = this.stack.at(-1);
    if (!top) return;
    this.lowerBound =
      top.kind === 'leaf'
        ? (top.entries[top.i] as TreeEntry).path
        : (top.children[top.i] as ChildRef).maxKey;
    top.i++;
    this.normalize();
  }

  /** Replaces the current ref by its children (or entries). */
  async descend(): Promise<void> {
    const top = this.stack.at(-1);
    if (top?.kind !== 'index') throw new Error('descend() needs a ref');
    const ref = top.children[top.i] as ChildRef;
    top.i++;
    const node = await this.nodes.get(ref);
    this.stack.push(
      node.kind === 'leaf'
        ? { kind: 'leaf', entries: node.entries, i: 0 }
        : { kind: 'index', children: node.children, i: 0 },
    );
    this.normalize();
  }

  /** Pops exhausted frames so that current() is defined or the stack is empty. */
  private normalize(): void {
    for (;;) {
      const top = this.stack.at(-1);
      if (!top) return;
      const len = top.kind === 'leaf' ? top.entries.length : top.children.length;
      if (top.i < len) return;
      this.stack.pop();
    }
  }
}
