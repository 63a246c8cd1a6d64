// `sluice events` and `sluice metrics` end to end through the built CLI, on a repository whose
// event log was written through the library (as the load, deploy and rollback flows write it).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { recordEvent, type WorkflowEvent } from '../../src/workflow/events/index.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-events-');
const repoDir = join(root, 'repo');
const emptyDir = join(root, 'empty');
const sluice = cliFor(repoDir);

const deploy = (
  deployId: string,
  time: string,
  outcome: 'success' | 'failure',
  loads: { runId: string; committedAt: string }[] = [],
): WorkflowEvent => ({
  type: 'deploy',
  environment: 'production',
  deployId,
  colour: 'green',
  commit: `commit-${deployId}`,
  smoke: outcome === 'success' ? 'pass' : 'fail',
  loads: loads.map((l) => ({ ...l, ingestor: 'orders', commit: `c-${l.runId}` })),
  outcome,
  time,
});

// Two days: two loads, a good deploy, a failed smoke check, a fix, a bad deploy rolled back.
const EVENTS: WorkflowEvent[] = [
  {
    type: 'load',
    ingestor: 'orders',
    runId: 'r1',
    branch: 'ingest/orders/r1',
    target: 'main',
    commit: 'c-r1',
    rows: 120,
    outcome: 'success',
    time: '2024-05-01T09:00:00.000Z',
  },
  {
    type: 'load',
    ingestor: 'orders',
    runId: 'r2',
    branch: 'ingest/orders/r2',
    target: 'main',
    failedChecks: ['not_null(id)'],
    outcome: 'failure',
    time: '2024-05-01T09:10:00.000Z',
  },
  // lead time of r1: 10:00 − 08:59 = 61 min
  deploy('d1', '2024-05-01T10:00:00.000Z', 'success', [
    { runId: 'r1', committedAt: '2024-05-01T08:59:00.000Z' },
  ]),
  deploy('d2', '2024-05-02T10:00:00.000Z', 'failure'),
  // restores after 20 min
  deploy('d3', '2024-05-02T10:20:00.000Z', 'success'),
  deploy('d4', '2024-05-02T12:00:00.000Z', 'success'),
  {
    type: 'rollback',
    environment: 'production',
    deployId: 'd3',
    fromDeployId: 'd4',
    commit: 'commit-d3',
    detectedAt: '2024-05-02T12:05:00.000Z',
    outcome: 'success',
    time: '2024-05-02T12:06:00.000Z',
  },
  {
    type: 'alert',
    sink: 'ops',
    attempt: 1,
    status: 200,
    alertType: 'rollback',
    outcome: 'success',
    time: '2024-05-02T12:06:01.000Z',
  },
];

