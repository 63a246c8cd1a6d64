// The run branches of builds that were killed. A build writes its outputs to `run/<run id>`; it
// deletes that branch when it lands, and keeps it when it fails (its commit, metadata
// `sluice.run_id`, holds the outputs for inspection). A build whose process was killed (or that
// threw before committing) leaves `run/<id>` behind with no commit of its own, and its staged
// objects pinned. `gc` removes such a branch once the run is older than the retention period —
// never one whose build is still running: that one's lease (build/run-lease.ts) is fresh.

import { NotFoundError, SluiceError } from '../common/errors.js';
import { RUN_ID_PATTERN } from '../common/run-id.js';
import type { Repository } from '../core/repository.js';
import { holdsLiveLease, runLeaseKey } from './build/run-lease.js';

export const RUN_BRANCH_PREFIX = 'run/';

export interface AbandonedRun {
  branch: string;
  runId: string;
  startedAt: Date;
}

export interface ExpireRunsReport {
  dryRun: boolean;
  /** Run branches removed (or, in a dry run, that would be). */
  removed: AbandonedRun[];
  /** Run branches that could not be removed (a protection rule, …): gc goes on without them. */
  failed: { run: AbandonedRun; error: SluiceError }[];
}

export interface ExpireRunsOptions {
  /** Runs started within this many days are kept. Default 7 (gc's retention). */
  retentionDays?: number;
  dryRun?: boolean;
  /** Injected clock, for tests. */
  now?: Date;
}

/** The start time a run id records (`20261203091530123-…`: UTC to the millisecond). */
export function runStartOf(runId: string): Date {
  const d = runId.slice(0, 17);
  return new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:` +
      `${d.slice(12, 14)}.${d.slice(14, 17)}Z`,
  );
}

/**
 * Removes the run branches of builds that were killed: `run/<id>` whose run started before the
 * retention cutoff, whose lease is not live, and whose head is not the run's own commit (a failed
 * build's, kept for inspection). Their stale leases go too.
 */
export async function expireRunBranches(
  repo: Repository,
  opts: ExpireRunsOptions = {},
): Promise<ExpireRunsReport> {
  const now = opts.now ?? new Date();
  const cutoff = now.getTime() - (opts.retentionDays ?? 7) * 86_400_000;
  const report: ExpireRunsReport = { dryRun: opts.dryRun === true, removed: [], failed: [] };
  const candidates: AbandonedRun[] = [];
  for await (const b of repo.listBranches({ prefix: RUN_BRANCH_PREFIX })) {
    const runId = b.name.slice(RUN_BRANCH_PREFIX.length);
    if (!RUN_ID_PATTERN.test(runId)) continue; // not a build's run branch
    const startedAt = runStartOf(runId);
    if (startedAt.getTime() > cutoff) continue;
    candidates.push({ branch: b.name, runId, startedAt });
  }
  for (const run of candidates) {
    if (await holdsLiveLease(repo, run.runId, now)) continue;
    try {
      const head = await repo.getCommit(run.branch);
      if (head.metadata['sluice.run_id'] === run.runId) continue; // a finished (failed) build's
      if (!report.dryRun) await repo.deleteBranch(run.branch);
    } catch (err) {
      if (err instanceof NotFoundError) continue; // gone meanwhile
      if (!(err instanceof SluiceError)) throw err;
      report.failed.push({ run, error: err });
      continue;
    }
    if (!report.dryRun) await repo.store.delete(runLeaseKey(run.runId));
    report.removed.push(run);
  }
  return report;
}
