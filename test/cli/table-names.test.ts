// Through the CLI: `ingest --table Orders` and a manifest put at `tables/Orders/` where `orders`
// is are refused with TableNameConflictError (exit 2) naming both spellings; nothing is staged and
// SQL on the branch keeps working.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-names-');
const repo = join(root, 'repo');
const sluice = cliFor(repo);

beforeAll(async () => {
  await buildOnce();
  expect((await runCli(['init', repo])).code).toBe(0);
  writeFileSync(join(root, 'orders.csv'), 'id,amount\n1,10\n');
  const r = await sluice(['ingest', join(root, 'orders.csv'), '--table', 'orders', '--commit']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

it('ingest --table Orders where orders exists: exit 2, both spellings named, nothing staged', async () => {
  const r = await sluice(['--json', 'ingest', join(root, 'orders.csv'), '--table', 'Orders']);
  expect(r.code).toBe(2);
  expect(r.json.error.code).toBe('TableNameConflictError');
  expect(r.json.error.data).toEqual({ table: 'Orders', existing: 'orders', ref: 'main' });
  const human = await sluice(['ingest', join(root, 'orders.csv'), '--table', 'ORDERS']);
  expect(human.code).toBe(2);
  expect(human.stderr).toMatch(/^error: table ORDERS would clash with table orders on main/);
  expect((await sluice(['--json', 'status'])).json.changes).toEqual([]);
  const sql = await sluice(['--json', 'sql', 'SELECT count(*)::INTEGER AS n FROM orders']);
  expect(sql.code, sql.stdout).toBe(0);
}, 60_000);

it('put of a table manifest under another spelling: refused before anything is staged', async () => {
  const manifest = join(root, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      format: 'sluice.table/v1',
      name: 'Orders',
      columns: [{ name: 'id', type: 'INTEGER' }],
    }),
  );
  const r = await sluice(['--json', 'put', manifest, 'tables/Orders/_sluice_table.json']);
  expect(r.code).toBe(2);
  expect(r.json.error.code).toBe('TableNameConflictError');
  expect((await sluice(['--json', 'status'])).json.changes).toEqual([]);
  // Other files under tables/ are not table manifests: they go in as they are.
  const note = await sluice(['put', manifest, 'tables/Orders/notes.json']);
  expect(note.code, note.stderr).toBe(0);
}, 60_000);
