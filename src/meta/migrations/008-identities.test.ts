// Migration 008 on a database that has data: sandboxes made before it read as not private, and
// the identity tables start empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import type { Database as Schema } from '../schema.js';
import { openSqliteMetaStore } from '../sqlite-meta-store.js';
import { metaMigrations } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('keeps the sandboxes of a database migrated to 007 (not private) and adds empty identities', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-migrate-008-'));
  dirs.push(dir);
  const file = join(dir, 'meta.db');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  const before = Object.fromEntries(
    Object.entries(metaMigrations('sqlite')).filter(([name]) => name < '008'),
  );
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  expect(error).toBeUndefined();
  await db
    .insertInto('sandboxes')
    .values({
      repo: 'r',
      name: 'old',
      branch: 'sandbox/old',
      created_at: 0,
      expires_at: null,
      owner: 'ana',
      from_ref: 'main',
      from_commit: 'c0',
    } as never)
    .execute();
  await db.destroy();

  const meta = await openSqliteMetaStore(file);
  try {
    expect((await meta.getSandbox('r', 'old'))?.private).toBe(false);
    expect(await meta.listUsers()).toEqual([]);
    expect(await meta.listAccessKeys()).toEqual([]);
  } finally {
    await meta.close();
  }
});
