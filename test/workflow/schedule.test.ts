// The cron scheduler on a manual clock: hours of schedule run in milliseconds. Covers firing on
// time, no overlap of one job, concurrency of different jobs, the clean stop (abort, grace,
// force, signals) and cron validation.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/common/errors.js';
import {
  type Clock,
  nextCronRun,
  type RunFinishInfo,
  type RunSkipInfo,
  type RunStartInfo,
  type ScheduledJob,
  Scheduler,
  type SchedulerOptions,
  startScheduler,
  systemClock,
  validateCron,
} from '../../src/workflow/schedule.js';

/** Let promise chains and the scheduler's loops settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A clock that moves only when told to, waking sleepers at their deadlines in order. */
class ManualClock implements Clock {
  private t: number;
  private readonly waiters = new Set<{ at: number; wake: () => void }>();
  constructor(start: string) {
    this.t = Date.parse(start);
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const w = {
        at: this.t + Math.max(0, ms),
        wake: () => {
          this.waiters.delete(w);
          signal?.removeEventListener('abort', w.wake);
          resolve();
        },
      };
      this.waiters.add(w);
      signal?.addEventListener('abort', w.wake, { once: true });
    });
  }
  get sleepers(): number {
    return this.waiters.size;
  }
  /** Advance to `ms` later, stopping at every sleeper's deadline on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      const due = [...this.waiters].filter((w) => w.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.t = Math.max(this.t, due.at);
      for (const w of [...this.waiters]) if (w.at <= this.t) w.wake();
    }
    this.t = target;
    await settle();
  }
  /** Jump straight to `ms` later (a suspended machine): sleepers wake once, late. */
  async jump(ms: number): Promise<void> {
    this.t += ms;
    for (const w of [...this.waiters]) if (w.at <= this.t) w.wake();
    await settle();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const MIN = 60_000;

function recorder(clock: ManualClock, extra: SchedulerOptions = {}) {
  const starts: RunStartInfo[] = [];
  const finishes: RunFinishInfo[] = [];
  const skips: RunSkipInfo[] = [];
  const opts: SchedulerOptions = {
    clock,
    timezone: 'Etc/UTC',
    onStart: (i) => starts.push(i),
    onFinish: (i) => finishes.push(i),
    onSkip: (i) => skips.push(i),
    ...extra,
  };
  return { starts, finishes, skips, opts };
}

describe('Scheduler: firing', () => {
  it('fires each job at its cron times, on the injected clock', async () => {
    const clock = new ManualClock('2024-01-01T00:00:30Z');
    const times: string[] = [];
    const r = recorder(clock);
    const s = startScheduler(
      [
        {
          name: 'orders',
          cron: '*/5 * * * *',
          run: async () => {
            times.push(new Date(clock.now()).toISOString());
          },
        },
      ],
      r.opts,
    );
    await clock.advance(4 * MIN + 29_000); // 00:04:59
    expect(times).toEqual([]);
    expect(s.status()[0]!.nextRunAt?.toISOString()).toBe('2024-01-01T00:05:00.000Z');
    await clock.advance(1000); // 00:05:00
    expect(times).toEqual(['2024-01-01T00:05:00.000Z']);
    await clock.advance(10 * MIN); // 00:15:00
    expect(times).toEqual([
      '2024-01-01T00:05:00.000Z',
      '2024-01-01T00:10:00.000Z',
      '2024-01-01T00:15:00.000Z',
    ]);
    expect(r.starts.map((i) => [i.run, i.scheduledAt.toISOString()])).toEqual([
      [1, '2024-01-01T00:05:00.000Z'],
      [2, '2024-01-01T00:10:00.000Z'],
      [3, '2024-01-01T00:15:00.000Z'],
    ]);
    expect(r.finishes.every((f) => f.ok && !f.aborted)).toBe(true);
    await s.stop();
  });

  it('supports second-level (6-part) crons and nicknames', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    let fast = 0;
    let hourly = 0;
    const s = startScheduler(
      [
        { name: 'fast', cron: '*/10 * * * * *', run: async () => void fast++ },
        { name: 'hourly', cron: '@hourly', run: async () => void hourly++ },
      ],
      { clock, timezone: 'Etc/UTC' },
    );
    await clock.advance(2 * 60 * MIN); // two hours, in 10 s steps
    expect(fast).toBe(720);
    expect(hourly).toBe(2);
    await s.stop();
  });

  it('keeps firing after a run throws, and reports the error', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const r = recorder(clock);
    let n = 0;
    const s = startScheduler(
      [
        {
          name: 'flaky',
          cron: '* * * * *',
          run: async () => {
            n++;
            if (n === 1) throw new Error('source down');
          },
        },
      ],
      r.opts,
    );
    await clock.advance(3 * MIN);
    expect(r.finishes.map((f) => f.ok)).toEqual([false, true, true]);
    expect((r.finishes[0]!.error as Error).message).toBe('source down');
    await s.stop();
  });

  it('coalesces ticks missed during a clock jump into one run', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    let runs = 0;
    const s = startScheduler([{ name: 'j', cron: '* * * * *', run: async () => void runs++ }], {
      clock,
      timezone: 'Etc/UTC',
    });
    await settle();
    await clock.jump(60 * MIN + 30_000); // the machine slept for an hour
    expect(runs).toBe(1);
    expect(s.status()[0]!.skipped).toBe(0); // not fired-and-skipped sixty times either
    await clock.advance(30_000); // back on the minute grid
    expect(runs).toBe(2);
    expect(s.status()[0]!.nextRunAt?.toISOString()).toBe('2024-01-01T01:02:00.000Z');
    await s.stop();
  });
});

