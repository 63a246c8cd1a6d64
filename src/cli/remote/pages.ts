// Reads every page of a listing route (`?after=&amount=`) — what a local command collects from
// the library's iterator, the remote one collects page by page.
export interface Page<T> {
  results: T[];
  pagination: { hasMore: boolean; nextOffset?: string };
}

/** Every result of the pages `fetch(after)` answers, following `nextOffset` until the last. */
export async function allPages<T>(
  fetch: (after: string | undefined) => Promise<Page<T>>,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    out.push(...page.results);
    if (!page.pagination.hasMore || out.length >= limit) return out.slice(0, limit);
    after = page.pagination.nextOffset;
  }
}

/** The most a page may hold (the server's `amount` maximum). */
export const PAGE = 1000;
