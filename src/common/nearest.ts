// "Did you mean …?": the known word nearest to a misspelt one, by edit distance.

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row.push(
        Math.min(
          (prev[j] as number) + 1,
          (row[j - 1] as number) + 1,
          (prev[j - 1] as number) + cost,
        ),
      );
    }
    prev = row;
  }
  return prev[t.length] as number;
}

/**
 * The candidate nearest to `word`, when it is near enough to be a plausible slip (at most a third
 * of the longer word's letters differ, or one contains the other); else undefined.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(w, lc);
    const contains = w.length >= 3 && lc.length >= 3 && (lc.includes(w) || w.includes(lc));
    const limit = Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3));
    const score = contains ? Math.min(d, limit) : d;
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
