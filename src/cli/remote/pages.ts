// Every page of a paged listing (`{results, pagination}`), for remote commands that print the
// whole list as the local command does.

interface Page<T> {
  results: T[];
  pagination: { hasMore: boolean; nextOffset?: string };
}

/** Calls `fetch(after)` from the first page until there is no more (or `max` items). */
export async function allPages<T>(
  fetch: (after: string | undefined) => Promise<Page<T>>,
  max = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    out.push(...page.results);
    if (!page.pagination.hasMore || out.length >= max || page.pagination.nextOffset === undefined)
      break;
    after = page.pagination.nextOffset;
  }
  return out.slice(0, max);
}
