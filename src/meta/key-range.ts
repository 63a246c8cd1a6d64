// Key ranges in byte order (Unicode code point order = UTF-8 byte order = SQLite BINARY =
// PostgreSQL COLLATE "C"). Prefix scans are ranges, never LIKE: paths may contain % and _.

/** Compares in code point order; JS `<` compares UTF-16 units and disagrees for astral chars. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates encode code points above U+FFFF: lift them above U+E000–FFFF.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string starting with `prefix`, or undefined when there
 * is none (empty prefix, or only U+10FFFF). Skips the surrogate block, which is not valid UTF-8.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (cps.length > 0) {
    const last = cps.pop() ?? 0;
    if (last < 0x10ffff) {
      const next = last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1;
      return String.fromCodePoint(...cps, next);
    }
  }
  return undefined;
}

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
