// The remote CLI's data commands print what the local ones print, with the same exit codes: one
// script — sql, table list|show|history|diff, events, metrics, lineage, impact, sandbox
// create|list|delete, successes and failures, text and --json — run locally on one repository and
// with --remote against a server of another made the same way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { runScript, type Step } from '../support/remote-parity.js';
import { type Served, serve } from '../support/served.js';
import { secretOf, testAuthenticator } from '../support/test-auth.js';

/** A repository with two tables on main, an upsert on feat merged back, and a small project. */
async function makeRepository(dir: string): Promise<void> {
  const cli = (args: string[]) => runCli(args, { env: { SLUICE_REPO: dir } });
  const ok = async (args: string[]) => expect((await cli(args)).code, args.join(' ')).toBe(0);
  expect((await runCli(['init', dir])).code).toBe(0);
  const data = join(dir, '..', 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'orders.csv'), 'id,amount,status\n1,10.5,paid\n2,20,open\n3,7,paid\n');
  writeFileSync(join(data, 'customers.csv'), 'id,name\n1,ann\n2,bob\n');
  writeFileSync(join(data, 'orders-2.csv'), 'id,amount,status\n2,25,paid\n4,1,open\n');
  await ok([
    'ingest',
    join(data, 'orders.csv'),
    '--table',
    'orders',
    '--key',
    'id',
    '-m',
    'orders',
  ]);
  await ok(['ingest', join(data, 'customers.csv'), '--table', 'customers', '-m', 'customers']);
  await ok(['branch', 'create', 'feat']);
  await ok([
    'ingest',
    join(data, 'orders-2.csv'),
    '--table',
    'orders',
    '--mode',
    'upsert',
    '--branch',
    'feat',
    '-m',
    'more orders',
  ]);
  await ok(['branch', 'create', 'side']);
  await ok(['merge', 'feat', '--into', 'side']);
  writeFileSync(join(dir, 'sluice.yml'), 'name: mini\n');
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(
    join(dir, 'models', 'sources.yml'),
    'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
  );
  writeFileSync(
    join(dir, 'models', 'paid.sql'),
    "select id, amount from {{ source('shop', 'orders') }} where status = 'paid'\n",
  );
}

const SQL = 'SELECT id, amount, status FROM orders ORDER BY id';

const STEPS: Step[] = [
  // tables
  { args: ['table', 'list'] },
  { args: ['--json', 'table', 'list', '--ref', 'feat'] },
  { args: ['table', 'show', 'orders'] },
  { args: ['--json', 'table', 'show', 'orders', '--ref', 'feat'] },
  { args: ['table', 'show', 'nope'] },
  { args: ['--json', 'table', 'show', 'orders', '--ref', 'nope'] },
  { args: ['table', 'history', 'orders', '--ref', 'feat'] },
  { args: ['--json', 'table', 'history', 'orders', '--ref', 'feat', '-n', '1'] },
  { args: ['table', 'history', 'orders', '--oneline'] },
  { args: ['table', 'diff', 'orders', 'main', 'feat'] },
  { args: ['--json', 'table', 'diff', 'orders', 'main', 'feat', '--sample', '1'] },
  { args: ['table', 'diff', 'orders', 'main', 'feat', '--sample', 'x'] },
  { args: ['table', 'diff', 'nope', 'main', 'feat'] },
  // SQL
  { args: ['sql', SQL] },
  { args: ['--json', 'sql', SQL] },
  { args: ['sql', '--format', 'csv', SQL] },
  { args: ['sql', '--format', 'json', SQL] },
  { args: ['sql', '--format', 'ndjson', `${SQL} LIMIT 2`] },
  { args: ['sql', '--format', 'csv', 'SELECT id FROM orders WHERE false'] },
  { args: ['sql', '--format', 'json', 'SELECT id FROM orders WHERE false'] },
  { args: ['sql'], input: 'SELECT count(*) AS n FROM customers;\n' },
  { args: ['sql', 'CREATE TEMP TABLE t AS SELECT 41 AS x; SELECT x + 1 AS y FROM t'] },
  {
    args: [
      'sql',
      '--ref',
      'main',
      '--ref',
      'feat',
      'SELECT (SELECT count(*) FROM main.orders) AS a, (SELECT count(*) FROM feat.orders) AS b',
    ],
  },
  { args: ['sql', 'SELEC 1'] },
  { args: ['--json', 'sql', 'SELECT * FROM nope'] },
  { args: ['sql', '--ref', 'nope', 'SELECT 1'] },
  { args: ['sql', ' -- nothing'] },
  { args: ['sql', '--format', 'xml', 'SELECT 1'] },
  // events and metrics
  { args: ['events', '--type', 'merge'] },
  { args: ['--json', 'events', '--type', 'merge,load', '-n', '1'] },
  { args: ['events', '--type', 'nope'] },
  { args: ['metrics'] },
  { args: ['--json', 'metrics', '--since', '7d', '--env', 'staging'] },
  { args: ['metrics', '--since', '1d', '--until', '2d'] },
  // lineage and impact
  { args: ['lineage'] },
  { args: ['--json', 'lineage', '--ref', 'feat'] },
  { args: ['lineage', 'paid', '--dot'] },
  { args: ['impact', '--base', 'main', '--branch', 'feat'] },
  { args: ['--json', 'impact', '--base', 'main'] },
  { args: ['impact', '--base', 'nope'] },
  // sandboxes
  { args: ['sandbox', 'create', 'exp', '--from', 'feat'] },
  { args: ['--json', 'sandbox', 'create', 'exp2'] },
  { args: ['sandbox', 'create', 'exp'] },
  { args: ['sandbox', 'create', 'bad/name'] },
  { args: ['sandbox', 'create', 'x', '--ttl', 'forever'] },
  { args: ['sandbox', 'list'] },
  { args: ['--json', 'sandbox', 'list'] },
  { args: ['sandbox', 'delete', 'exp'] },
  { args: ['--json', 'sandbox', 'delete', 'exp2'] },
  { args: ['sandbox', 'delete', 'exp'] },
  { args: ['sandbox', 'list'] },
];

