// Storing a check run: the run and its results in the MetaStore, and each table's profile per
// commit (the history anomaly checks read) — only where the data read was exactly the commit's.

import { newRunId } from '../../common/run-id.js';
import type { Repository } from '../../core/repository.js';
import { dataAtRef } from '../data-at-ref.js';
import { storeProfile } from '../profile.js';
import type { CheckRun } from '../run.js';

/** Stores a run, its results, and the profiles of tables whose data is exactly the commit's. */
export async function storeRun(repo: Repository, run: CheckRun): Promise<void> {
  const id = newRunId(run.startedAt);
  run.id = id;
  const { results, profiles, ...rest } = run;
  await repo.meta.putCheckRun(
    repo.name,
    {
      id,
      ref: run.ref,
      commitId: run.commit,
      createdAt: run.startedAt,
      status: run.status,
      data: JSON.stringify(rest),
    },
    results.map((r) => ({
      runId: id,
      checkId: r.id,
      table: r.table,
      commitId: run.commit,
      createdAt: run.startedAt,
      status: r.status,
      data: JSON.stringify(r),
    })),
  );
  for (const p of profiles) {
    const { commit, exact } = await dataAtRef(repo, run.ref, p.table);
    if (exact) await storeProfile(repo, p, commit, run.startedAt);
  }
}