beforeAll(async () => {
  await buildOnce();
  const repo = await initRepository(repoDir, { committer: 'test' });
  try {
    for (const e of EVENTS) await recordEvent(repo, { actor: 'ana', ...e });
  } finally {
    await repo.close();
  }
  expect((await runCli(['init', emptyDir, '-q'])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

describe('sluice events', () => {
  it('lists the whole log in id order, as text and as JSON', async () => {
    const r = await sluice(['events']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(EVENTS.length);
    expect(lines[0]).toMatch(
      /^1\s+2024-05-01T09:00:00.000Z\s+load\s+success\s+ana\s+orders run r1/,
    );
    expect(lines[1]).toContain('failed: not_null(id)');
    expect(lines[6]).toMatch(/rollback\s+success\s+ana\s+production → d3 .*undoing d4/);

    const j = await sluice(['--json', 'events']);
    expect(j.code).toBe(0);
    expect(j.json.events.map((e: { id: number }) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(j.json.events[2]).toMatchObject({
      id: 3,
      type: 'deploy',
      deployId: 'd1',
      actor: 'ana',
      loads: [{ runId: 'r1', committedAt: '2024-05-01T08:59:00.000Z' }],
    });
  });

  it('filters by --type, --since/--until and --limit (the newest N, oldest first)', async () => {
    const ids = async (args: string[]): Promise<number[]> => {
      const r = await sluice(['--json', 'events', ...args]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      return r.json.events.map((e: { id: number }) => e.id);
    };
    expect(await ids(['--type', 'deploy,rollback'])).toEqual([3, 4, 5, 6, 7]);
    expect(await ids(['--since', '2024-05-02'])).toEqual([4, 5, 6, 7, 8]);
    expect(await ids(['--since', '2024-05-02', '--until', '2024-05-02T11:00:00Z'])).toEqual([4, 5]);
    expect(await ids(['-n', '3'])).toEqual([6, 7, 8]);
    expect(await ids(['--type', 'load', '--limit', '1'])).toEqual([2]);
    // Nothing this recent.
    expect(await ids(['--since', '7d'])).toEqual([]);
  });

  it('an empty log says so', async () => {
    const r = await runCli(['events'], { env: { SLUICE_REPO: emptyDir } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('no events');
    const j = await runCli(['--json', 'events'], { env: { SLUICE_REPO: emptyDir } });
    expect(j.json).toEqual({ events: [] });
  });

  it('refuses an unknown type, a bad --since and a bad limit (exit 1)', async () => {
    expectError(
      await sluice(['--json', 'events', '--type', 'deploy,launch']),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await sluice(['--json', 'events', '--since', 'last week']),
      1,
      'InvalidArgumentError',
    );
    expectError(await sluice(['--json', 'events', '-n', '0']), 1, 'InvalidArgumentError');
    const r = await sluice(['events', '--type', 'launch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown event type "launch"');
  });
});

describe('sluice metrics', () => {
  const window = ['--since', '2024-05-01', '--until', '2024-05-03'];

  it('computes the outcome metrics of a window', async () => {
    const r = await sluice(['--json', 'metrics', ...window]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const m = r.json;
    // d1, d3, d4 succeeded over 2 days; d2 failed its smoke checks; d4 was rolled back.
    expect(m.deploymentFrequency).toEqual({ deploys: 3, perDay: 1.5, perWeek: 10.5 });
    expect(m.changeFailureRate).toEqual({
      deploys: 4,
      failed: 2,
      failedDeploys: 1,
      rolledBack: 1,
      rate: 0.5,
    });
    expect(m.leadTime).toEqual({ count: 1, medianMs: 61 * 60_000, p90Ms: 61 * 60_000 });
    // 20 min (d2 → d3) and 1 min (detected 12:05, rolled back 12:06): median 10.5 min,
    // p90 = 1 + 0.9 × 19 = 18.1 min
    expect(m.timeToRestore).toMatchObject({ count: 2, open: 0, medianMs: 630_000 });
    expect(m.timeToRestore.p90Ms).toBeCloseTo(1_086_000, 3);
    expect(m.loads).toEqual({ success: 1, failure: 1, error: 0, skipped: 0 });
  });

  it('prints a readable table and writes an HTML page with the chart', async () => {
    const html = join(root, 'metrics.html');
    const r = await sluice(['metrics', ...window, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Outcome metrics for production, 2024-05-01T00:00:00.000Z → 2024-05-03T00:00:00.000Z (2 days)',
    );
    expect(r.stdout).toMatch(/deployment frequency\s+3 deploy\(s\)\s+1\.5\/day · 10\.5\/week/);
    expect(r.stdout).toMatch(/lead time for changes\s+1 change\(s\)\s+median 1h 01m · p90 1h 01m/);
    expect(r.stdout).toMatch(/change-failure rate\s+2 of 4\s+50\.0 %/);
    expect(r.stdout).toMatch(/time to restore\s+2 restored\s+median 10m 30s · p90 18m 06s/);
    expect(r.stdout).toContain(`wrote ${html}`);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain(
      '2024-05-02: 2 deploy(s), 1 rolled back, 1 failed smoke checks, 1 rollback(s)',
    );
  });

  it('with no deploys in the window says so; refuses an empty window and an unwritable file', async () => {
    const r = await sluice(['metrics']); // the default window, the last 30 days: nothing
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no deploys to production in this window');
    expectError(
      await sluice(['--json', 'metrics', '--since', '2024-05-03', '--until', '2024-05-01']),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await sluice(['--json', 'metrics', '--html', join(root, 'no', 'such', 'dir', 'm.html')]),
      1,
      'InvalidArgumentError',
    );
  });
});
