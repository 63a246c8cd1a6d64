// Outcome metrics from a scripted sequence of events, against values computed by hand (the
// arithmetic is written out next to each expectation), plus the table and the SVG chart.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/common/errors.js';
import type { DeployedLoad, StoredEvent, WorkflowEvent } from '../../src/workflow/events/index.js';
import {
  computeMetrics,
  formatDuration,
  metricsChart,
  metricsTable,
  percentile,
  renderMetricsHtml,
} from '../../src/workflow/metrics.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Numbers events 1, 2, 3 … in the order given, like the log does. */
function script(events: (WorkflowEvent & { time: string })[]): StoredEvent[] {
  return events.map((e, i) => ({ ...e, id: i + 1, actor: 'test' }) as StoredEvent);
}

const load = (
  runId: string,
  time: string,
  outcome: 'success' | 'failure' | 'error' = 'success',
): WorkflowEvent & { time: string } => ({
  type: 'load',
  ingestor: 'orders',
  runId,
  branch: `ingest/orders/${runId}`,
  target: 'main',
  commit: `c-${runId}`,
  outcome,
  time,
});

const change = (runId: string, committedAt: string): DeployedLoad => ({
  runId,
  ingestor: 'orders',
  commit: `c-${runId}`,
  committedAt,
});

const deploy = (
  deployId: string,
  time: string,
  outcome: 'success' | 'failure' | 'skipped',
  loads: DeployedLoad[] = [],
  extra: { environment?: string; fromDeployId?: string } = {},
): WorkflowEvent & { time: string } => ({
  type: 'deploy',
  environment: extra.environment ?? 'production',
  deployId,
  colour: 'blue',
  commit: `commit-${deployId}`,
  smoke: outcome === 'failure' ? 'fail' : outcome === 'skipped' ? 'skipped' : 'pass',
  loads,
  outcome,
  time,
  ...(extra.fromDeployId && { fromDeployId: extra.fromDeployId }),
});

const rollback = (
  deployId: string,
  time: string,
  extra: {
    fromDeployId?: string;
    detectedAt?: string;
    outcome?: 'success' | 'failure' | 'error';
  } = {},
): WorkflowEvent & { time: string } => ({
  type: 'rollback',
  environment: 'production',
  deployId,
  commit: `commit-${deployId}`,
  outcome: extra.outcome ?? 'success',
  time,
  ...(extra.fromDeployId && { fromDeployId: extra.fromDeployId }),
  ...(extra.detectedAt && { detectedAt: extra.detectedAt }),
});

// A week of production: loads, a failed smoke check, rollbacks (by fromDeployId and by the
// restored deploy alone), a skipped deploy, a staging deploy, and events outside the window.
const WEEK = script([
  /* 1 */ load('r0', '2024-04-30T20:01:00.000Z'), // before the window
  /* 2 */ deploy('d0', '2024-04-30T23:00:00.000Z', 'success', [
    change('r0', '2024-04-30T20:00:00.000Z'),
  ]),
  /* 3 */ load('r1', '2024-05-01T09:00:00.000Z'),
  /* 4 */ load('r2', '2024-05-01T09:05:00.000Z', 'failure'),
  /* 5 */ load('r3', '2024-05-01T10:00:00.000Z'),
  /* 6 */ {
    type: 'promote',
    environment: 'staging',
    source: 'main',
    commit: 'c-r3',
    outcome: 'success',
    time: '2024-05-01T10:30:00.000Z',
  },
  // r0 was brought by d0 already: not counted again.
  /* 7 */ deploy('d1', '2024-05-01T12:00:00.000Z', 'success', [
    change('r0', '2024-04-30T20:00:00.000Z'),
    change('r1', '2024-05-01T08:58:00.000Z'),
    change('r3', '2024-05-01T09:58:00.000Z'),
  ]),
  /* 8 */ load('r4', '2024-05-02T08:01:00.000Z'),
  /* 9 */ deploy('d2', '2024-05-02T09:00:00.000Z', 'failure', [
    change('r4', '2024-05-02T08:00:00.000Z'),
  ]),
  /* 10 */ deploy('d3', '2024-05-02T09:30:00.000Z', 'success', [
    change('r4', '2024-05-02T08:00:00.000Z'),
  ]),
  /* 11 */ load('r5', '2024-05-03T10:01:00.000Z'),
  /* 12 */ deploy(
    'd4',
    '2024-05-03T11:00:00.000Z',
    'success',
    [change('r5', '2024-05-03T10:00:00.000Z')],
    { fromDeployId: 'd3' },
  ),
  /* 13 */ rollback('d3', '2024-05-03T11:25:00.000Z', {
    fromDeployId: 'd4',
    detectedAt: '2024-05-03T11:20:00.000Z',
  }),
  /* 14 */ deploy('d5', '2024-05-04T15:00:00.000Z', 'success', [
    change('r5', '2024-05-03T10:00:00.000Z'),
  ]),
  /* 15 */ deploy('d6', '2024-05-05T08:00:00.000Z', 'skipped'),
  /* 16 */ load('r6', '2024-05-05T09:00:00.000Z', 'error'),
  /* 17 */ deploy('s1', '2024-05-05T10:00:00.000Z', 'failure', [], { environment: 'staging' }),
  /* 18 */ deploy('d7', '2024-05-06T10:00:00.000Z', 'success'),
  // Only the restored deploy is named: everything deployed after d5 (d7) is undone.
  /* 19 */ rollback('d5', '2024-05-06T10:10:00.000Z'),
  /* 20 */ deploy('d8', '2024-05-07T22:00:00.000Z', 'failure'),
]);

