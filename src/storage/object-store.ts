// ObjectStore: immutable blobs by key. The engine writes each key once (content-addressed), so
// implementations need no locking, only atomic puts: a reader sees the whole object or none.
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive; omitted means to the end. */
  end?: number;
}

export interface OpOptions {
  signal?: AbortSignal;
}

export interface ObjectStore {
  readonly kind: 'local' | 's3' | 'memory';
  /** Where the store lives, for config files and messages (`/abs/dir`, `s3://bucket/prefix`, `memory://`). */
  readonly uri: string;
  /**
   * Stores `body` under `key`, replacing any previous object atomically. A stream body needs
   * `size` when the backend requires a content length (S3).
   */
  put(
    key: string,
    body: Uint8Array | Readable,
    opts?: OpOptions & { size?: number },
  ): Promise<void>;
  /**
   * Moves a local file in under `key` (the file is gone afterwards): the local store renames it
   * into place when on the same filesystem (no second pass over the bytes), others stream it.
   * Optional; `putLocalFile` (put-file.ts) falls back to streaming for a store without it.
   */
  putFile?(key: string, file: string, opts?: OpOptions): Promise<void>;
  /** The whole object (or a byte range of it). Throws ObjectNotFoundError. */
  get(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Uint8Array>;
  /** A stream of the object (or a byte range). Throws ObjectNotFoundError before streaming. */
  getStream(key: string, opts?: OpOptions & { range?: ByteRange }): Promise<Readable>;
  /** Size and time of an object, or undefined when it does not exist. */
  head(key: string, opts?: OpOptions): Promise<ObjectInfo | undefined>;
  /** Deletes the object; deleting a missing key is not an error. */
  delete(key: string, opts?: OpOptions): Promise<void>;
  /** Every object whose key starts with `prefix`, in ascending key order, after `after` if given. */
  list(prefix: string, opts?: OpOptions & { after?: string }): AsyncIterable<ObjectInfo>;
  close(): Promise<void>;
  /**
   * Local stores only: the file that holds `key` as a whole, so engines that read files (DuckDB)
   * can open it in place instead of through a copy.
   */
  localPath?(key: string): string;
}
