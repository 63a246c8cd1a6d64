// The bulk INSERT … ON CONFLICT DO UPDATE behind stage(), the one query whose row source differs
// by dialect: a multi-row VALUES list on SQLite (compiled once per chunk size and re-bound), one
// array per column through unnest() on PostgreSQL.
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database, MetaDialect, StagingTable } from '../schema.js';

/** Bound parameters per statement: SQLite allows 32766. */
const SQLITE_MAX_PARAMS = 32_000;
const STAGING_COLUMN_NAMES = [
  'repo',
  'token',
  'path',
  'address',
  'size',
  'checksum',
  'content_type',
  'metadata',
  'physical',
  'extras',
] as const satisfies (keyof StagingTable)[];
const STAGING_COLUMNS = STAGING_COLUMN_NAMES.length;
/** Rows per PostgreSQL staging INSERT (one array parameter per column). */
const PG_ARRAY_CHUNK = 10_000;

/** Rows per staging INSERT statement in `dialect`. */
export function stagingChunk(dialect: MetaDialect): number {
  return dialect === 'postgres' ? PG_ARRAY_CHUNK : Math.floor(SQLITE_MAX_PARAMS / STAGING_COLUMNS);
}

/** INSERT … ON CONFLICT DO UPDATE of staging rows (all of one repo and token). */
export function upsertStaging(db: Kysely<Database>, dialect: MetaDialect, rows: StagingTable[]) {
  const insert = db.insertInto('staging').columns(STAGING_COLUMN_NAMES);
  return (
    dialect === 'postgres' ? insert.expression(pgUnnest(rows)) : insert.values(rows)
  ).onConflict((oc) =>
    oc.columns(['repo', 'token', 'path']).doUpdateSet((eb) => ({
      address: eb.ref('excluded.address'),
      size: eb.ref('excluded.size'),
      checksum: eb.ref('excluded.checksum'),
      content_type: eb.ref('excluded.content_type'),
      metadata: eb.ref('excluded.metadata'),
      physical: eb.ref('excluded.physical'),
      extras: eb.ref('excluded.extras'),
    })),
  );
}

/** The parameters of a multi-row VALUES insert of `rows`, in column order. */
export function stagingParams(rows: StagingTable[]): unknown[] {
  const params: unknown[] = [];
  for (const r of rows) for (const c of STAGING_COLUMN_NAMES) params.push(r[c]);
  return params;
}

/** Checks the template's parameter layout before trusting it. */
export function sameParams(query: CompiledQuery, rows: StagingTable[]): boolean {
  const mine = stagingParams(rows);
  return query.parameters.length === mine.length && mine.every((v, i) => query.parameters[i] === v);
}

/**
 * PostgreSQL row source for bulk staging: one array per column through unnest() is about twice
 * as fast as a multi-row VALUES list (which PostgreSQL parses and plans row by row).
 */
function pgUnnest(rows: StagingTable[]) {
  const col = <K extends keyof StagingTable>(k: K) => rows.map((r) => r[k]);
  const first = rows[0]!; // one repo and token per call
  return sql<StagingTable>`select ${first.repo}::text, ${first.token}::text, t.* from unnest(
    ${col('path')}::text[], ${col('address')}::text[], ${col('size')}::bigint[],
    ${col('checksum')}::text[], ${col('content_type')}::text[], ${col('metadata')}::text[],
    ${col('physical')}::text[], ${col('extras')}::text[]
  ) as t`;
}