const WINDOW = {
  since: new Date('2024-05-01T00:00:00.000Z'),
  until: new Date('2024-05-08T00:00:00.000Z'),
};

describe('computeMetrics on a scripted week', () => {
  const m = computeMetrics(WEEK, WINDOW);

  it('deployment frequency: successful production deploys in the window per day and week', () => {
    // d1, d3, d4, d5, d7 (d0 is before the window, d6 skipped, s1 is staging, d2/d8 failed)
    expect(m.days).toBe(7);
    expect(m.deploymentFrequency.deploys).toBe(5);
    expect(m.deploymentFrequency.perDay).toBeCloseTo(5 / 7, 12);
    expect(m.deploymentFrequency.perWeek).toBeCloseTo(5, 12);
  });

  it('change-failure rate: failed smoke checks plus rolled-back deploys over attempts', () => {
    // attempts d1 d2 d3 d4 d5 d7 d8 = 7; failed: d2, d8 (smoke) + d4 (fromDeployId of the first
    // rollback), d7 (deployed after d5, which the second rollback restored) = 4
    expect(m.changeFailureRate).toEqual({
      deploys: 7,
      failed: 4,
      failedDeploys: 2,
      rolledBack: 2,
      rate: 4 / 7,
    });
  });

  it('lead time: ingest commit to the first kept production deploy bringing it', () => {
    // r1: 12:00 − 08:58 = 3h02m = 10 920 000 ms; r3: 12:00 − 09:58 = 2h02m = 7 320 000
    // r4: 09:30 − 08:00 (d2 failed) = 1h30m = 5 400 000
    // r5: d4 was rolled back; d5 05-04 15:00 − 05-03 10:00 = 29h = 104 400 000
    // r0: brought by d0 before the window: not counted.
    // sorted: 5.4M 7.32M 10.92M 104.4M → median (7.32M + 10.92M)/2 = 9 120 000;
    // p90: h = 3 × 0.9 = 2.7 → 10.92M + 0.7 × (104.4M − 10.92M) = 76 356 000
    expect(m.leadTime.count).toBe(4);
    expect(m.leadTime.medianMs).toBe(9_120_000);
    expect(m.leadTime.p90Ms).toBeCloseTo(76_356_000, 3);
  });

  it('time to restore: detection to rollback or next good deploy', () => {
    // d2 failed 05-02 09:00 → d3 09:30: 30 min; rollback 1: detected 11:20, rolled back 11:25:
    // 5 min; rollback 2: no detection time, 0; d8 failed 05-07 22:00: still open.
    // sorted 0, 300 000, 1 800 000 → median 300 000; p90: h = 1.8 → 300 000 + 0.8 × 1 500 000
    expect(m.timeToRestore.count).toBe(3);
    expect(m.timeToRestore.medianMs).toBe(5 * MIN);
    expect(m.timeToRestore.p90Ms).toBeCloseTo(1_500_000, 3);
    expect(m.timeToRestore.open).toBe(1);
    expect(m.timeToRestore.incidents).toEqual([
      {
        detectedAt: '2024-05-02T09:00:00.000Z',
        restoredAt: '2024-05-02T09:30:00.000Z',
        restoredBy: 'deploy',
        deployId: 'd2',
      },
      {
        detectedAt: '2024-05-03T11:20:00.000Z',
        restoredAt: '2024-05-03T11:25:00.000Z',
        restoredBy: 'rollback',
        deployId: 'd4',
      },
      {
        detectedAt: '2024-05-06T10:10:00.000Z',
        restoredAt: '2024-05-06T10:10:00.000Z',
        restoredBy: 'rollback',
        deployId: null,
      },
      {
        detectedAt: '2024-05-07T22:00:00.000Z',
        restoredAt: null,
        restoredBy: null,
        deployId: 'd8',
      },
    ]);
  });

  it('counts loads in the window and deploys per UTC day', () => {
    expect(m.loads).toEqual({ success: 4, failure: 1, error: 1, skipped: 0 });
    expect(m.daily).toEqual([
      { day: '2024-05-01', deploys: 1, rolledBack: 0, failedDeploys: 0, rollbacks: 0 },
      { day: '2024-05-02', deploys: 1, rolledBack: 0, failedDeploys: 1, rollbacks: 0 },
      { day: '2024-05-03', deploys: 1, rolledBack: 1, failedDeploys: 0, rollbacks: 1 },
      { day: '2024-05-04', deploys: 1, rolledBack: 0, failedDeploys: 0, rollbacks: 0 },
      { day: '2024-05-05', deploys: 0, rolledBack: 0, failedDeploys: 0, rollbacks: 0 },
      { day: '2024-05-06', deploys: 1, rolledBack: 1, failedDeploys: 0, rollbacks: 1 },
      { day: '2024-05-07', deploys: 0, rolledBack: 0, failedDeploys: 1, rollbacks: 0 },
    ]);
  });

  it('does not depend on the order the events are given in (ids decide)', () => {
    expect(computeMetrics([...WEEK].reverse(), WINDOW)).toEqual(m);
  });

  it('a narrower window sees only its own deploys and incidents', () => {
    const day3 = computeMetrics(WEEK, {
      since: new Date('2024-05-03T00:00:00.000Z'),
      until: new Date('2024-05-04T00:00:00.000Z'),
    });
    // d4 alone, rolled back (by a rollback the same day); r5 is not counted: d4 was undone.
    expect(day3.deploymentFrequency).toEqual({ deploys: 1, perDay: 1, perWeek: 7 });
    expect(day3.changeFailureRate.rate).toBe(1);
    expect(day3.leadTime).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(day3.timeToRestore.count).toBe(1);
    expect(day3.timeToRestore.medianMs).toBe(5 * MIN);
  });

  it('staging has its own numbers', () => {
    const staging = computeMetrics(WEEK, { ...WINDOW, environment: 'staging' });
    expect(staging.deploymentFrequency.deploys).toBe(0);
    expect(staging.changeFailureRate).toMatchObject({ deploys: 1, failed: 1, rate: 1 });
    expect(staging.timeToRestore).toMatchObject({ count: 0, open: 1 });
  });
});