describe('Scheduler: overlap and concurrency', () => {
  it('skips and reports a tick while the same job is still running', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const r = recorder(clock);
    const gates: ReturnType<typeof deferred>[] = [];
    const s = startScheduler(
      [
        {
          name: 'slow',
          cron: '* * * * *',
          run: async () => {
            const d = deferred();
            gates.push(d);
            await d.promise;
          },
        },
      ],
      r.opts,
    );
    await clock.advance(MIN); // 00:01 starts run 1
    await clock.advance(2 * MIN); // 00:02 and 00:03 find it running
    expect(r.starts).toHaveLength(1);
    expect(r.skips.map((k) => [k.job, k.scheduledAt.toISOString(), k.runningRun])).toEqual([
      ['slow', '2024-01-01T00:02:00.000Z', 1],
      ['slow', '2024-01-01T00:03:00.000Z', 1],
    ]);
    expect(r.skips[0]!.runningSince.toISOString()).toBe('2024-01-01T00:01:00.000Z');
    expect(s.status()[0]).toMatchObject({ running: true, runs: 1, skipped: 2 });

    gates[0]!.resolve();
    await settle();
    expect(r.finishes).toHaveLength(1);
    expect(r.finishes[0]!.durationMs).toBe(2 * MIN);
    await clock.advance(MIN); // 00:04 runs again
    expect(r.starts.map((i) => i.run)).toEqual([1, 2]);
    gates[1]!.resolve();
    await s.stop();
  });

  it('runs different jobs concurrently', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const active = new Set<string>();
    let maxActive = 0;
    const gate = deferred();
    const job = (name: string): ScheduledJob => ({
      name,
      cron: '* * * * *',
      run: async () => {
        active.add(name);
        maxActive = Math.max(maxActive, active.size);
        await gate.promise;
        active.delete(name);
      },
    });
    const s = startScheduler([job('a'), job('b'), job('c')], { clock, timezone: 'Etc/UTC' });
    await clock.advance(MIN);
    expect([...active].sort()).toEqual(['a', 'b', 'c']);
    gate.resolve();
    await settle();
    expect(active.size).toBe(0);
    expect(maxActive).toBe(3);
    await s.stop();
  });
});

