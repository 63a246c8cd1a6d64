// The jobs sluice.yml schedules — every ingestor with a `schedule:` (one load per tick) and every
// `schedule: builds:` entry (a project build on its branch) — as ScheduledJobs for the scheduler.
// One list for `sluice schedule` and for `sluice serve --schedule`, which differ only in where
// they tell what a run did.
import type { Repository } from '../core/repository.js';
import type { WorkflowConfig } from './config/index.js';
import { runLoad } from './load.js';
import type { ScheduledJob } from './schedule.js';
import { runScheduledBuild } from './scheduled-build.js';

/** What one run did: the job, its outcome (`success (12 rows into main)`), a line to print. */
export interface JobOutcome {
  job: string;
  detail: string;
  line: string;
}

export function scheduledJobs(
  repo: Repository,
  repoDir: string,
  config: WorkflowConfig,
  report: (outcome: JobOutcome) => void,
): ScheduledJob[] {
  const ingestors = config.ingestors
    .filter((i) => i.schedule)
    .map(
      (i): ScheduledJob => ({
        name: i.name,
        cron: i.schedule as string,
        run: async (signal) => {
          const r = await runLoad(repo, repoDir, config, i.name, { signal });
          const detail = `${r.status}${r.status === 'success' ? ` (${r.rows} rows into ${r.target})` : r.reason ? ` — ${r.reason}` : ''}`;
          report({ job: i.name, detail, line: `${i.name}: ${detail}` });
        },
      }),
    );
  const builds = config.schedule.builds.map((b): ScheduledJob => {
    const name = `build:${b.branch ?? repo.defaultBranch}`;
    return {
      name,
      cron: b.cron,
      run: async () => {
        const { outcome } = await runScheduledBuild(repo, repoDir, config, b);
        const detail = `${outcome.run.status} (run ${outcome.run.id})`;
        report({ job: name, detail, line: `build on ${outcome.run.branch}: ${detail}` });
      },
    };
  });
  return [...ingestors, ...builds];
}
