// CommitRecordStore: idempotent puts, exact bytes, prefix search, paged listing, deletes.
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetaStore } from '../meta-store.js';
import { type ConformanceFixture, collect, R, T0 } from './support.js';

export function describeCommitRecordStore(fx: ConformanceFixture): void {
  describe('commits', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    const bytes = (...xs: number[]) => new Uint8Array(xs);

    it('puts idempotently, gets exact bytes, finds by prefix, lists, deletes', async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const window = new Uint8Array(1024).fill(7).subarray(100, 104); // non-zero byteOffset
      await meta.putCommit(R, { id: 'abc1', generation: 1, createdAt: T0, data: all });
      await meta.putCommit(R, { id: 'abc1', generation: 9, createdAt: T0, data: bytes(0) });
      await meta.putCommit(R, { id: 'abd2', generation: 2, createdAt: T0, data: window });
      await meta.putCommit(R, {
        id: 'b000',
        generation: 3,
        createdAt: T0,
        data: bytes(0x00, 0xff, 0x00),
      });
      const got = await meta.getCommit(R, 'abc1');
      expect(got).toEqual({ id: 'abc1', generation: 1, createdAt: T0, data: all });
      expect(Array.from(got!.data)).toEqual(Array.from(all));
      expect(Array.from((await meta.getCommit(R, 'abd2'))!.data)).toEqual([7, 7, 7, 7]);
      expect(Array.from((await meta.getCommit(R, 'b000'))!.data)).toEqual([0x00, 0xff, 0x00]);
      expect(await meta.getCommit(R, 'nope')).toBeUndefined();
      expect(await meta.findCommitIds(R, 'ab', 10)).toEqual(['abc1', 'abd2']);
      expect(await meta.findCommitIds(R, 'ab', 1)).toEqual(['abc1']);
      expect(await meta.findCommitIds(R, 'a%', 10)).toEqual([]);
      expect(await meta.findCommitIds(R, '', 10)).toEqual(['abc1', 'abd2', 'b000']);
      await meta.deleteCommits(R, ['abc1', 'b000', 'missing']);
      expect((await collect(meta.listCommits(R))).map((c) => c.id)).toEqual(['abd2']);
    });

    it('lists many commits across pages', async () => {
      const ids = Array.from({ length: 450 }, (_, i) => `c${String(i).padStart(4, '0')}`);
      for (const id of ids) {
        await meta.putCommit(R, { id, generation: 1, createdAt: T0, data: bytes(1, 2, 3) });
      }
      const listed = await collect(meta.listCommits(R));
      expect(listed.map((c) => c.id)).toEqual(ids);
      expect(Array.from(listed[449]!.data)).toEqual([1, 2, 3]);
      await meta.deleteCommits(R, ids);
      expect(await collect(meta.listCommits(R))).toEqual([]);
    });
  });
}
