// The long operations through a server print what they print locally, with the same exit codes:
// check (pass, fail, a bad ref), check history, load, build, promote (refused by the checks), env
// status, deploy and rollback (refused: nothing to deploy from), in text and JSON. One script runs
// against a local repository and, with --remote, against a server of another one made the same
// way; durations, ages and run ids, which differ between any two runs, are masked, and event ids
// (the server's audit events come between the runs' own).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { runScript, type Step, type StepResult } from '../support/remote-parity.js';
import { type Served, serve } from '../support/served.js';
import { secretOf, testAuthenticator } from '../support/test-auth.js';

const FILES: Record<string, string> = {
  'sluice.yml': [
    'name: shop',
    'environments:',
    '  staging: {build: false}',
    '  production: {}',
    'ingestors:',
    '  - {name: shop, kind: files, path: landing/*.csv, table: landed}',
    '',
  ].join('\n'),
  'checks/orders.yml':
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - not_null\n',
  'checks/bad.yml':
    'version: 2\nmodels:\n  - name: bad\n    columns:\n      - name: amount\n        tests:\n          - between: {min: 0}\n',
  'models/big_orders.sql': 'select * from orders where amount > 10\n',
  'landing/a.csv': 'id,v\n1,x\n2,y\n',
};

async function makeRepository(dir: string): Promise<void> {
  expect((await runCli(['init', dir])).code).toBe(0);
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env = { SLUICE_REPO: dir };
  for (const [table, csv] of [
    ['orders', 'id,amount\n1,10\n2,20\n'],
    ['bad', 'id,amount\n1,5\n2,-1\n'],
  ] as const) {
    const f = join(dir, '..', `${table}.csv`);
    writeFileSync(f, csv);
    const r = await runCli(['ingest', f, '--table', table, '-m', `load ${table}`], { env });
    expect(r.code, r.stderr).toBe(0);
  }
}

/** Durations and ages differ between any two runs (and the column widths they set). */
function masked(results: StepResult[]): StepResult[] {
  const mask = (t: string) =>
    t
      .replace(/\b\d{17}-[0-9a-f]{8}\b/g, '<run>')
      // The server's audit log records each request too: event ids run ahead of the local ones.
      .replace(/"event": \d+/g, '"event": <event>')
      .replace(/#\d+/g, '#<event>')
      .replace(/\d+(\.\d+)? ?ms\b/g, '<ms>')
      .replace(/\[\d+\.\d+s\]/g, '[<s>]')
      .replace(/"(durationMs|flipMs|ageMs|queries)": [\d.]+/g, '"$1": <n>')
      .replace(/\b\d+[smhd]( \d+[smhd])?\b/g, '<age>')
      .replace(/ {2,}/g, '  ');
  return results.map((r) => ({ ...r, stdout: mask(r.stdout), stderr: mask(r.stderr) }));
}

describe('remote parity: long operations', () => {
  let served: Served;
  let dir: string;
  let local: string;

  beforeAll(async () => {
    await buildOnce();
    dir = join(tempDir('sluice-parity-ops-'), 'shop');
    local = join(tempDir('sluice-parity-ops-'), 'shop');
    await makeRepository(dir);
    await makeRepository(local);
    served = await serve(dir, testAuthenticator({ ana: ['Admins'] }));
  }, 240_000);
  afterAll(async () => served?.close());

  test('the same script prints the same output and exit codes locally and remotely', async () => {
    const steps: Step[] = [
      { args: ['check', '--table', 'orders'] },
      { args: ['--json', 'check', '--table', 'orders'] },
      { args: ['check'] },
      { args: ['check', '--ref', 'no-such-branch'] },
      { args: ['check', 'history', 'orders'] },
      { args: ['--json', 'check', 'history', 'bad', '-n', '1'] },
      { args: ['load', 'shop'] },
      { args: ['build', '--no-artifacts'] },
      { args: ['--json', 'test', '--no-artifacts'] },
      { args: ['promote'] },
      { args: ['env', 'status'] },
      { args: ['--json', 'deploy'] },
      { args: ['rollback'] },
    ];
    const target = { url: served.url, accessKeyId: 'ana', secretAccessKey: secretOf('ana') };
    const here = masked(
      await runScript(steps, { ...target, dir: local, names: [local, 'shop'] }, 'local'),
    );
    const there = masked(
      await runScript(steps, { ...target, dir, names: [dir, 'shop'] }, 'remote'),
    );
    for (let i = 0; i < steps.length; i++)
      expect(there[i], steps[i]?.args.join(' ')).toEqual(here[i]);
    // The script means something: passes, failures and refusals, not errors everywhere.
    expect(here.map((r) => r.code)).toEqual([0, 0, 2, 3, 0, 0, 0, 0, 0, 2, 0, 3, 2]);
  }, 240_000);
});
