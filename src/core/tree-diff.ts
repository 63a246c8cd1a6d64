// Diff of two trees. Two cursors walk side by side; wherever both stand on subtrees with the same
// id, the whole subtree is skipped unread. Canonical chunking makes unchanged regions line up, so
// the work follows the number of changes, not the size of the trees.
import type { NodeId } from '../common/ids.js';
import { compareKeys, isPastPrefix } from '../common/keys.js';
import { type Change, entryValue, sameValue } from './entry.js';
import type { NodeStore } from './node-store.js';
import { TreeCursor } from './tree-reader.js';

export interface DiffOptions {
  prefix?: string;
  signal?: AbortSignal;
}

export async function* diffTrees(
  nodes: NodeStore,
  left: NodeId,
  right: NodeId,
  opts: DiffOptions = {},
): AsyncIterable<Change> {
  if (left === right) return;
  const prefix = opts.prefix ?? '';
  const a = prefix
    ? await TreeCursor.seek(nodes, left, prefix)
    : await TreeCursor.atRoot(nodes, left);
  const b = prefix
    ? await TreeCursor.seek(nodes, right, prefix)
    : await TreeCursor.atRoot(nodes, right);
  const past = (c: TreeCursor): boolean => {
    const item = c.current();
    if (!item) return true;
    if (!prefix) return false;
    if (item.kind === 'entry') return isPastPrefix(item.entry.path, prefix);
    return (
      c.lowerBound !== undefined &&
      isPastPrefix(c.lowerBound, prefix) &&
      compareKeys(c.lowerBound, prefix) > 0
    );
  };
  const inPrefix = (p: string): boolean => p.startsWith(prefix);

  for (;;) {
    opts.signal?.throwIfAborted();
    const aDone = past(a);
    const bDone = past(b);
    if (aDone && bDone) return;
    const x = aDone ? undefined : a.current();
    const y = bDone ? undefined : b.current();
    if (x?.kind === 'ref' && y?.kind === 'ref') {
      if (x.ref.id === y.ref.id) {
        a.skip();
        b.skip();
      } else if (x.ref.height > y.ref.height) await a.descend();
      else if (y.ref.height > x.ref.height) await b.descend();
      else {
        await a.descend();
        await b.descend();
      }
      continue;
    }
    if (x?.kind === 'ref') {
      await a.descend();
      continue;
    }
    if (y?.kind === 'ref') {
      await b.descend();
      continue;
    }
    const ea = x?.entry;
    const eb = y?.entry;
    const cmp = ea && eb ? compareKeys(ea.path, eb.path) : ea ? -1 : 1;
    if (cmp < 0 && ea) {
      a.skip();
      if (inPrefix(ea.path)) yield { type: 'removed', path: ea.path, left: entryValue(ea) };
    } else if (cmp > 0 && eb) {
      b.skip();
      if (inPrefix(eb.path)) yield { type: 'added', path: eb.path, right: entryValue(eb) };
    } else if (ea && eb) {
      a.skip();
      b.skip();
      if (!sameValue(ea, eb) && inPrefix(ea.path)) {
        yield { type: 'changed', path: ea.path, left: entryValue(ea), right: entryValue(eb) };
      }
    }
  }
}
