// The `build` event of a pipeline build, as `sluice build`, a promotion, a production rebuild and
// a scheduled build all record it — one shape, made here — and the words a refusal uses for the
// nodes that broke.
import { errorLine } from '../../common/error-line.js';
import type { BuildCommand, BuildOutcome } from '../../pipeline/build.js';
import type { BuildRun, NodeResult } from '../../pipeline/types.js';
import type { BuildEvent } from './types.js';

/** Seeds and models by status, and tests by status: a build event's `models` and `tests`. */
export function buildCounts(
  run: BuildRun,
): Required<Pick<BuildEvent, 'models'>> & Pick<BuildEvent, 'tests'> {
  const n = (test: boolean, status: NodeResult['status']): number =>
    run.results.filter((r) => (r.kind === 'test') === test && r.status === status).length;
  const tests = run.results.some((r) => r.kind === 'test');
  return {
    models: {
      built: n(false, 'success'),
      reused: n(false, 'reused'),
      failed: n(false, 'error'),
      skipped: n(false, 'skipped'),
    },
    ...(tests
      ? {
          tests: {
            pass: n(true, 'pass'),
            warn: n(true, 'warn'),
            fail: n(true, 'fail'),
            error: n(true, 'error'),
            skipped: n(true, 'skipped'),
          },
        }
      : {}),
  };
}

/** The event of a build that returned: success, or failure when a node failed. */
export function buildEvent(command: BuildCommand, outcome: BuildOutcome): BuildEvent {
  const { run } = outcome;
  const base = {
    type: 'build' as const,
    branch: run.branch,
    runId: run.id,
    command,
    ...buildCounts(run),
    durationMs: run.completedAt.getTime() - run.startedAt.getTime(),
  };
  if (run.status === 'success')
    return {
      ...base,
      outcome: 'success',
      ...(outcome.landed ? { commit: outcome.landed.id } : {}),
    };
  // `sluice test` writes nothing, so it leaves no run branch to point at.
  const where = command === 'test' ? '' : ` (outputs on ${run.runBranch})`;
  return {
    ...base,
    outcome: 'failure',
    reason: `the build failed: ${describeBroken(run)}${where}`,
  };
}

/** `test unique(email) fail, model orders error`: what failed in a build, for a reason. */
export function describeBroken(run: BuildRun): string {
  return run.results
    .filter((r) => r.status === 'error' || r.status === 'fail')
    .map((r) => `${r.kind} ${r.name} ${r.status}`)
    .join(', ');
}

/**
 * The event of a build that threw: a project that cannot compile, a branch with uncommitted
 * changes, or the final merge refused — buildProject then attaches the run (its outputs stay on
 * the run branch).
 */
export function buildErrorEvent(
  command: BuildCommand,
  branch: string,
  err: unknown,
  startedAt: number,
): BuildEvent {
  const run = (err as { run?: BuildRun } | null)?.run;
  return {
    type: 'build',
    outcome: 'error',
    branch,
    command,
    ...(run ? { runId: run.id, ...buildCounts(run) } : {}),
    reason: `${errorLine(err)}${run && command !== 'test' ? ` (outputs on ${run.runBranch})` : ''}`,
    durationMs: Date.now() - startedAt,
  };
}