describe('computeMetrics edge cases', () => {
  const window = {
    since: new Date('2024-06-01T00:00:00.000Z'),
    until: new Date('2024-06-02T00:00:00.000Z'),
  };

  it('no events: zeros and nulls, one day', () => {
    const m = computeMetrics([], window);
    expect(m.deploymentFrequency).toEqual({ deploys: 0, perDay: 0, perWeek: 0 });
    expect(m.changeFailureRate.rate).toBeNull();
    expect(m.leadTime.medianMs).toBeNull();
    expect(m.timeToRestore).toMatchObject({ count: 0, open: 0, medianMs: null, p90Ms: null });
    expect(m.daily).toHaveLength(1);
  });

  it('a rollback naming neither the restored deploy nor the undone one undoes the live deploy', () => {
    const events = script([
      deploy('a', '2024-06-01T01:00:00.000Z', 'success'),
      deploy('b', '2024-06-01T02:00:00.000Z', 'success'),
      deploy('c', '2024-06-01T03:00:00.000Z', 'success'),
      rollback('before-window', '2024-06-01T03:30:00.000Z'), // undoes c
      rollback('before-window', '2024-06-01T04:00:00.000Z'), // then b
    ]);
    const m = computeMetrics(events, window);
    expect(m.changeFailureRate).toMatchObject({ deploys: 3, rolledBack: 2, rate: 2 / 3 });
  });

  it('a failed rollback keeps the incident open until a good deploy', () => {
    const events = script([
      deploy('a', '2024-06-01T01:00:00.000Z', 'success'),
      rollback('z', '2024-06-01T02:00:00.000Z', {
        outcome: 'failure',
        detectedAt: '2024-06-01T01:50:00.000Z',
      }),
      deploy('b', '2024-06-01T03:00:00.000Z', 'failure'),
      deploy('c', '2024-06-01T04:20:00.000Z', 'success'),
    ]);
    const m = computeMetrics(events, window);
    // one incident, 01:50 → 04:20
    expect(m.timeToRestore.count).toBe(1);
    expect(m.timeToRestore.medianMs).toBe(2.5 * HOUR);
    expect(m.timeToRestore.incidents[0]).toMatchObject({ restoredBy: 'deploy' });
  });

  it('a rollback that could not run (outcome error) changes nothing', () => {
    const a = deploy('a', '2024-06-01T01:00:00.000Z', 'success');
    const b = deploy('b', '2024-06-01T02:00:00.000Z', 'success');
    const back = rollback('a', '2024-06-01T03:00:00.000Z', {
      fromDeployId: 'b',
      detectedAt: '2024-06-01T02:50:00.000Z',
    });
    const lost = rollback('a', '2024-06-01T02:30:00.000Z', {
      fromDeployId: 'b',
      detectedAt: '2024-06-01T02:20:00.000Z',
      outcome: 'error',
    });
    const without = computeMetrics(script([a, b, back]), window);
    expect(computeMetrics(script([a, b, lost, back]), window)).toEqual(without);
    expect(without.timeToRestore.incidents).toHaveLength(1);
    expect(without.changeFailureRate.rolledBack).toBe(1);
  });

  it('rejects an empty window', () => {
    expect(() => computeMetrics([], { since: window.until, until: window.since })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('percentile and formatDuration', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });

  it('prints durations readably', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(200_000)).toBe('3m 20s');
    expect(formatDuration(2 * HOUR + 5 * MIN)).toBe('2h 05m');
    expect(formatDuration(28 * HOUR)).toBe('1d 04h');
  });
});

