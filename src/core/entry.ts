// Tree entries and the changes between trees.
import type { ObjectAddress, RepoPath } from '../common/ids.js';

/** What a path holds: the content address plus what users see about it. */
export interface EntryValue {
  address: ObjectAddress;
  size: number;
  /** Plain SHA-256 hex of the content, checkable with `sha256sum`. */
  checksum: string;
  contentType: string;
  metadata: Record<string, string>;
  /**
   * Where the bytes are when not under the address's own key: `pack:<packId>:<offset>` for small
   * objects written in bulk (see object-io.ts). Not part of the content: equal values may differ.
   */
  physical?: string;
  /**
   * The S3 ETag (without quotes) when the writer knew it: the MD5 hex of a single-part gateway
   * write, `md5-of-md5s-N` of a multipart one, an imported object's own. Absent on entries written
   * by `sluice put` (their ETag is the checksum). Not part of the content, like `physical`.
   */
  etag?: string;
  /** Checksums a writer sent and had verified (S3 `x-amz-checksum-*`), base64 as S3 prints them. */
  checksums?: EntryChecksums;
  /**
   * Set on entries imported without copying (`sluice import`): the bytes stay where they were,
   * and every read checks they are still what was recorded here.
   */
  external?: ExternalLocation;
  /**
   * When the writer wrote it (ms since the epoch), recorded by the S3 gateway: S3 clients compare
   * it with local files' times (`aws s3 sync`). Absent: the ref's head commit time stands in.
   */
  mtime?: number;
}

export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256';
export type EntryChecksums = Partial<Record<ChecksumAlgorithm, string>>;

/** Where an imported object lives and what it was when imported. */
export interface ExternalLocation {
  /** `s3://bucket/key` or `file:///abs/path`. */
  uri: string;
  /** The source's ETag (S3) at import, checked on every read. */
  etag?: string;
  /** The file's modification time (local files) at import, in ms, checked on every read. */
  mtimeMs?: number;
}

/** The optional fields after `physical`, as the node codec writes them. */
export type EntryExtras = Pick<EntryValue, 'etag' | 'checksums' | 'external' | 'mtime'>;

export function extrasOf(e: EntryValue): EntryExtras | undefined {
  if (
    e.etag === undefined &&
    e.checksums === undefined &&
    e.external === undefined &&
    e.mtime === undefined
  )
    return undefined;
  const x: EntryExtras = {};
  if (e.etag !== undefined) x.etag = e.etag;
  if (e.checksums !== undefined) x.checksums = e.checksums;
  if (e.external !== undefined) x.external = e.external;
  if (e.mtime !== undefined) x.mtime = e.mtime;
  return x;
}

export interface TreeEntry extends EntryValue {
  path: RepoPath;
}

/** A write waiting to be applied: an entry, or null for a delete. */
export interface PathChange {
  path: RepoPath;
  value: EntryValue | null;
}

export type ChangeType = 'added' | 'removed' | 'changed';

export interface Change {
  type: ChangeType;
  path: RepoPath;
  /** The entry on the left side (absent when added). */
  left?: EntryValue;
  /** The entry on the right side (absent when removed). */
  right?: EntryValue;
}

export function sameValue(
  a: EntryValue | null | undefined,
  b: EntryValue | null | undefined,
): boolean {
  if (!a || !b) return !a && !b;
  if (a.address !== b.address || a.size !== b.size || a.checksum !== b.checksum) return false;
  if (a.contentType !== b.contentType) return false;
  if (a.external?.uri !== b.external?.uri) return false;
  const ka = Object.keys(a.metadata);
  const kb = Object.keys(b.metadata);
  return ka.length === kb.length && ka.every((k) => a.metadata[k] === b.metadata[k]);
}

export function entryValue(e: TreeEntry): EntryValue {
  const { path: _path, ...value } = e;
  return value;
}
