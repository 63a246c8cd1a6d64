// BranchMoveStore: a branch's compare-and-swap together with the staged rows it commits and the
// idempotency key it records — all of it or none, and one key applied once however many race.
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyRecord, MetaStore } from '../meta-store.js';
import { type ConformanceFixture, collect, put, R, T0 } from './support.js';

export function describeBranchMoveStore(fx: ConformanceFixture): void {
  describe('branch moves', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const { branch } = fx;

    const key = (k: string, extra: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
      key: k,
      request: 'ingest orders append into main',
      branch: 'main',
      commitId: 'c1',
      createdAt: T0,
      data: '{"rows":3}',
      ...extra,
    });

    it('moves at the expected version only, like updateBranch', async () => {
      await branch('main');
      const res = await meta.moveBranch(R, 'main', 1, { patch: { head: 'c1' } });
      expect(res.moved).toMatchObject({ name: 'main', head: 'c1', version: 2 });
      expect(res.taken).toBeUndefined();
      expect(await meta.moveBranch(R, 'main', 1, { patch: { head: 'c2' } })).toEqual({});
      expect(await meta.getBranch(R, 'main')).toMatchObject({ head: 'c1', version: 2 });
      expect(await meta.moveBranch(R, 'nope', 1, { patch: { head: 'c2' } })).toEqual({});
    });

    it('drops the committed rows: sealed ones, and current ones still holding the value', async () => {
      await branch('main', 't-old');
      await meta.stage(R, 'main', [put('a', 'a1'), put('b', 'b1'), put('keep', 'k1')]);
      await meta.updateBranch(R, 'main', 1, { stagingToken: 't-cur', sealedTokens: ['t-old'] });
      // Staged after the commit read them: `b` changed (stays), `c` the same (goes).
      await meta.stage(R, 'main', [put('b', 'b2'), put('c', 'c1'), { path: 'd', value: null }]);
      const committed = [
        put('a', 'a1'),
        put('b', 'b1'),
        put('c', 'c1'),
        { path: 'd', value: null },
      ];
      // A stale version drops nothing.
      expect(await meta.moveBranch(R, 'main', 1, { patch: { head: 'c1' }, committed })).toEqual({});
      expect(await collect(meta.listStaged(R, ['t-cur', 't-old']))).toHaveLength(5);
      const res = await meta.moveBranch(R, 'main', 2, { patch: { head: 'c1' }, committed });
      expect(res.moved?.head).toBe('c1');
      expect(await collect(meta.listStaged(R, ['t-cur']))).toEqual([put('b', 'b2')]);
      expect(await collect(meta.listStaged(R, ['t-old']))).toEqual([put('keep', 'k1')]);
    });

    it('records the key with the move; a taken key changes nothing and returns its record', async () => {
      await branch('main');
      await meta.stage(R, 'main', [put('a', 'a1')]);
      expect(await meta.getIdempotencyKey(R, 'k1')).toBeUndefined();
      const first = await meta.moveBranch(R, 'main', 1, {
        patch: { head: 'c1' },
        idempotency: key('k1'),
      });
      expect(first.moved?.head).toBe('c1');
      expect(await meta.getIdempotencyKey(R, 'k1')).toEqual(key('k1'));
      const again = await meta.moveBranch(R, 'main', 2, {
        patch: { head: 'c2' },
        committed: [put('a', 'a1')],
        idempotency: key('k1', { commitId: 'c2', data: '{}' }),
      });
      expect(again).toEqual({ taken: key('k1') });
      expect(await meta.getBranch(R, 'main')).toMatchObject({ head: 'c1', version: 2 });
      expect(await collect(meta.listStaged(R, ['tok-main']))).toEqual([put('a', 'a1')]);
      // Keys are per repository.
      expect(await meta.getIdempotencyKey('repo2', 'k1')).toBeUndefined();
    });

    it('a move that loses its compare-and-swap records no key', async () => {
      await branch('main');
      expect(
        await meta.moveBranch(R, 'main', 7, { patch: { head: 'c1' }, idempotency: key('k2') }),
      ).toEqual({});
      expect(await meta.getIdempotencyKey(R, 'k2')).toBeUndefined();
    });

    it('of moves racing with one key, exactly one applies', async () => {
      const names = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'];
      for (const n of names) await branch(n);
      const results = await Promise.all(
        names.map((n) =>
          meta.moveBranch(R, n, 1, {
            patch: { head: `c-${n}` },
            idempotency: key('race', { branch: n, commitId: `c-${n}` }),
          }),
        ),
      );
      const moved = results.filter((r) => r.moved);
      expect(moved).toHaveLength(1);
      const winner = moved[0]?.moved?.name as string;
      for (const r of results) if (!r.moved) expect(r.taken?.branch).toBe(winner);
      for (const n of names)
        expect((await meta.getBranch(R, n))?.head).toBe(n === winner ? `c-${n}` : 'c0');
      expect((await meta.getIdempotencyKey(R, 'race'))?.commitId).toBe(`c-${winner}`);
    });

    it('deleteRepository removes its keys', async () => {
      await branch('main');
      await meta.moveBranch(R, 'main', 1, { patch: { head: 'c1' }, idempotency: key('k3') });
      await meta.deleteRepository(R);
      expect(await meta.getIdempotencyKey(R, 'k3')).toBeUndefined();
    });
  });
}
