// `sluice schedule [--only NAME…]`: runs, in the foreground, every ingestor that has a `schedule:`
// (one write–audit–publish run per tick) and every `schedule: builds:` entry (a project build on
// its branch), each on its cron. A tick that arrives while the same job still runs is skipped
// (and said); different jobs run side by side. SIGINT / SIGTERM stop it cleanly: no new runs,
// the running ones finish (a second signal stops at once). Exit code 0 after a clean stop. A
// scheduled build is a `build` event, as `sluice build` is (an ingestor's run records its own).
// Lines go to stdout as things happen; under --json nothing does until the stop, when one
// document tells the jobs, each run and skipped tick, and how the scheduler stopped.

import {
  findRepoDir,
  InvalidArgumentError,
  loadWorkflowConfig,
  type Repository,
  type WorkflowConfig,
} from '../../index.js';
import { errorLine } from '../../internal.js';
import { type ScheduledJob, scheduledJobs, startScheduler } from '../../workflow/index.js';
import type { CommandContext } from '../runner.js';

interface ScheduleCliOptions {
  only?: string[];
}

/** A run that finished, for the --json document: its outcome as the job told it. */
interface RunRecord {
  job: string;
  scheduledAt: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  aborted: boolean;
  /** What the run did (`success (12 rows into main)`), or why it failed. */
  detail?: string;
}

/** The state of one `sluice schedule`: where it prints, and what the JSON document collects. */
interface Session {
  ctx: CommandContext;
  repo: Repository;
  dir: string;
  config: WorkflowConfig;
  /** The outcome each job's latest run reported, until onFinish takes it. */
  outcome: Map<string, string>;
  runs: RunRecord[];
  skipped: { job: string; scheduledAt: string }[];
}

/** A timestamped line on stdout (not with --json or --quiet). */
function say(s: Session, line: string): void {
  if (!s.ctx.globals.quiet) s.ctx.out.line(`${new Date().toISOString()} ${line}`);
}

/** The jobs --only names; an unknown name is an error before anything runs. */
function onlyJobs(jobs: ScheduledJob[], only: string[] | undefined): ScheduledJob[] {
  if (!only) return jobs;
  const unknown = only.filter((n) => !jobs.some((j) => j.name === n));
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `--only: no scheduled job ${unknown.join(', ')} (scheduled: ${jobs.map((j) => j.name).join(', ') || 'none'})`,
      { argument: 'only', reason: 'unknown job' },
    );
  return jobs.filter((j) => only.includes(j.name));
}

export async function run(ctx: CommandContext, opts: ScheduleCliOptions): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const config = loadWorkflowConfig(dir);
  const repo = await ctx.repo();
  const s: Session = { ctx, repo, dir, config, outcome: new Map(), runs: [], skipped: [] };
  const all = scheduledJobs(repo, dir, config, (o) => {
    s.outcome.set(o.job, o.detail);
    say(s, o.line);
  });
  const jobs = onlyJobs(all, opts.only);
  const jobsJson = jobs.map((j) => ({ name: j.name, cron: j.cron }));
  if (jobs.length === 0) {
    ctx.out.result({ schedule: { jobs: jobsJson, runs: [], skipped: [] } }, () =>
      ctx.out.note('nothing is scheduled: give an ingestor a `schedule:` cron in sluice.yml'),
    );
    return 0;
  }
  say(s, `scheduling ${jobs.map((j) => `${j.name} (${j.cron})`).join(', ')}; Ctrl-C stops`);
  const scheduler = startScheduler(jobs, {
    handleSignals: true,
    onSkip: (k) => {
      s.skipped.push({ job: k.job, scheduledAt: k.scheduledAt.toISOString() });
      say(s, `${k.job}: skipped a tick, the previous run is still going`);
    },
    onFinish: (f) => {
      const detail = f.ok ? s.outcome.get(f.job) : f.aborted ? 'aborted' : errorLine(f.error);
      s.outcome.delete(f.job);
      s.runs.push({
        job: f.job,
        scheduledAt: f.scheduledAt.toISOString(),
        startedAt: f.startedAt.toISOString(),
        durationMs: f.durationMs,
        ok: f.ok,
        aborted: f.aborted,
        ...(detail !== undefined ? { detail } : {}),
      });
      if (!f.ok && !f.aborted) say(s, `${f.job}: failed — ${String(f.error)}`);
    },
    onSignal: (signal) => say(s, `${signal}: stopping after the running jobs finish`),
  });
  const stopped = await scheduler.done;
  ctx.out.result({ schedule: { jobs: jobsJson, runs: s.runs, skipped: s.skipped, stopped } }, () =>
    say(
      s,
      `stopped${stopped.abandoned.length ? ` (abandoned: ${stopped.abandoned.join(', ')})` : ''}`,
    ),
  );
  return 0;
}
