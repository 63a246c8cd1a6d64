// One key order everywhere: Unicode code point order, which is UTF-8 byte order, the order of
// SQLite BINARY and PostgreSQL COLLATE "C". JS `<` compares UTF-16 code units and disagrees for
// astral characters, so tree code compares through this.

export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800–DFFF) encode code points above U+FFFF: lift them above U+E000–FFFF.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** True when every key with `prefix` sorts before `key` (the key is past the prefix's range). */
export function isPastPrefix(key: string, prefix: string): boolean {
  return compareKeys(key, prefix) > 0 && !key.startsWith(prefix);
}

/** A key greater than every key that starts with `prefix` (used to skip a "directory"). */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10ffff}`;
}
