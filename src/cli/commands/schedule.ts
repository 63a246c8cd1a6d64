// `sluice schedule [--only NAME…]`: runs, in the foreground, every ingestor that has a `schedule:`
// (one write–audit–publish run per tick) and every `schedule: builds:` entry (a project build on
// its branch), each on its cron. A tick that arrives while the same job still runs is skipped
// (and said); different jobs run side by side. SIGINT / SIGTERM stop it cleanly: no new runs,
// the running ones finish (a second signal stops at once). Exit code 0 after a clean stop. A
// scheduled build is a `build` event, as `sluice build` is (an ingestor's run records its own).
import type { Command } from 'commander';
import {
  findRepoDir,
  InvalidArgumentError,
  loadWorkflowConfig,
  runLoad,
  runScheduledBuild,
  type ScheduledJob,
  startScheduler,
} from '../../index.js';
import type { Runner } from '../runner.js';

interface ScheduleCliOptions {
  only?: string[];
}

export function register(program: Command, runner: Runner): void {
  program
    .command('schedule')
    .description(
      'run the scheduled ingestors (and builds) on their cron schedules, in the foreground',
    )
    .option('--only <job...>', 'only these jobs (ingestor names, or build:BRANCH)')
    .action(
      runner.action(async (ctx, opts: ScheduleCliOptions) => {
        const dir = findRepoDir(ctx.globals.repo);
        const config = loadWorkflowConfig(dir);
        const repo = await ctx.repo();
        const say = (line: string): void => {
          if (!ctx.globals.quiet) ctx.out.line(`${new Date().toISOString()} ${line}`);
        };
        let jobs: ScheduledJob[] = [
          ...config.ingestors
            .filter((i) => i.schedule)
            .map(
              (i): ScheduledJob => ({
                name: i.name,
                cron: i.schedule as string,
                run: async (signal) => {
                  const r = await runLoad(repo, dir, config, i.name, { signal });
                  say(
                    `${i.name}: ${r.status}${r.status === 'success' ? ` (${r.rows} rows into ${r.target})` : r.reason ? ` — ${r.reason}` : ''}`,
                  );
                },
              }),
            ),
          ...config.schedule.builds.map(
            (b): ScheduledJob => ({
              name: `build:${b.branch ?? repo.defaultBranch}`,
              cron: b.cron,
              run: async () => {
                const { outcome: out } = await runScheduledBuild(repo, dir, config, b);
                say(`build on ${out.run.branch}: ${out.run.status} (run ${out.run.id})`);
              },
            }),
          ),
        ];
        if (opts.only) {
          const unknown = opts.only.filter((n) => !jobs.some((j) => j.name === n));
          if (unknown.length > 0)
            throw new InvalidArgumentError(
              `--only: no scheduled job ${unknown.join(', ')} (scheduled: ${jobs.map((j) => j.name).join(', ') || 'none'})`,
              { argument: 'only', reason: 'unknown job' },
            );
          jobs = jobs.filter((j) => opts.only?.includes(j.name));
        }
        if (jobs.length === 0) {
          ctx.out.note('nothing is scheduled: give an ingestor a `schedule:` cron in sluice.yml');
          return 0;
        }
        say(`scheduling ${jobs.map((j) => `${j.name} (${j.cron})`).join(', ')}; Ctrl-C stops`);
        const scheduler = startScheduler(jobs, {
          handleSignals: true,
          onSkip: (s) => say(`${s.job}: skipped a tick, the previous run is still going`),
          onFinish: (f) => {
            if (!f.ok && !f.aborted) say(`${f.job}: failed — ${String(f.error)}`);
          },
          onSignal: (signal) => say(`${signal}: stopping after the running jobs finish`),
        });
        const stopped = await scheduler.done;
        say(
          `stopped${stopped.abandoned.length ? ` (abandoned: ${stopped.abandoned.join(', ')})` : ''}`,
        );
        return 0;
      }),
    );
}
