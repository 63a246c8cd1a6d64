// QualityHistoryStore: check runs with their results, and table profiles.
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetaStore } from '../meta-store.js';
import { type ConformanceFixture, R } from './support.js';

export function describeQualityHistoryStore(fx: ConformanceFixture): void {
  describe('quality history', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    it('stores check runs with their results, lists them newest first, by table or run', async () => {
      const at = (ms: number) => new Date(1_700_000_000_000 + ms);
      for (const [i, status] of ['pass', 'fail', 'warn'].entries()) {
        const runId = `run-${i}`;
        await meta.putCheckRun(
          R,
          {
            id: runId,
            ref: 'main',
            commitId: `c${i}`,
            createdAt: at(i),
            status,
            data: `{"n":${i}}`,
          },
          Array.from({ length: 600 }, (_, k) => ({
            runId,
            checkId: `orders.c${String(k).padStart(3, '0')}`,
            table: k % 2 ? 'orders' : 'customers',
            commitId: `c${i}`,
            createdAt: at(i),
            status: k === 0 ? status : 'pass',
            data: `{"k":${k}}`,
          })),
        );
      }
      const runs = await meta.listCheckRuns(R);
      expect(runs.map((r) => [r.id, r.status, r.commitId])).toEqual([
        ['run-2', 'warn', 'c2'],
        ['run-1', 'fail', 'c1'],
        ['run-0', 'pass', 'c0'],
      ]);
      expect(runs[0]?.createdAt).toEqual(at(2));
      expect(await meta.listCheckRuns(R, { limit: 1 })).toHaveLength(1);
      const orders = await meta.listCheckResults(R, { table: 'orders' });
      expect(orders).toHaveLength(900);
      expect(orders[0]).toMatchObject({
        runId: 'run-2',
        table: 'orders',
        checkId: 'orders.c001',
      });
      const one = await meta.listCheckResults(R, { runId: 'run-1', limit: 2 });
      expect(one.map((r) => [r.checkId, r.status])).toEqual([
        ['orders.c000', 'fail'],
        ['orders.c001', 'pass'],
      ]);
      expect(await meta.listCheckRuns('another-repo')).toEqual([]);
    });

    it('stores one profile per table and commit (replaced when stored again)', async () => {
      const t = new Date(1_700_000_000_000);
      await meta.putProfile(R, {
        table: 'orders',
        commitId: 'a',
        createdAt: t,
        data: '{"rows":1}',
      });
      await meta.putProfile(R, {
        table: 'orders',
        commitId: 'b',
        createdAt: t,
        data: '{"rows":2}',
      });
      await meta.putProfile(R, {
        table: 'orders',
        commitId: 'a',
        createdAt: t,
        data: '{"rows":3}',
      });
      await meta.putProfile(R, {
        table: 'other',
        commitId: 'a',
        createdAt: t,
        data: '{"rows":9}',
      });
      const got = await meta.getProfiles(R, 'orders', ['a', 'b', 'missing']);
      expect(got.map((p) => [p.commitId, p.data]).sort()).toEqual([
        ['a', '{"rows":3}'],
        ['b', '{"rows":2}'],
      ]);
      expect(await meta.getProfiles(R, 'orders', [])).toEqual([]);
    });
  });
}
