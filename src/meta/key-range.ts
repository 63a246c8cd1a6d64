// Key ranges in byte order (Unicode code point order = UTF-8 byte order = SQLite BINARY =
// PostgreSQL COLLATE "C"). Prefix scans are ranges, never LIKE: paths may contain % and _.
import { compareKeys, prefixUpperBound } from '../common/keys.js';

export interface KeyBounds {
  /** Inclusive lower bound. */
  gte?: string;
  /** Exclusive lower bound. */
  gt?: string;
  /** Exclusive upper bound. */
  lt?: string;
}

/** The key range selected by a prefix and an exclusive `after` cursor. */
export function keyBounds(opts: { prefix?: string; after?: string }): KeyBounds {
  const { prefix, after } = opts;
  const bounds: KeyBounds = {};
  if (prefix) {
    const lt = prefixUpperBound(prefix);
    if (lt !== undefined) bounds.lt = lt;
  }
  if (after !== undefined && (!prefix || compareKeys(after, prefix) >= 0)) bounds.gt = after;
  else if (prefix) bounds.gte = prefix;
  return bounds;
}
