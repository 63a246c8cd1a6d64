// A scheduled build — one `schedule: builds:` entry of sluice.yml, run by `sluice schedule` on its
// cron: the project built on the entry's branch with its node selector, as one run of the
// lifecycle (run-lifecycle.ts). Its `build` event is the one `sluice build` records (buildEvent
// when the build returns, buildErrorEvent when it throws). Nobody watches a scheduled build, so a
// failure alerts: `build.failed` when a node failed (nothing landed; the outputs stay on the run
// branch), `build.error` when the build could not run at all.
import type { Repository } from '../core/repository.js';
import { type BuildOutcome, buildProject } from '../pipeline/build.js';
import type { BuildRun } from '../pipeline/types.js';
import type { SendAlertResult } from './alerts.js';
import type { ScheduledBuild, WorkflowConfig } from './config/index.js';
import { brokenNodes } from './environments/failed-checks.js';
import { buildCounts, buildErrorEvent, buildEvent, type StoredEvent } from './events/index.js';
import {
  errorDetails,
  failedDetails,
  runWorkflow,
  type WorkflowRunOptions,
} from './run-lifecycle.js';

export interface ScheduledBuildOptions extends WorkflowRunOptions<'build'> {}

export interface ScheduledBuildRun {
  /** The branch built. */
  branch: string;
  /** What buildProject returned (its run's status says whether the build succeeded). */
  outcome: BuildOutcome;
  event: StoredEvent;
  /** The `build.failed` alert, when a node failed. */
  alert?: SendAlertResult;
}

/** Runs the scheduled build `entry`: a `build` event, and an alert when it fails. */
export async function runScheduledBuild(
  repo: Repository,
  repoDir: string,
  config: WorkflowConfig,
  entry: ScheduledBuild,
  opts: ScheduledBuildOptions = {},
): Promise<ScheduledBuildRun> {
  const branch = entry.branch ?? repo.defaultBranch;
  return runWorkflow(
    repo,
    {
      kind: 'build',
      alerts: config.alerts,
      options: opts as WorkflowRunOptions,
      failure: {
        event: (run, _reason, err) => buildErrorEvent('build', branch, err, run.startedAt),
        alert: (run, reason, err) => {
          const attached = (err as { run?: BuildRun } | null)?.run;
          return {
            type: 'build.error',
            title: `scheduled build on ${branch} could not run`,
            text: buildErrorEvent('build', branch, err, run.startedAt).reason ?? reason,
            severity: 'error',
            outcome: 'error',
            refs: { branch, ...(attached ? { runId: attached.id } : {}) },
            details: errorDetails(err),
          };
        },
      },
    },
    async (run) => {
      run.phase('build', branch);
      const outcome = await buildProject(repo, repoDir, {
        branch,
        ...(entry.select ? { select: [entry.select] } : {}),
      });
      const event = await run.record(buildEvent('build', outcome));
      if (outcome.run.status === 'success') return { branch, outcome, event };
      const alert = await run.alert(
        {
          type: 'build.failed',
          title: `scheduled build on ${branch} failed`,
          text: `${event.reason}. ${branch} was not changed.`,
          severity: 'error',
          outcome: 'failure',
          refs: { branch, runId: outcome.run.id },
          details: {
            failed: failedDetails(brokenNodes(outcome.run)),
            ...buildCounts(outcome.run),
          },
        },
        event,
      );
      return { branch, outcome, event, alert };
    },
  );
}
