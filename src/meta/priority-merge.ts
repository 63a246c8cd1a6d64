// Merges sorted streams into one sorted stream; on equal keys the earliest stream wins and the
// others' entries are dropped. Used to read a branch through its staging tokens.
import { compareKeys } from '../common/keys.js';

export async function* mergeByPriority<T>(
  streams: AsyncIterable<T>[],
  key: (item: T) => string,
): AsyncGenerator<T> {
  const iters = streams.map((s) => s[Symbol.asyncIterator]());
  const heads: (T | undefined)[] = await Promise.all(iters.map(next));
  try {
    for (;;) {
      let best = -1;
      let bestKey = '';
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h === undefined) continue;
        const k = key(h);
        if (best < 0 || compareKeys(k, bestKey) < 0) {
          best = i;
          bestKey = k;
        }
      }
      if (best < 0) return;
      const winner = heads[best] as T;
      // Advance every stream positioned on the winning key (at most one entry each).
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h !== undefined && key(h) === bestKey) heads[i] = await next(iters[i]!);
      }
      yield winner;
    }
  } finally {
    await Promise.all(iters.map((it) => it.return?.()));
  }
}

async function next<T>(it: AsyncIterator<T>): Promise<T | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}
