// The foreground scheduler behind `sluice schedule`: fires jobs (ingestor loads, builds) on their
// cron schedules. croner computes the next run time; our own timer loop waits for it through an
// injectable Clock, so tests run a day of schedule in milliseconds. One job never overlaps
// itself (a tick that finds the previous run still going is skipped and reported); different
// jobs run concurrently. stop() — or SIGINT/SIGTERM when asked — fires nothing new, aborts the
// runs' AbortSignal and waits for them up to a grace period.

import { Cron, CronPattern } from 'croner';
import { InvalidArgumentError } from '../common/errors.js';

/** Time as the scheduler sees it. `sleep` resolves after `ms`, or early once `signal` aborts; it
 * never rejects. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface ScheduledJob {
  /** Unique among the scheduler's jobs (an ingestor's name, `build`). */
  name: string;
  /** 5-field cron, or 6 with seconds first, or a nickname such as `@hourly`. */
  cron: string;
  /** IANA zone the cron is read in; defaults to the scheduler's, else the local zone. */
  timezone?: string;
  /** One run. The signal aborts when the scheduler stops; a run should then wind down. */
  run: (signal: AbortSignal) => Promise<void>;
}

export interface RunStartInfo {
  job: string;
  /** 1-based count of this job's runs. */
  run: number;
  /** The cron time this run is for. */
  scheduledAt: Date;
  startedAt: Date;
}

export interface RunFinishInfo extends RunStartInfo {
  finishedAt: Date;
  durationMs: number;
  ok: boolean;
  /** What `run` threw, when it did. */
  error?: unknown;
  /** Whether the scheduler had been stopped before the run ended. */
  aborted: boolean;
}

export interface RunSkipInfo {
  job: string;
  scheduledAt: Date;
  reason: 'overlap';
  /** The run still in flight. */
  runningRun: number;
  runningSince: Date;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Where signal handlers go (process by default; an EventEmitter in tests). */
export interface SignalTarget {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface SchedulerOptions {
  clock?: Clock;
  /** IANA zone for jobs that do not name one. Default: the local zone. */
  timezone?: string;
  /** How long stop() waits for in-flight runs after aborting them. Default 30 s. */
  graceMs?: number;
  /** Install SIGINT/SIGTERM handlers: the first signal stops gracefully, a second one stops
   * without waiting. Removed once stopped. */
  handleSignals?: boolean;
  signalTarget?: SignalTarget;
  onStart?: (info: RunStartInfo) => void;
  onFinish?: (info: RunFinishInfo) => void;
  onSkip?: (info: RunSkipInfo) => void;
  onSignal?: (signal: StopSignal, phase: 'graceful' | 'forced') => void;
}

export interface StopResult {
  /** Set when a signal caused the stop. */
  signal?: StopSignal;
  /** Jobs that were running at stop and finished within the grace period. */
  drained: string[];
  /** Jobs still running when the grace period ran out (or the stop was forced). */
  abandoned: string[];
}

export interface JobStatus {
  name: string;
  cron: string;
  nextRunAt: Date | null;
  running: boolean;
  runs: number;
  skipped: number;
}

/** Re-read the clock at least this often while waiting, so a wall-clock jump or a suspended
 * machine is noticed within a minute (and setTimeout's 24.8-day limit never matters). */
const MAX_SLEEP_MS = 60_000;
const DEFAULT_GRACE_MS = 30_000;

/** The forms config.ts accepts too: 5 fields, or 6 with seconds first (no year field). */
const CRON_MODE = '5-or-6-parts';

function makeCron(expr: string, timezone: string | undefined): Cron {
  // CronPattern first: Cron alone would take an ISO date string as a one-off run time.
  new CronPattern(expr, timezone, { mode: CRON_MODE });
  return new Cron(expr, {
    paused: true,
    mode: CRON_MODE,
    ...(timezone !== undefined ? { timezone } : {}),
  });
}

/**
 * Throw InvalidArgumentError unless `expr` is a cron expression that fires at least once more
 * (in `timezone`, which must be a valid IANA zone). `what` names it in the message, e.g.
 * `ingestor orders schedule`. Config validation reuses this and rewraps with its file.
 */
export function validateCron(expr: string, opts: { timezone?: string; what?: string } = {}): void {
  compileCron(expr, opts.timezone, opts.what ?? 'cron');
}

/** The next time `expr` fires strictly after `after`, or null if it never fires again. */
export function nextCronRun(expr: string, after: Date, timezone?: string): Date | null {
  return compileCron(expr, timezone, 'cron').nextRun(after);
}

function compileCron(expr: unknown, timezone: string | undefined, what: string): Cron {
  const fail = (reason: string): never => {
    throw new InvalidArgumentError(
      `${what}: invalid cron expression ${JSON.stringify(expr)}: ${reason}`,
      {
        argument: what,
        reason,
      },
    );
  };
  if (typeof expr !== 'string' || expr.trim() === '') fail('it is empty');
  let cron: Cron;
  try {
    cron = makeCron((expr as string).trim(), timezone);
  } catch (err) {
    return fail(err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err));
  }
  let next: Date | null;
  try {
    next = cron.nextRun(new Date());
  } catch (err) {
    // croner checks the time zone only when it first converts a date.
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (next === null) fail('it never fires again');
  return cron;
}

interface JobState {
  job: ScheduledJob;
  cron: Cron;
  nextRunAt: Date | null;
  runs: number;
  skipped: number;
  inFlight: { run: number; since: Date; done: Promise<void> } | null;
}

/** Call an observer without letting its exception break the scheduler's loop. */
function notify<T>(fn: ((info: T) => void) | undefined, info: T): void {
  if (fn === undefined) return;
  try {
    fn(info);
  } catch {
    // Observers report; they do not steer. A throwing one is ignored.
  }
}

/**
 * Runs jobs on their cron schedules until stopped. Construct (validates every job, throws
 * InvalidArgumentError naming the job), then start(); `done` resolves with the stop's result.
 */
export class Scheduler {
  readonly done: Promise<StopResult>;
  private readonly clock: Clock;
  private readonly states: JobState[];
  private readonly stopController = new AbortController();
  private readonly forceController = new AbortController();
  private loops: Promise<void>[] = [];
  private started = false;
  private stopPromise: Promise<StopResult> | null = null;
  private resolveDone!: (r: StopResult) => void;
  private signalHandlers: [StopSignal, () => void][] = [];
  private stopSignal: StopSignal | undefined;

