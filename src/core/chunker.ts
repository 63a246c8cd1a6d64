// Content-defined boundaries for tree nodes. A node ends after an item whose key hashes to a
// boundary (and the node has at least MIN items), or when it reaches MAX items. Decisions depend
// only on the key and the count since the last boundary, so the same entries always give the same
// nodes, and an edit disturbs only the nodes around it.

export interface ChunkParams {
  min: number;
  max: number;
  /** Boundary when (hash & mask) === 0: the average node size is mask + 1. */
  mask: number;
}

export const LEAF_PARAMS: ChunkParams = { min: 4, max: 512, mask: 15 };
export const INDEX_PARAMS: ChunkParams = { min: 4, max: 512, mask: 31 };

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32; seeded per tree level. */
export function keyHash(key: string, level: number): number {
  let h = (0x811c9dc5 ^ Math.imul(level + 1, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether the node being filled at `level` ends after an item with `key`, now holding `count`. */
export function isBoundary(key: string, level: number, count: number): boolean {
  const p = level === 0 ? LEAF_PARAMS : INDEX_PARAMS;
  if (count >= p.max) return true;
  return count >= p.min && (keyHash(key, level) & p.mask) === 0;
}
