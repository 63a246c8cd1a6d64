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
  const ka = Object.keys(a.metadata);
  const kb = Object.keys(b.metadata);
  return ka.length === kb.length && ka.every((k) => a.metadata[k] === b.metadata[k]);
}

export function entryValue(e: TreeEntry): EntryValue {
  const { path: _path, ...value } = e;
  return value;
}
