// A check, test or node that refused a promotion or a deploy, as their results and alerts list it.
import type { BuildRun } from '../../pipeline/types.js';
import type { blocking } from '../../quality/gate-checks.js';

export type FailedCheck = ReturnType<typeof blocking>[number];

/** The nodes of a build that failed or errored, as the failures a promotion or deploy reports. */
export function brokenNodes(run: BuildRun): FailedCheck[] {
  return run.results
    .filter((r) => r.status === 'error' || r.status === 'fail')
    .map((r) => ({
      id: r.uniqueId,
      name: r.name,
      table: r.relation ?? r.name,
      status: r.status as FailedCheck['status'],
      ...(r.message ? { message: r.message } : {}),
    }));
}
