// One key order everywhere: Unicode code point order, which is UTF-8 byte order — the order of
// S3 listings, SQLite BINARY and PostgreSQL COLLATE "C". JS `<` compares UTF-16 code units and
// disagrees for astral characters, so every layer compares keys through this file.

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

/** An `after` bound that skips every key starting with `prefix` (a "directory" in a listing). */
export function afterAllWithPrefix(prefix: string): string {
  return `${prefix}\u{10ffff}`;
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
