// Query pieces shared by the role implementations: key ranges as conditions, keyset pagination,
// and the (repo, name) → row tables (tags, aliases, sandboxes) read the same way.
import { type Expression, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import { type KeyBounds, keyBounds } from '../key-range.js';
import type { ListOptions } from '../meta-store.js';
import type { Database } from '../schema.js';

/** Rows per page of every internal listing. */
export const PAGE = 1000;
/** Values per `IN (…)` list. */
export const IN_CHUNK = 500;

/** `column` within `b`, as one condition (TRUE when unbounded). */
export function inRange(column: 'name' | 'path' | 'id', b: KeyBounds): Expression<SqlBool> {
  const ref = sql.ref(column);
  const conds = [];
  if (b.gte !== undefined) conds.push(sql`${ref} >= ${b.gte}`);
  if (b.gt !== undefined) conds.push(sql`${ref} > ${b.gt}`);
  if (b.lt !== undefined) conds.push(sql`${ref} < ${b.lt}`);
  return conds.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

/**
 * Keyset pagination: fetches pages of `[key, item]` in key order, each starting after the last
 * key of the previous one, until `opts.limit` items or the range is exhausted.
 */
export async function* paged<T>(
  opts: ListOptions,
  pageSize: number,
  fetch: (bounds: KeyBounds, limit: number) => Promise<[string, T][]>,
): AsyncGenerator<T> {
  let bounds = keyBounds(opts);
  let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const n = Math.min(pageSize, remaining);
    const rows = await fetch(bounds, n);
    for (const [, item] of rows) yield item;
    remaining -= rows.length;
    const last = rows.at(-1);
    if (rows.length < n || last === undefined) return;
    bounds = { gt: last[0], ...(bounds.lt !== undefined && { lt: bounds.lt }) };
  }
}

/** Tables keyed by (repo, name). */
export type NamedTable = 'tags' | 'aliases' | 'sandboxes';

export function getNamed(db: Kysely<Database>, table: NamedTable, repo: string, name: string) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('repo', '=', repo)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function listNamed<T>(
  db: Kysely<Database>,
  table: NamedTable,
  repo: string,
  opts: ListOptions,
  map: (row: Selectable<Database[NamedTable]>) => T,
): AsyncIterable<T> {
  return paged(opts, PAGE, async (b, limit) => {
    const rows = await db
      .selectFrom(table)
      .selectAll()
      .where('repo', '=', repo)
      .where(inRange('name', b))
      .orderBy('name')
      .limit(limit)
      .execute();
    return rows.map((r) => [r.name, map(r)]);
  });
}

export async function deleteNamed(
  db: Kysely<Database>,
  table: NamedTable,
  repo: string,
  name: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom(table)
    .where('repo', '=', repo)
    .where('name', '=', name)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}
