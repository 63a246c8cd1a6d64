// `sluice load` and `sluice schedule` as users run them: separate processes loading into one
// branch at once all land; a refused batch exits 2 and keeps its branch; the scheduler runs an
// ingestor on its cron and stops cleanly on SIGINT.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, ROOT } from '../support/build-once.js';
import { cliFor, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-workflow-');
const dir = join(root, 'lake');
const sluice = cliFor(dir);

beforeAll(async () => {
  await buildOnce();
  mkdirSync(dir);
  expect((await sluice(['init', dir, '-q'])).code).toBe(0);
  mkdirSync(join(dir, 'checks'));
  writeFileSync(
    join(dir, 'checks/orders.yml'),
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests: [not_null, unique]\n',
  );
  writeFileSync(
    join(dir, 'sluice.yml'),
    [
      'name: sched', // a project too: a scheduled build of one model
      'gates:',
      '  - branch: main',
      'ingestors:',
      ...[1, 2, 3].map(
        (i) => `  - {name: feed${i}, kind: files, path: landing/feed${i}/*.csv, table: orders}`,
      ),
      '  - {name: ticker, kind: files, path: landing/ticker/*.csv, table: ticks, schedule: "* * * * * *"}',
      'schedule:',
      '  builds: [{cron: "* * * * * *"}]',
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models/one.sql'), 'select 1 as one\n');
  for (const i of [1, 2, 3]) {
    mkdirSync(join(dir, `landing/feed${i}`), { recursive: true });
    writeFileSync(join(dir, `landing/feed${i}/b.csv`), `id\n${i}0\n${i}1\n`);
  }
  mkdirSync(join(dir, 'landing/ticker'));
  writeFileSync(join(dir, 'landing/ticker/t.csv'), 'n\n1\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sluice load', () => {
  it('three processes at once into main: all land', async () => {
    const runs = await Promise.all([1, 2, 3].map((i) => sluice(['--json', 'load', `feed${i}`])));
    expect(runs.map((r) => [r.code, r.json?.status])).toEqual([
      [0, 'success'],
      [0, 'success'],
      [0, 'success'],
    ]);
    const n = await sluice(['--json', 'sql', 'SELECT count(*) AS n FROM orders']);
    expect(JSON.stringify(n.json)).toContain('6');
  });

  it('a refused batch exits 2, names the check and keeps its branch', async () => {
    writeFileSync(join(dir, 'landing/feed1/b.csv'), 'id\n10\n99\n'); // 10 is on main already
    const r = await sluice(['load', 'feed1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('unique(id)');
    const branch = /the batch is on (ingest\/feed1\/\S+)/.exec(r.stdout + r.stderr)?.[1];
    expect(branch).toBeDefined();
    expect((await sluice(['branch', 'list'])).stdout).toContain(branch as string);
    const unknown = await sluice(['load', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nope/);
  });
});

describe('sluice schedule', () => {
  it('runs the scheduled ingestor on its cron and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sluice.js'), 'schedule'], {
      cwd: ROOT,
      env: { ...process.env, SLUICE_REPO: dir, SLUICE_USER: 'tester' },
      stdio: 'pipe',
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (
      !(/ticker: (success|skipped)/.test(out) && /build on main: success/.test(out)) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(out).toMatch(/scheduling ticker \(\* \* \* \* \* \*\)/);
    expect(out).toMatch(/ticker: success \(1 rows into main\)/);
    expect(out).toMatch(/stopping after the running jobs finish/);
    expect(out).toMatch(/stopped/);
    // A scheduled build is in the event log, as a `sluice build` is.
    const events = await sluice(['--json', 'events', '--type', 'build']);
    const builds = (events.json as { events: { outcome: string; branch: string }[] }).events;
    expect(builds.some((e) => e.outcome === 'success' && e.branch === 'main')).toBe(true);
  }, 90_000);

  it('--json: one document when it stops — the jobs, each run, how it stopped', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/sluice.js'), '--json', 'schedule', '--only', 'ticker'],
      {
        cwd: ROOT,
        env: { ...process.env, SLUICE_REPO: dir, SLUICE_USER: 'tester' },
        stdio: 'pipe',
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Nothing is printed while it runs: wait for a run in the event log, then stop it.
    const deadline = Date.now() + 60_000;
    const loads = async (): Promise<number> =>
      (
        (await sluice(['--json', 'events', '--type', 'load'])).json.events as { ingestor: string }[]
      ).filter((e) => e.ingestor === 'ticker').length;
    const before = await loads();
    while ((await loads()) === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toBe('');
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(err).toBe('');
    const doc = JSON.parse(out);
    expect(doc.schedule.jobs).toEqual([{ name: 'ticker', cron: '* * * * * *' }]);
    expect(doc.schedule.runs.length).toBeGreaterThan(0);
    expect(doc.schedule.runs[0]).toMatchObject({ job: 'ticker', ok: true, aborted: false });
    expect(doc.schedule.runs[0].detail).toMatch(/^(success|skipped)/);
    expect(doc.schedule.stopped).toMatchObject({ signal: 'SIGINT', abandoned: [] });
  }, 90_000);
});