describe('rendering', () => {
  const m = computeMetrics(WEEK, WINDOW);

  it('a readable table', () => {
    const rows = metricsTable(m);
    expect(rows.map((r) => r[0])).toEqual([
      'deployment frequency',
      'lead time for changes',
      'change-failure rate',
      'time to restore',
      'loads',
    ]);
    expect(rows[0]).toEqual(['deployment frequency', '5 deploy(s)', '0.71/day · 5.0/week']);
    expect(rows[1]?.[2]).toBe('median 2h 32m · p90 21h 12m');
    expect(rows[2]?.[2]).toBe('57.1 % (2 failed smoke checks, 2 rolled back)');
    expect(rows[3]?.[2]).toBe('median 5m 00s · p90 25m 00s · 1 still open');
  });

  it('an inline SVG: a bar per deploy day, markers on failure days, nothing external', () => {
    const svg = metricsChart(m);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|url\(/i);
    // 7 days → 7 tooltip groups; green bars for kept deploys on 05-01, 05-02, 05-04; amber for
    // the rolled-back ones on 05-03 and 05-06; red markers on 05-02, 05-03, 05-06, 05-07.
    expect(svg.match(/<g>/g)).toHaveLength(7);
    expect(svg.match(/fill="#2e8540"/g)).toHaveLength(3);
    expect(svg.match(/fill="#d68a00"/g)).toHaveLength(2);
    expect(svg.match(/<path [^>]*fill="#c62828"/g)).toHaveLength(4);
    expect(svg).toContain('<title>2024-05-03: 1 deploy(s), 1 rolled back, 1 rollback(s)</title>');
  });

  it('a self-contained HTML page with the table and the chart; names are escaped', () => {
    const html = renderMetricsHtml(m, { repo: '<lake>', generatedAt: new Date(0) });
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('&lt;lake&gt;');
    expect(html).not.toContain('<lake>');
    expect(html).toContain('<svg');
    expect(html).toContain('change-failure rate');
    expect(html).toContain('<h2>Incidents</h2>');
  });
});
