// `sluice sql --read-only`, the mode the server runs SQL in: the repository's tables read as
// always, but DuckDB's own locks refuse files (COPY … TO, read_csv, read_parquet of a path,
// ATTACH, extensions) and configuration changes (SET, RESET, PRAGMA) with ReadOnlySqlError
// (exit 2); without the flag the same statements run.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sql --read-only', () => {
  const root = tempDir();
  dirs.push(root);
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  const secret = join(root, 'secret.csv');
  const out = join(root, 'out.csv');

  beforeAll(async () => {
    expect((await runCli(['init', repo, '--quiet'])).code).toBe(0);
    writeFileSync(join(root, 'orders.csv'), 'id,amount\n1,10\n2,20\n');
    writeFileSync(secret, 'password\nhunter2\n');
    const ing = await sluice(['ingest', join(root, 'orders.csv'), '--table', 'orders', '--commit']);
    expect(ing.code, ing.stderr).toBe(0);
  });

  it("reads the repository's tables", async () => {
    const r = await sluice([
      '--json',
      'sql',
      '--read-only',
      'SELECT sum(amount) AS total FROM orders; ',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.rows).toEqual([{ total: '30' }]);
    // Scratch work in memory stays allowed.
    const scratch = await sluice([
      '--json',
      'sql',
      '--read-only',
      'CREATE TEMP TABLE x AS SELECT id FROM orders; SELECT count(*) AS n FROM x',
    ]);
    expect(scratch.code, scratch.stderr).toBe(0);
    expect(scratch.json.rows).toEqual([{ n: '2' }]);
  });

  const refusedFile = [
    `COPY orders TO '${out}' (FORMAT csv)`,
    `COPY (SELECT 1) TO '${out}'`,
    `SELECT * FROM read_csv('${secret}')`,
    `SELECT * FROM '${secret}'`,
    `SELECT * FROM read_text('${secret}')`,
    `SELECT * FROM read_parquet('${join(root, 'nope.parquet')}')`,
    `ATTACH '${join(root, 'x.duckdb')}' AS x`,
    'INSTALL httpfs',
  ];
  it.each(refusedFile)('refuses %s (ReadOnlySqlError, refused: file)', async (sql) => {
    const r = await sluice(['--json', 'sql', '--read-only', sql]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.json.error.code).toBe('ReadOnlySqlError');
    expect(r.json.error.data.refused).toBe('file');
    expect(r.json.error.message).toMatch(/read-only SQL session/);
    expect(r.stdout).not.toContain('hunter2');
    expect(existsSync(out)).toBe(false);
  });

  const refusedConfig = [
    "SET memory_limit = '64GB'",
    'SET threads = 1',
    'SET enable_external_access = true',
    'RESET lock_configuration',
    "PRAGMA memory_limit = '64GB'",
    // Undoing the locks first, in the same run, does not help.
    `SET lock_configuration = false; SELECT * FROM read_csv('${secret}')`,
  ];
  it.each(refusedConfig)('refuses %s (ReadOnlySqlError, refused: configuration)', async (sql) => {
    const r = await sluice(['--json', 'sql', '--read-only', sql]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.json.error.code).toBe('ReadOnlySqlError');
    expect(r.json.error.data.refused).toBe('configuration');
  });

  it('the human error says what was refused; --out is refused up front', async () => {
    const r = await sluice(['sql', '--read-only', `SELECT * FROM read_csv('${secret}')`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: a read-only SQL session reads only the repository's tables/);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    const o = await sluice(['--json', 'sql', '--read-only', 'SELECT 1', '--out', out]);
    expect(o.code).toBe(1);
    expect(o.json.error.code).toBe('InvalidArgumentError');
    expect(existsSync(out)).toBe(false);
  });

  it('without --read-only the same statements run, as before', async () => {
    const r = await sluice(['--json', 'sql', `SELECT * FROM read_csv('${secret}')`]);
    expect(r.code, r.stdout).toBe(0);
    const c = await sluice(['--json', 'sql', `COPY orders TO '${out}' (FORMAT csv)`]);
    expect(c.code, c.stdout).toBe(0);
    expect(existsSync(out)).toBe(true);
    rmSync(out);
  });
});
