// A workflow run's check step — a load's audit, a promotion's integration checks, a deploy's smoke
// checks: the checks run on one ref and stored (the history anomaly checks read), what blocks the
// run, and the `check` event in the log. Measuring and recording are two calls, so a caller can
// keep what was measured when the event cannot be appended.
import { blocking } from '../quality/gate-checks.js';
import { type CheckRun, runChecks } from '../quality/run.js';
import type { CheckSpec } from '../quality/spec.js';
import type { StoredEvent } from './events/index.js';
import type { WorkflowRun } from './run-lifecycle.js';

export interface CheckStep {
  checked: CheckRun;
  /** The error-severity checks that failed or errored: what refuses the run. */
  failed: ReturnType<typeof blocking>;
}

/** Runs `specs` on `ref`, storing the results. */
export async function runCheckStep(
  run: WorkflowRun,
  specs: CheckSpec[],
  ref: string,
): Promise<CheckStep> {
  const checked = await runChecks(run.repo, specs, { ref, store: true });
  return { checked, failed: blocking(checked) };
}

/** The step's `check` event: the ref and commit checked, the tables, the summary. */
export function recordCheckStep(
  run: WorkflowRun,
  step: CheckStep,
  specs: CheckSpec[],
): Promise<StoredEvent> {
  return run.record({
    type: 'check',
    outcome: step.failed.length > 0 ? 'failure' : 'success',
    ref: step.checked.ref,
    commit: step.checked.commit,
    runId: run.id,
    tables: [...new Set(specs.map((s) => s.table))].sort(),
    summary: step.checked.summary,
  });
}