/** What differs by nature between two runs: a sandbox's age, a file's name, a duration. */
function steady(text: string): string {
  return text
    .replace(/"durationMs": \d+/g, '"durationMs": <ms>')
    .replace(/part-\d{17}-[0-9a-f]+-\d+\.parquet/g, 'part-<file>.parquet')
    .replace(/"ageMs": \d+(\.\d+)?/g, '"ageMs": <age>')
    .replace(/ {2}\d+(ms|s) * {2}never/g, '  <age>  never')
    .replace(/AGE +EXPIRES/g, 'AGE  EXPIRES');
}

describe('remote CLI parity: the data commands', () => {
  let served: Served;
  let dir: string;
  let local: string;

  beforeAll(async () => {
    await buildOnce();
    dir = join(tempDir('sluice-parity-data-'), 'shared');
    local = join(tempDir('sluice-parity-data-'), 'shared');
    await makeRepository(dir);
    await makeRepository(local);
    // The remote user is named as the local runs' actor (runCli's SLUICE_USER), so owners match.
    served = await serve(dir, testAuthenticator({ tester: ['Admins'] }));
  }, 300_000);
  afterAll(async () => served?.close());

  test('the same script prints the same and exits the same, locally and remotely', async () => {
    const target = {
      url: served.url,
      accessKeyId: 'tester',
      secretAccessKey: secretOf('tester'),
    };
    const here = await runScript(
      STEPS,
      { ...target, dir: local, names: [local, 'shared'] },
      'local',
      local,
    );
    const there = await runScript(STEPS, { ...target, dir, names: [dir, 'shared'] }, 'remote');
    const view = (rs: typeof here) =>
      rs.map((r) => ({ ...r, stdout: steady(r.stdout), stderr: steady(r.stderr) }));
    // Every step that differs, at once.
    const h = view(here);
    const t = view(there);
    const differing = STEPS.flatMap((_, i) =>
      JSON.stringify(h[i]) === JSON.stringify(t[i]) ? [] : [i],
    );
    expect(differing.map((i) => t[i])).toEqual(differing.map((i) => h[i]));
    // The script meant what it says: successes, and failures with their exit codes.
    const codes = here.map((r) => r.code);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(30);
    expect(new Set(codes)).toEqual(new Set([0, 1, 2, 3]));
    expect(here[0]?.stdout).toContain('orders');
    expect(here[13]?.stdout).toContain('paid');
  }, 300_000);
});