describe('Scheduler: stopping', () => {
  it('stop() aborts the signal, waits for in-flight runs, then resolves; nothing fires after', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const r = recorder(clock);
    const gate = deferred();
    let seen: AbortSignal | undefined;
    const s = startScheduler(
      [
        {
          name: 'load',
          cron: '* * * * *',
          run: async (signal) => {
            seen = signal;
            await gate.promise; // a run that finishes its step before honouring the abort
          },
        },
      ],
      r.opts,
    );
    await clock.advance(MIN);
    expect(r.starts).toHaveLength(1);
    expect(seen?.aborted).toBe(false);

    let stopped = false;
    const stopping = s.stop({ graceMs: 10 * MIN }).then((res) => {
      stopped = true;
      return res;
    });
    await settle();
    expect(seen?.aborted).toBe(true);
    expect(stopped).toBe(false); // still waiting for the run
    await clock.advance(5 * MIN); // within grace; no new ticks fire
    expect(stopped).toBe(false);
    expect(r.starts).toHaveLength(1);
    expect(r.skips).toHaveLength(0);

    gate.resolve();
    const res = await stopping;
    expect(res).toEqual({ drained: ['load'], abandoned: [] });
    expect(r.finishes).toEqual([expect.objectContaining({ ok: true, aborted: true })]);
    expect(await s.done).toEqual(res);
    expect(await s.stop()).toBe(res); // idempotent
    await clock.advance(10 * MIN);
    expect(r.starts).toHaveLength(1);
    expect(clock.sleepers).toBe(0); // no timers left behind
  });

  it('a run that honours the abort ends promptly', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const r = recorder(clock);
    const s = startScheduler(
      [
        {
          name: 'load',
          cron: '* * * * *',
          run: (signal) =>
            new Promise<void>((_resolve, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            }),
        },
      ],
      r.opts,
    );
    await clock.advance(MIN);
    const res = await s.stop();
    expect(res.drained).toEqual(['load']);
    expect(r.finishes).toHaveLength(1);
    expect(r.finishes[0]).toMatchObject({ ok: false, aborted: true });
    expect((r.finishes[0]!.error as Error).name).toBe('AbortError');
  });

  it('gives up on runs still going when the grace period ends, or at once when forced', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const hang = deferred();
    const s = startScheduler(
      [
        { name: 'stuck', cron: '* * * * *', run: () => hang.promise },
        { name: 'quick', cron: '0 0 * * *', run: async () => {} },
      ],
      { clock, timezone: 'Etc/UTC', graceMs: 30_000 },
    );
    await clock.advance(MIN);
    let result: unknown;
    void s.stop().then((res) => {
      result = res;
    });
    await clock.advance(29_999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toEqual({ drained: [], abandoned: ['stuck'] });

    const clock2 = new ManualClock('2024-01-01T00:00:00Z');
    const s2 = startScheduler([{ name: 'stuck', cron: '* * * * *', run: () => hang.promise }], {
      clock: clock2,
      graceMs: 10 * MIN,
    });
    await clock2.advance(MIN);
    const first = s2.stop();
    await settle();
    const forced = s2.stop({ force: true });
    expect(await first).toEqual({ drained: [], abandoned: ['stuck'] });
    expect(await forced).toBe(await first);
    hang.resolve();
  });

  it('stops on SIGTERM when asked to handle signals; a second signal forces', async () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const target = new EventEmitter();
    const phases: string[] = [];
    const hang = deferred();
    const s = startScheduler([{ name: 'j', cron: '* * * * *', run: () => hang.promise }], {
      clock,
      handleSignals: true,
      signalTarget: target,
      onSignal: (sig, phase) => phases.push(`${sig}:${phase}`),
    });
    expect(target.listenerCount('SIGINT')).toBe(1);
    expect(target.listenerCount('SIGTERM')).toBe(1);
    await clock.advance(MIN);
    target.emit('SIGTERM');
    await settle();
    expect(s.stopping).toBe(true);
    target.emit('SIGINT');
    const res = await s.done;
    expect(res).toEqual({ signal: 'SIGTERM', drained: [], abandoned: ['j'] });
    expect(phases).toEqual(['SIGTERM:graceful', 'SIGINT:forced']);
    expect(target.listenerCount('SIGINT')).toBe(0);
    expect(target.listenerCount('SIGTERM')).toBe(0);
    hang.resolve();
  });

  it('fires on the real clock too (one-second cron)', async () => {
    let runs = 0;
    const s = startScheduler(
      [{ name: 'tick', cron: '* * * * * *', run: async () => void runs++ }],
      {
        clock: systemClock,
      },
    );
    const deadline = Date.now() + 3000;
    while (runs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(await s.stop()).toEqual({ drained: [], abandoned: [] });
  });
});

describe('cron validation', () => {
  it.each([
    ['', /empty/],
    ['* * *', /five, six, or seven/],
    ['61 * * * *', /minute/],
    ['not a cron', /invalid cron expression/],
    ['2024-01-01T00:00:00', /five, six, or seven/],
    ['0 0 30 2 *', /never fires/],
    ['0 0 12 * * * 2030', /5 or 6 parts/],
  ])('rejects %j', (expr, reason) => {
    expect(() => validateCron(expr, { what: 'ingestor orders schedule' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => validateCron(expr, { what: 'ingestor orders schedule' })).toThrow(reason);
    expect(() => validateCron(expr, { what: 'ingestor orders schedule' })).toThrow(
      /^ingestor orders schedule: /,
    );
  });

  it('accepts 5- and 6-part crons and nicknames; rejects an unknown time zone', () => {
    for (const expr of ['*/5 * * * *', '0 */2 * * * *', '@daily', ' 0 6 * * 1-5 ', '0 9 * * MON']) {
      expect(() => validateCron(expr)).not.toThrow();
    }
    expect(() => validateCron('* * * * *', { timezone: 'Mars/Olympus' })).toThrow(
      InvalidArgumentError,
    );
    expect(nextCronRun('*/5 * * * *', new Date('2024-01-01T00:02:00Z'), 'Etc/UTC')).toEqual(
      new Date('2024-01-01T00:05:00Z'),
    );
    expect(nextCronRun('0 9 * * *', new Date('2024-01-01T12:00:00Z'), 'Europe/Oslo')).toEqual(
      new Date('2024-01-02T08:00:00Z'),
    );
  });

  it('the scheduler refuses an invalid job up front, naming it', () => {
    const run = async () => {};
    const err = (() => {
      try {
        new Scheduler([
          { name: 'good', cron: '* * * * *', run },
          { name: 'orders', cron: '99 * * * *', run },
        ]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).message).toMatch(/^job "orders": invalid cron/);
    expect((err as InvalidArgumentError).data.argument).toBe('job "orders"');
    expect(
      () =>
        new Scheduler([
          { name: 'x', cron: '* * * * *', run },
          { name: 'x', cron: '* * * * *', run },
        ]),
    ).toThrow(/scheduled twice/);
  });
});
