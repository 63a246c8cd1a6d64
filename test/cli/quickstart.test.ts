// `sluice quickstart` as a new user runs it: the whole workflow story against the shop API it
// serves on loopback, exit code 0, and a repository that holds what the story told — the refused
// batch on its branch and never on main, production restored to the first deploy's exact commit
// by the rollback, the metrics of four deploy attempts. Also: --json, a non-empty DIR, and a step
// that fails unexpectedly.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickstart } from '../../src/cli/commands/quickstart.js';
import { mount } from '../../src/cli/define.js';
import { quickstartWith } from '../../src/cli/handlers/quickstart.js';
import { main } from '../../src/cli/main.js';
import { Runner } from '../../src/cli/runner.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
const temp = (): string => {
  const d = tempDir('sluice-quickstart-');
  dirs.push(d);
  return d;
};

beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ok = (r: CliResult): CliResult => {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
};

describe('quickstart', () => {
  it('plays the workflow story and exits 0; the repository left behind holds that story', async () => {
    const dir = join(temp(), 'qs');
    const r = ok(await runCli(['quickstart', dir]));
    const text = r.stdout;
    expect(text).toContain(`$ sluice init ${dir}`);
    // Tick 3's orders are refused on their branch, with an alert; the two expected refusals.
    expect(text).toMatch(/REFUSED: .*raw_orders: not_null\(customer_id\)/);
    expect(text.match(/\(exit code 2, as expected\)/g)).toHaveLength(2);
    expect(text).toContain('the on-call webhook received an alert: load.failed (error)');
    expect(text).toContain('the on-call webhook received an alert: rollback (warning)');
    expect(text).toContain('the on-call webhook received an alert: deploy.failed (error)');
    // The orders dated 2034 are on production before the rollback, and gone after it.
    expect(text).toMatch(/\n\s+85\s+33\s+2034-04-13\s+placed\n/);
    expect(text).toMatch(/order_date > current_date ORDER BY order_id'\n.*\n-.*\n\(0 rows\)/);
    expect(text).toMatch(/\nDone\. Where to look next/);
    expect(text).toContain('docs/workflows.md');

    const sluice = cliFor(dir);
    // The refused batch: its branch is kept with the four orders without a customer, and its
    // commit never became part of main's history.
    const loads = ok(await sluice(['--json', 'events', '--type', 'load'])).json.events;
    expect(loads.map((e: { outcome: string }) => e.outcome)).toEqual([
      ...Array(4).fill('success'),
      'failure',
      ...Array(7).fill('success'),
    ]);
    const refused = loads[4];
    expect(refused).toMatchObject({ ingestor: 'orders', failedChecks: ['not_null(customer_id)'] });
    const branches = ok(await sluice(['--json', 'branch', 'list'])).json.branches;
    expect(branches.map((b: { name: string }) => b.name)).toContain(refused.branch);
    const onBranch = ok(
      await sluice([
        '--json',
        'sql',
        '--ref',
        refused.branch,
        'SELECT count(*)::INT AS n FROM raw_orders WHERE customer_id IS NULL',
      ]),
    );
    expect(onBranch.json.rows).toEqual([{ n: 4 }]);
    const history = ok(await sluice(['--json', 'log', 'main', '-n', '1000'])).json.commits;
    expect(history.length).toBeGreaterThanOrEqual(12); // the 11 loads that landed, and the first commit
    expect(history.map((c: { id: string }) => c.id)).not.toContain(refused.commit);
    const nulls = ok(
      await sluice([
        '--json',
        'sql',
        'SELECT count(*)::INT AS n FROM raw_orders WHERE customer_id IS NULL',
      ]),
    );
    expect(nulls.json.rows).toEqual([{ n: 0 }]);

    // Four deploy attempts: two live, the second rolled back, one refused, one live.
    const m = ok(await sluice(['--json', 'metrics'])).json;
    expect(m.deploymentFrequency.deploys).toBe(3);
    expect(m.changeFailureRate).toEqual({
      deploys: 4,
      failed: 2,
      failedDeploys: 1,
      rolledBack: 1,
      rate: 0.5,
    });
    expect(m.timeToRestore).toMatchObject({ count: 2, open: 0 });
    expect(m.loads).toEqual({ success: 11, failure: 1, error: 0, skipped: 0 });
    expect(m.leadTime.count).toBe(11);
  }, 180_000);

  it('--json: one document of the steps; the rollback restored the first deploy’s exact commit', async () => {
    const dir = join(temp(), 'qs');
    const r = ok(await runCli(['--json', 'quickstart', dir]));
    const qs = r.json.quickstart;
    expect(qs.dir).toBe(dir);
    expect(qs.alerts.map((a: { type: string }) => a.type)).toEqual([
      'load.failed',
      'rollback',
      'deploy.failed',
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: each step's output is a command's JSON document
    type Step = { command: string; exitCode: number; output: Record<string, any> };
    const steps: Step[] = qs.steps;
    for (const s of steps) expect(typeof s.output, s.command).toBe('object');
    expect(steps.filter((s) => s.exitCode !== 0).map((s) => s.command)).toEqual([
      'sluice load orders',
      'sluice deploy production',
    ]);
    const refusedLoad = steps.find((s) => s.exitCode === 2 && s.command === 'sluice load orders');
    expect(refusedLoad?.output.status).toBe('failure');

    const deploys = steps.filter((s) => s.command === 'sluice deploy production');
    expect(deploys.map((s) => [s.output.status, s.output.colour])).toEqual([
      ['success', 'blue'],
      ['success', 'green'],
      ['failure', 'green'],
      ['success', 'green'],
    ]);
    const first = deploys[0]?.output as { deployId: string; commit: string };
    const at = steps.findIndex((s) => s.command === 'sluice rollback production');
    const rollback = steps[at]?.output;
    expect(rollback).toMatchObject({
      deployId: first.deployId,
      commit: first.commit,
      colour: 'blue',
      fromDeployId: deploys[1]?.output.deployId,
      flipOnly: true,
    });
    // env status right after the rollback, and again after the refused deploy: blue, at the
    // first deploy's commit.
    const statuses = steps.filter((s) => s.command === 'sluice env status');
    expect(steps[at + 1]).toBe(statuses[0]);
    for (const s of statuses)
      expect(s.output.production.live).toMatchObject({
        branch: 'production-blue',
        commit: first.commit,
      });
    expect(statuses[1]?.output.production.lastDeploy).toMatchObject({
      deployId: deploys[2]?.output.deployId,
      outcome: 'failure',
    });
    const metrics = steps.find((s) => s.command === 'sluice metrics')?.output;
    expect(metrics?.changeFailureRate.rate).toBe(0.5);
  }, 180_000);

  it('refuses a DIR that is not empty, and leaves it as it was', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = await runCli(['--json', 'quickstart', dir]);
    expect({ exit: r.code, code: r.json?.error?.code }).toEqual({
      exit: 1,
      code: 'InvalidArgumentError',
    });
    expect(existsSync(join(dir, '.sluice'))).toBe(false);
  });

  it('a step that exits with an unexpected code stops it loudly, and the shop API is closed', async () => {
    const dir = join(temp(), 'qs');
    mkdirSync(dir);
    let out = '';
    const stdout = new PassThrough();
    stdout.on('data', (b) => {
      out += b;
    });
    const io = { stdout, stderr: stdout };
    const program = new Command('sluice')
      .option('--repo <dir>')
      .option('--json')
      .option('-q, --quiet')
      .exitOverride();
    const runner = new Runner(io);
    // The real CLI, except that the first load "fails" with exit code 3.
    const sluice = quickstartWith((args, nested) =>
      args.includes('load') ? Promise.resolve(3) : main(['node', 'sluice', ...args], nested),
    );
    mount(program, { ...quickstart, handler: async () => sluice }, runner);
    await program.parseAsync(['node', 'sluice', 'quickstart', dir]);
    expect(runner.exitCode, out).toBe(4);
    expect(out).toContain('quickstart step failed: `sluice load orders` exited 3 (expected 0)');
    expect(out).not.toContain('Done.');
    const api = /runs on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(api).toBeDefined();
    await expect(fetch(`${api}/v1/orders`)).rejects.toThrow();
  });
});
