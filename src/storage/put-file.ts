// Moving a local file into a store: the file was spooled by a writer that hashed it on the way
// (the S3 gateway), so the store gets it in the cheapest way it has — a rename on the local store,
// one streaming pass elsewhere — and the spool file is removed either way.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { ObjectStore, OpOptions } from './object-store.js';

/** Streams `file` into `key` with `put`, then removes it: the putFile of stores that cannot rename. */
export async function streamFileIn(
  store: Pick<ObjectStore, 'put'>,
  key: string,
  file: string,
  opts: OpOptions = {},
): Promise<void> {
  const { size } = await stat(file);
  await store.put(key, createReadStream(file), { size, signal: opts.signal });
  await rm(file, { force: true });
}

/** `store.putFile` when the store has it, else one streaming pass. */
export function putLocalFile(
  store: ObjectStore,
  key: string,
  file: string,
  opts: OpOptions = {},
): Promise<void> {
  return store.putFile ? store.putFile(key, file, opts) : streamFileIn(store, key, file, opts);
}
