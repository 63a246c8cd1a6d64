// Walking the commit graph: log in reverse-chronological order, and merge bases.
import type { CommitId } from '../common/ids.js';
import type { Commit } from './commit-codec.js';
import type { CommitStore } from './commit-store.js';

/** Newer first: by time, then generation, then id, so the order is total and stable. */
function newerFirst(a: Commit, b: Commit): number {
  const t = b.createdAt.getTime() - a.createdAt.getTime();
  if (t !== 0) return t;
  if (b.generation !== a.generation) return b.generation - a.generation;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.before(a[i] as T, a[p] as T) >= 0) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l] as T, a[m] as T) < 0) m = l;
        if (r < a.length && this.before(a[r] as T, a[m] as T) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

/** Every commit reachable from `start`, newest first, each once. */
export async function* walkLog(
  commits: CommitStore,
  start: CommitId[],
  opts: { firstParent?: boolean } = {},
): AsyncIterable<Commit> {
  const heap = new Heap<Commit>(newerFirst);
  const seen = new Set<string>();
  for (const id of start) {
    if (seen.has(id)) continue;
    seen.add(id);
    heap.push(await commits.get(id));
  }
  for (let c = heap.pop(); c; c = heap.pop()) {
    yield c;
    const parents = opts.firstParent ? c.parents.slice(0, 1) : c.parents;
    for (const p of parents) {
      if (seen.has(p)) continue;
      seen.add(p);
      heap.push(await commits.get(p));
    }
  }
}

/**
 * The best common ancestor of two commits (git's paint-down-to-common with generation numbers):
 * commits are visited highest generation first, so the walk stops at the first common ones and
 * never reads history older than them. With several best candidates, the newest is taken.
 */
export async function mergeBase(
  commits: CommitStore,
  a: CommitId,
  b: CommitId,
): Promise<CommitId | undefined> {
  if (a === b) return a;
  const LEFT = 1;
  const RIGHT = 2;
  const STALE = 4;
  const flags = new Map<string, number>();
  const queued = new Set<string>();
  // Parents have lower generations than children, so a commit's flags are final when it is popped.
  const heap = new Heap<Commit>((x, y) => y.generation - x.generation || newerFirst(x, y));
  const add = async (id: CommitId, f: number): Promise<void> => {
    const old = flags.get(id);
    flags.set(id, (old ?? 0) | f);
    if (old === undefined) {
      queued.add(id);
      heap.push(await commits.get(id));
    }
  };
  await add(a, LEFT);
  await add(b, RIGHT);
  const found: Commit[] = [];
  while (heap.size > 0) {
    if ([...queued].every((id) => ((flags.get(id) ?? 0) & STALE) !== 0)) break;
    const c = heap.pop() as Commit;
    queued.delete(c.id);
    let f = flags.get(c.id) ?? 0;
    if ((f & (LEFT | RIGHT)) === (LEFT | RIGHT) && !(f & STALE)) {
      found.push(c);
      f |= STALE;
      flags.set(c.id, f);
    }
    for (const p of c.parents) await add(p, f);
  }
  // STALE flows from each candidate to its ancestors, so no candidate is below another.
  found.sort((x, y) => y.generation - x.generation || newerFirst(x, y));
  return found[0]?.id;
}