  constructor(
    jobs: readonly ScheduledJob[],
    private readonly opts: SchedulerOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    const seen = new Set<string>();
    this.states = jobs.map((job) => {
      if (seen.has(job.name)) {
        throw new InvalidArgumentError(`job "${job.name}" is scheduled twice`, {
          argument: `jobs.${job.name}`,
          reason: 'duplicate job name',
        });
      }
      seen.add(job.name);
      const cron = compileCron(job.cron, job.timezone ?? opts.timezone, `job "${job.name}"`);
      return { job, cron, nextRunAt: null, runs: 0, skipped: 0, inFlight: null };
    });
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Begin waiting for each job's next tick. Idempotent; does nothing once stopped. */
  start(): this {
    if (this.started || this.stopPromise !== null) return this;
    this.started = true;
    if (this.opts.handleSignals) this.installSignalHandlers();
    this.loops = this.states.map((s) => this.loop(s));
    return this;
  }

  get stopping(): boolean {
    return this.stopPromise !== null;
  }

  status(): JobStatus[] {
    return this.states.map((s) => ({
      name: s.job.name,
      cron: s.job.cron,
      nextRunAt: s.nextRunAt,
      running: s.inFlight !== null,
      runs: s.runs,
      skipped: s.skipped,
    }));
  }

  /**
   * Fire nothing new, abort the runs' signal, wait for in-flight runs up to the grace period
   * (`force` skips the wait). Idempotent: later calls return the same result, except that a
   * `force` still cuts an ongoing wait short.
   */
  stop(opts: { graceMs?: number; force?: boolean } = {}): Promise<StopResult> {
    if (opts.force) this.forceController.abort();
    if (this.stopPromise !== null) return this.stopPromise;
    this.stopController.abort();
    const graceMs = Math.max(0, opts.graceMs ?? this.opts.graceMs ?? DEFAULT_GRACE_MS);
    // Which runs were in flight is decided now: one that ends on the abort still counts as drained.
    const running = this.states.filter((s) => s.inFlight !== null);
    this.stopPromise = this.drain(running, graceMs);
    return this.stopPromise;
  }

  private async drain(running: JobState[], graceMs: number): Promise<StopResult> {
    await Promise.all(this.loops);
    const all = Promise.all(running.map((s) => s.inFlight?.done));
    if (running.length > 0 && !this.forceController.signal.aborted) {
      const timer = new AbortController();
      const onForce = () => timer.abort();
      this.forceController.signal.addEventListener('abort', onForce, { once: true });
      await Promise.race([all, this.clock.sleep(graceMs, timer.signal)]);
      timer.abort();
      this.forceController.signal.removeEventListener('abort', onForce);
    }
    this.removeSignalHandlers();
    const result: StopResult = {
      ...(this.stopSignal !== undefined ? { signal: this.stopSignal } : {}),
      drained: running.filter((s) => s.inFlight === null).map((s) => s.job.name),
      abandoned: running.filter((s) => s.inFlight !== null).map((s) => s.job.name),
    };
    this.resolveDone(result);
    return result;
  }

  private async loop(state: JobState): Promise<void> {
    const signal = this.stopController.signal;
    let from = this.clock.now();
    while (!signal.aborted) {
      const next = state.cron.nextRun(new Date(from));
      state.nextRunAt = next;
      if (next === null) return; // the schedule has no more times (e.g. a past year)
      const at = next.getTime();
      for (let now = this.clock.now(); now < at; now = this.clock.now()) {
        await this.clock.sleep(Math.min(at - now, MAX_SLEEP_MS), signal);
        if (signal.aborted) return;
      }
      this.fire(state, next);
      // Ticks missed while the process was not running the loop (a suspended machine, a
      // clock jump) coalesce into the one just fired instead of firing in a burst.
      from = Math.max(at, this.clock.now());
    }
  }

  private fire(state: JobState, scheduledAt: Date): void {
    if (state.inFlight !== null) {
      state.skipped++;
      notify(this.opts.onSkip, {
        job: state.job.name,
        scheduledAt,
        reason: 'overlap',
        runningRun: state.inFlight.run,
        runningSince: state.inFlight.since,
      });
      return;
    }
    const run = ++state.runs;
    const startedAt = new Date(this.clock.now());
    const start: RunStartInfo = { job: state.job.name, run, scheduledAt, startedAt };
    const signal = this.stopController.signal;
    const done = (async () => {
      notify(this.opts.onStart, start);
      let ok = true;
      let error: unknown;
      try {
        await state.job.run(signal);
      } catch (err) {
        ok = false;
        error = err;
      }
      const finished = this.clock.now();
      state.inFlight = null;
      notify(this.opts.onFinish, {
        ...start,
        finishedAt: new Date(finished),
        durationMs: finished - startedAt.getTime(),
        ok,
        ...(ok ? {} : { error }),
        aborted: signal.aborted,
      });
    })();
    state.inFlight = { run, since: startedAt, done };
  }

  private installSignalHandlers(): void {
    const target: SignalTarget = this.opts.signalTarget ?? process;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        const forced = this.stopPromise !== null;
        this.stopSignal ??= sig;
        try {
          this.opts.onSignal?.(sig, forced ? 'forced' : 'graceful');
        } catch {
          // As with the other observers: reporting must not prevent the stop.
        }
        void this.stop(forced ? { force: true } : {});
      };
      target.on(sig, handler);
      this.signalHandlers.push([sig, handler]);
    }
  }

  private removeSignalHandlers(): void {
    const target: SignalTarget = this.opts.signalTarget ?? process;
    for (const [sig, handler] of this.signalHandlers) target.off(sig, handler);
    this.signalHandlers = [];
  }
}

/** Validate the jobs, start firing them, and return the running scheduler. */
export function startScheduler(
  jobs: readonly ScheduledJob[],
  opts: SchedulerOptions = {},
): Scheduler {
  return new Scheduler(jobs, opts).start();
}
