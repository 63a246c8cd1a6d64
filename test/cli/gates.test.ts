// Gates through the CLI: a protected main refuses `put` and `commit`; `sluice merge` into it
// runs the checks first and, when one fails, exits 2 with the failing checks and sample rows,
// leaving main where it was; once fixed, the same merge lands.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-gates-');
const repo = join(root, 'repo');
const sluice = cliFor(repo);
let n = 0;
const csv = (text: string): string => {
  const p = join(root, `f${n++}.csv`);
  writeFileSync(p, `${text}\n`);
  return p;
};

beforeAll(async () => {
  await buildOnce();
  expect((await runCli(['init', repo, '-q'])).code).toBe(0);
  expect(
    (
      await sluice([
        'ingest',
        csv('id,amount\n1,10'),
        '--table',
        'orders',
        '--key',
        'id',
        '-m',
        'base',
      ])
    ).code,
  ).toBe(0);
  mkdirSync(join(repo, 'checks'));
  writeFileSync(
    join(repo, 'checks', 'orders.yml'),
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - between: {min: 0}\n',
  );
  writeFileSync(join(repo, 'sluice.yml'), 'gates:\n  - branch: main\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gates', () => {
  it('main refuses direct writes (exit 2, ProtectedBranchError)', async () => {
    const r = await sluice(['--json', 'put', csv('x'), 'raw/x.csv']);
    expect({ code: r.code, error: r.json.error.code }).toEqual({
      code: 2,
      error: 'ProtectedBranchError',
    });
  });

  it('a failing check blocks the merge and shows the rows; the fixed branch merges', async () => {
    const head = (await sluice(['--json', 'log', '-n', '1'])).json.commits[0].id;
    expect((await sluice(['branch', 'create', 'fix', '-q'])).code).toBe(0);
    expect(
      (
        await sluice([
          'ingest',
          csv('id,amount\n2,-3'),
          '--table',
          'orders',
          '--mode',
          'upsert',
          '-b',
          'fix',
          '-m',
          'bad',
        ])
      ).code,
    ).toBe(0);
    const refused = await sluice(['merge', 'fix', '--into', 'main']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('merge of fix into main refused: 1 check(s) did not pass');
    expect(refused.stderr).toContain('FAIL  orders: between(amount)');
    expect(refused.stderr).toContain('{"id":"2","amount":"-3"}');
    expect((await sluice(['--json', 'log', '-n', '1'])).json.commits[0].id).toBe(head);

    expect(
      (
        await sluice([
          'ingest',
          csv('id,amount\n2,3'),
          '--table',
          'orders',
          '--mode',
          'upsert',
          '-b',
          'fix',
          '-m',
          'fixed',
        ])
      ).code,
    ).toBe(0);
    const ok = await sluice(['--json', 'merge', 'fix', '--into', 'main']);
    expect(ok.code).toBe(0);
    expect(ok.json.merge.gate).toMatchObject({
      changedTables: ['orders'],
      checks: { pass: 1, fail: 0 },
      forced: false,
    });
    const forced = await sluice(['--json', 'merge', 'fix', '--into', 'main', '--force']);
    expect({ code: forced.code, error: forced.json.error.code }).toEqual({
      code: 1,
      error: 'InvalidArgumentError',
    });
  });
});

describe('rules and their attestations', () => {
  it('--meta cannot set a key Sluice records (exit 1, nothing committed)', async () => {
    const head = (await sluice(['--json', 'log', '-n', '1', 'fix'])).json.commits[0].id;
    for (const key of ['sluice.gate.forced', 'sluice.config.actor', 'sluice.run_id']) {
      const r = await sluice([
        '--json',
        'commit',
        '-b',
        'fix',
        '-m',
        'forged',
        '--allow-empty',
        '--meta',
        `${key}=true`,
      ]);
      expect({ code: r.code, error: r.json.error.code, keys: r.json.error.data.keys }).toEqual({
        code: 1,
        error: 'ReservedMetadataError',
        keys: [key],
      });
    }
    expect((await sluice(['--json', 'log', '-n', '1', 'fix'])).json.commits[0].id).toBe(head);
  });

  it('config show names what this directory adds; config push publishes it once', async () => {
    const before = await sluice(['config', 'show']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('nothing published on main');
    expect(before.stdout).toContain('gate main  protected, checks');
    expect(before.stdout).toContain('sluice config push would change what main publishes');
    const pushed = await sluice(['config', 'push', '-m', 'protect main']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(
      /published on main: commit \w{12} \(\+gate main, \+checks\/orders\.yml\)/,
    );
    const after = await sluice(['config', 'show']);
    expect(after.stdout).toMatch(/published on main @ \w{12} \(by tester in \w{12}, /);
    expect(after.stdout).not.toContain('adds');
    expect(after.stdout).not.toContain('would change');
    const again = await sluice(['config', 'push']);
    expect(again.stdout).toContain('nothing to publish');
    const events = await sluice(['--json', 'events', '--type', 'config']);
    expect(events.json.events.map((e: { actor: string }) => e.actor)).toEqual(['tester']);
  });
});
