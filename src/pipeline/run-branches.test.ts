import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../api/open-repository.js';
import { newRunId } from '../common/run-id.js';
import type { Repository } from '../core/repository.js';
import { holdRunLease, runLeaseKey } from './build/run-lease.js';
import { expireRunBranches, runStartOf } from './run-branches.js';

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-run-branches-'));
  repo = await initRepository(dir, { committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const branchNames = async (): Promise<string[]> => {
  const names: string[] = [];
  for await (const b of repo.listBranches({ prefix: 'run/' })) names.push(b.name);
  return names.sort();
};

/** A run branch as a build leaves it: outputs staged, and (`committed`) its own commit. */
async function runBranch(daysAgo: number, committed = false): Promise<string> {
  const id = newRunId(new Date(Date.now() - daysAgo * DAY));
  const branch = `run/${id}`;
  await repo.createBranch(branch);
  await repo.putObject(branch, `tables/t/${id}.parquet`, Buffer.from(id));
  if (committed)
    await repo.commit(branch, { message: 'build — FAILED', metadata: { 'sluice.run_id': id } });
  return branch;
}

describe('expireRunBranches', () => {
  it('reads the start time a run id records', () => {
    const at = new Date('2026-12-03T09:15:30.123Z');
    expect(runStartOf(newRunId(at)).toISOString()).toBe(at.toISOString());
  });

  it("removes a killed build's run branch only after the retention period", async () => {
    const killed = await runBranch(8);
    const recent = await runBranch(2);
    const failed = await runBranch(8, true); // a failed build's outputs, kept for inspection
    await repo.createBranch('run/not-a-run-id');
    const dry = await expireRunBranches(repo, { dryRun: true });
    expect(dry.removed.map((r) => r.branch)).toEqual([killed]);
    expect(await branchNames()).toHaveLength(4);
    const r = await expireRunBranches(repo);
    expect(r.removed.map((x) => x.branch)).toEqual([killed]);
    expect(await branchNames()).toEqual([recent, failed, 'run/not-a-run-id'].sort());
    const again = await expireRunBranches(repo, { retentionDays: 1 });
    expect(again.removed.map((x) => x.branch)).toEqual([recent]);
  });

  it("never removes a running build's branch: its lease is fresh, a killed one's goes stale", async () => {
    const branch = await runBranch(30);
    const runId = branch.slice('run/'.length);
    const lease = await holdRunLease(repo, runId, 'main');
    expect((await expireRunBranches(repo, { retentionDays: 0 })).removed).toEqual([]);
    // Fourteen minutes without a heartbeat: still taken for alive.
    const soon = new Date(Date.now() + 14 * 60_000);
    expect((await expireRunBranches(repo, { retentionDays: 0, now: soon })).removed).toEqual([]);
    // Its process was killed: the lease stays as it was and goes stale.
    const later = new Date(Date.now() + 16 * 60_000);
    const r = await expireRunBranches(repo, { retentionDays: 0, now: later });
    expect(r.removed.map((x) => x.branch)).toEqual([branch]);
    expect(await repo.store.head(runLeaseKey(runId))).toBeUndefined();
    await lease.release();
  });

  it('a released lease is deleted', async () => {
    const lease = await holdRunLease(repo, newRunId(), 'main');
    const keys = async () => {
      const out: string[] = [];
      for await (const o of repo.store.list('leases/')) out.push(o.key);
      return out;
    };
    expect(await keys()).toHaveLength(1);
    await lease.release();
    expect(await keys()).toEqual([]);
  });
});
