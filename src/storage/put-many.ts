// Bulk puts for imports. A store may offer a faster native `putMany` (an optional capability,
// detected with canPutMany); otherwise puts run one by one with bounded concurrency.
import type { ObjectStore, OpOptions } from './object-store.js';

export interface PutManyItem {
  key: string;
  body: Uint8Array;
}

export interface PutManyOptions extends OpOptions {
  /** Objects in flight at once; default 16. */
  concurrency?: number;
}

export type PutManyItems = Iterable<PutManyItem> | AsyncIterable<PutManyItem>;

export interface PutManyStore extends ObjectStore {
  putMany(items: PutManyItems, opts?: PutManyOptions): Promise<void>;
}

export const DEFAULT_PUT_CONCURRENCY = 16;

export function canPutMany(store: ObjectStore): store is PutManyStore {
  return typeof (store as Partial<PutManyStore>).putMany === 'function';
}

/**
 * Puts every item; resolves when all are stored. On the first failure no new puts start, the ones
 * in flight finish, and that failure is thrown (some items may already be stored).
 */
export async function putMany(
  store: ObjectStore,
  items: PutManyItems,
  opts: PutManyOptions = {},
): Promise<void> {
  if (canPutMany(store)) return store.putMany(items, opts);
  await forEachConcurrent(items, opts, (item) => store.put(item.key, item.body, opts));
}

/** Runs `fn` over `items` with at most `opts.concurrency` calls in flight, stopping at the first error. */
export async function forEachConcurrent<T>(
  items: Iterable<T> | AsyncIterable<T>,
  opts: PutManyOptions,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_PUT_CONCURRENCY));
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure) {
      try {
        opts.signal?.throwIfAborted();
        const next = await iterator.next();
        if (next.done) return;
        await fn(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) {
    await iterator.return?.();
    throw failure.error;
  }
}
