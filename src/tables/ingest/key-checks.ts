// A primary key names one row: the input's keys must be present and unique, and an append may
// not add a key the table already has.
import { DuplicateKeyError, MalformedInputError } from '../../common/errors.js';
import type { TreeEntry } from '../../core/entry.js';
import { type DuckSession, sqlIdent, sqlList } from '../../engine/duckdb.js';
import type { ObjectCache } from '../../engine/object-cache.js';
import { cacheOf, type IngestState } from './state.js';

/** The key checks of the converted inputs (before anything is replaced or stored). */
export async function checkKeys(s: IngestState): Promise<void> {
  const { existing, key, outputs } = s;
  if (key?.length && outputs.length > 0) await keysOfInput(s.duck, s.table, key, outputs, s.files);
  if (
    existing &&
    s.mode === 'append' &&
    key?.length &&
    outputs.length > 0 &&
    existing.files.length > 0
  )
    await refuseExistingKeys(s.duck, cacheOf(s), s.table, existing.files, outputs, key);
}

/** `key` as a SQL column list, qualified by `alias` if given. */
export const keyList = (key: string[], alias?: string): string =>
  key.map((k) => (alias ? `${alias}.${sqlIdent(k)}` : sqlIdent(k))).join(', ');

/** Keys must be present and unique within the input. */
async function keysOfInput(
  duck: DuckSession,
  table: string,
  key: string[],
  outputs: { path: string }[],
  files: string[],
): Promise<void> {
  const src = `read_parquet(${sqlList(outputs.map((o) => o.path))})`;
  const nulls = await duck.query(
    `SELECT count(*) AS n FROM ${src} WHERE ${key.map((k) => `${sqlIdent(k)} IS NULL`).join(' OR ')}`,
  );
  if (Number(nulls.rows[0]?.n ?? 0) > 0) {
    throw new MalformedInputError(
      `${nulls.rows[0]?.n} input row(s) of table ${table} have a NULL in the key (${key.join(', ')})`,
      { file: files.join(', '), format: 'any', column: key.join(',') },
    );
  }
  const dup = await duck.query(
    `SELECT ${keyList(key)}, count(*) AS n FROM ${src} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
  );
  if (dup.rows.length > 0) {
    const row = dup.rows[0] as Record<string, unknown>;
    const value = key.map((k) => `${k}=${JSON.stringify(row[k])}`).join(', ');
    throw new MalformedInputError(
      `the input has ${row.n} rows with key ${value}: keys of table ${table} must be unique`,
      { file: files.join(', '), format: 'any', column: key.join(',') },
    );
  }
}

/** An append may not add a key the table already has (a semi-join against its files). */
async function refuseExistingKeys(
  duck: DuckSession,
  cache: ObjectCache,
  table: string,
  files: TreeEntry[],
  outputs: { path: string }[],
  key: string[],
): Promise<void> {
  const local: string[] = [];
  for (const f of files) local.push(await cache.fileFor(f));
  const on = key.map((k) => `f.${sqlIdent(k)} = n.${sqlIdent(k)}`).join(' AND ');
  const hit = await duck.query(
    `SELECT ${keyList(key, 'n')} FROM read_parquet(${sqlList(outputs.map((o) => o.path))}) n ` +
      `SEMI JOIN read_parquet(${sqlList(local)}, union_by_name = true) f ON ${on} LIMIT 1`,
  );
  const row = hit.rows[0];
  if (!row) return;
  const value = Object.fromEntries(key.map((k) => [k, row[k] ?? null]));
  throw new DuplicateKeyError(
    `key ${key.map((k) => `${k}=${JSON.stringify(value[k])}`).join(', ')} is already in table ${table}: ` +
      'an append adds rows; use --mode upsert to replace them',
    { table, key, value },
  );
}
