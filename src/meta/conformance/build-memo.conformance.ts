// BuildMemoStore: one memo record per fingerprint, per repository.
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetaStore } from '../meta-store.js';
import { type ConformanceFixture, R } from './support.js';

export function describeBuildMemoStore(fx: ConformanceFixture): void {
  describe('build memo', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    it('keeps one memo record per fingerprint (replaced when stored again), per repository', async () => {
      const t = new Date(1_700_000_000_000);
      expect(await meta.getMemo(R, 'f1')).toBeUndefined();
      await meta.putMemo(R, { fingerprint: 'f1', createdAt: t, data: '{"v":1}' });
      await meta.putMemo(R, { fingerprint: 'f2', createdAt: t, data: '{"v":2}' });
      await meta.putMemo(R, { fingerprint: 'f1', createdAt: t, data: '{"v":3}' });
      expect(await meta.getMemo(R, 'f1')).toEqual({
        fingerprint: 'f1',
        createdAt: t,
        data: '{"v":3}',
      });
      expect((await meta.getMemo(R, 'f2'))?.data).toBe('{"v":2}');
      expect(await meta.getMemo('another-repo', 'f1')).toBeUndefined();
    });
  });
}
