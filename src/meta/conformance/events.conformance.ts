// EventStore: the append-only log — gapless ids, filters, paging, concurrent appends.
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../common/errors.js';
import type { EventInput, EventQuery, MetaStore } from '../meta-store.js';
import { type ConformanceFixture, collect, R, T0 } from './support.js';

export function describeEventStore(fx: ConformanceFixture): void {
  describe('event log', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    const at = (min: number) => new Date(Date.UTC(2024, 4, 1, 12, min));
    const ev = (type: string, min: number, extra: Partial<EventInput> = {}): EventInput => ({
      type,
      time: at(min),
      actor: 'ana',
      outcome: 'success',
      ...extra,
    });
    const ids = async (query?: EventQuery, repo = R): Promise<number[]> =>
      (await collect(meta.listEvents(repo, query))).map((e) => e.id);

    it('appends with ids 1, 2, 3 … per repository and round-trips every field', async () => {
      const before = Date.now();
      const first = await meta.appendEvent(R, {
        type: 'load',
        actor: 'ingest-bot',
        outcome: 'failure',
        refs: { branch: 'ingest/orders/r1', commit: 'c1' },
        data: { rows: 12, checks: ['not_null(id)'], nested: { ok: false, note: 'ünï 💥' } },
      });
      const after = Date.now();
      expect(first.id).toBe(1);
      expect(first.time.getTime()).toBeGreaterThanOrEqual(before);
      expect(first.time.getTime()).toBeLessThanOrEqual(after);
      const second = await meta.appendEvent(R, ev('deploy', 5));
      expect(second).toEqual({
        id: 2,
        time: at(5),
        type: 'deploy',
        actor: 'ana',
        outcome: 'success',
        refs: {},
        data: {},
      });
      await meta.createRepository({
        name: 'repo2',
        storageUri: 's',
        defaultBranch: 'main',
        createdAt: T0,
      });
      expect((await meta.appendEvent('repo2', ev('merge', 1))).id).toBe(1);
      expect((await meta.appendEvent(R, ev('merge', 1))).id).toBe(3);
      const all = await collect(meta.listEvents(R));
      expect(all.map((e) => [e.id, e.type])).toEqual([
        [1, 'load'],
        [2, 'deploy'],
        [3, 'merge'],
      ]);
      expect(all[0]).toEqual(first);
      expect(all[0]?.data).toEqual({
        rows: 12,
        checks: ['not_null(id)'],
        nested: { ok: false, note: 'ünï 💥' },
      });
      expect(await ids({}, 'repo2')).toEqual([1]);
      expect(await ids({}, 'no-such-repo')).toEqual([]);
    });

    it('lists in id order, filtered by time, type and id, with limits, both directions', async () => {
      // Times deliberately out of append order: the listing follows ids, not times.
      const plan: [string, number][] = [
        ['load', 10],
        ['load', 5],
        ['check', 20],
        ['deploy', 30],
        ['rollback', 40],
        ['load', 30],
      ];
      for (const [type, min] of plan) await meta.appendEvent(R, ev(type, min));
      expect(await ids()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await ids({ order: 'desc' })).toEqual([6, 5, 4, 3, 2, 1]);
      // since inclusive, until exclusive
      expect(await ids({ since: at(10) })).toEqual([1, 3, 4, 5, 6]);
      expect(await ids({ until: at(30) })).toEqual([1, 2, 3]);
      expect(await ids({ since: at(10), until: at(30) })).toEqual([1, 3]);
      expect(await ids({ types: ['load'] })).toEqual([1, 2, 6]);
      expect(await ids({ types: ['deploy', 'rollback'] })).toEqual([4, 5]);
      expect(await ids({ types: [] })).toEqual([]);
      expect(await ids({ types: ['load'], since: at(10) })).toEqual([1, 6]);
      expect(await ids({ afterId: 4 })).toEqual([5, 6]);
      expect(await ids({ beforeId: 3 })).toEqual([1, 2]);
      expect(await ids({ limit: 2 })).toEqual([1, 2]);
      expect(await ids({ limit: 2, order: 'desc' })).toEqual([6, 5]);
      expect(await ids({ limit: 2, order: 'desc', types: ['load'] })).toEqual([6, 2]);
      expect(await ids({ limit: 0 })).toEqual([]);
    });

    it('pages through long logs', async () => {
      const n = 1234;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          meta.appendEvent(R, ev(i % 3 ? 'load' : 'merge', i % 60)),
        ),
      );
      const asc = await ids();
      expect(asc).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(await ids({ order: 'desc' })).toEqual([...asc].reverse());
      expect(await ids({ afterId: 600, limit: 700 })).toEqual(asc.slice(600, 1234));
      expect((await ids({ types: ['merge'] })).length).toBe(Math.ceil(n / 3));
    });

    it('concurrent appends lose nothing and duplicate nothing', async () => {
      const writers = 6;
      const each = 40;
      const returned = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const got: number[] = [];
          for (let i = 0; i < each; i++) {
            const e = await meta.appendEvent(R, {
              type: 'load',
              actor: `w${w}`,
              outcome: 'success',
              data: { w, i },
            });
            got.push(e.id);
          }
          return got;
        }),
      );
      const total = writers * each;
      const flat = returned.flat().sort((a, b) => a - b);
      expect(flat).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // Each writer saw its own ids increase.
      for (const got of returned) expect([...got].sort((a, b) => a - b)).toEqual(got);
      const stored = await collect(meta.listEvents(R));
      expect(stored.map((e) => e.id)).toEqual(flat);
      const seen = new Set(stored.map((e) => `${e.data.w}/${e.data.i}`));
      expect(seen.size).toBe(total);
    });

    it('rejects an invalid time and leaves no trace', async () => {
      await expect(
        meta.appendEvent(R, ev('load', 0, { time: new Date(Number.NaN) })),
      ).rejects.toBeInstanceOf(InvalidArgumentError);
      expect((await meta.appendEvent(R, ev('load', 0))).id).toBe(1);
    });

    it('deleteRepository removes the log and restarts its sequence', async () => {
      await meta.appendEvent(R, ev('load', 0));
      await meta.appendEvent(R, ev('load', 1));
      await meta.deleteRepository(R);
      expect(await ids()).toEqual([]);
      await meta.createRepository({
        name: R,
        storageUri: 'mem://r1',
        defaultBranch: 'main',
        createdAt: T0,
      });
      expect((await meta.appendEvent(R, ev('load', 2))).id).toBe(1);
    });
  });
}
