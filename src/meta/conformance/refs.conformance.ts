// RefStore: branches (compare-and-swap on the version), tags, aliases (compare-and-swap).
import { beforeEach, describe, expect, it } from 'vitest';
import { RefAlreadyExistsError } from '../../common/errors.js';
import type { MetaStore } from '../meta-store.js';
import { byteSort, type ConformanceFixture, collect, R, T0 } from './support.js';

export function describeRefStore(fx: ConformanceFixture): void {
  describe('branches', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const { branch } = fx;

    it('creates at version 1, gets, rejects duplicates', async () => {
      const b = await meta.createBranch(R, {
        name: 'main',
        head: 'c0',
        stagingToken: 't',
        sealedTokens: ['s2', 's1'],
        createdAt: T0,
      });
      expect(b).toEqual({
        name: 'main',
        head: 'c0',
        stagingToken: 't',
        sealedTokens: ['s2', 's1'],
        version: 1,
        createdAt: T0,
      });
      expect(await meta.getBranch(R, 'main')).toEqual(b);
      expect(await meta.getBranch(R, 'missing')).toBeUndefined();
      const dup = branch('main');
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { name: 'main', kind: 'branch' } });
    });

    it('lists sorted in byte order, pages past the internal page size, honours options', async () => {
      const names = Array.from({ length: 2100 }, (_, i) => `b${String(i).padStart(4, '0')}`);
      names.push('B', 'b', 'b-x', 'b/x', 'b0');
      for (const n of names) await branch(n);
      const all = (await collect(meta.listBranches(R))).map((b) => b.name);
      expect(all).toEqual(byteSort(names));
      const after = (await collect(meta.listBranches(R, { after: 'b1000', limit: 3 }))).map(
        (b) => b.name,
      );
      expect(after).toEqual(['b1001', 'b1002', 'b1003']);
      const pre = (await collect(meta.listBranches(R, { prefix: 'b20' }))).map((b) => b.name);
      expect(pre).toEqual(names.filter((n) => n.startsWith('b20')));
      const both = await collect(meta.listBranches(R, { prefix: 'b20', after: 'b2095' }));
      expect(both.map((b) => b.name)).toEqual(['b2096', 'b2097', 'b2098', 'b2099']);
      expect(await collect(meta.listBranches(R, { limit: 0 }))).toEqual([]);
    });

    it('deletes, optionally only at an expected version', async () => {
      await branch('a');
      await branch('b');
      expect(await meta.deleteBranch(R, 'a', 7)).toBe(false);
      expect(await meta.getBranch(R, 'a')).toBeDefined();
      expect(await meta.deleteBranch(R, 'a', 1)).toBe(true);
      expect(await meta.deleteBranch(R, 'b')).toBe(true);
      expect(await meta.deleteBranch(R, 'b')).toBe(false);
      expect(await collect(meta.listBranches(R))).toEqual([]);
    });

    it('updateBranch is a compare-and-swap on the version', async () => {
      await branch('main');
      const v2 = await meta.updateBranch(R, 'main', 1, { head: 'c1' });
      expect(v2).toMatchObject({
        head: 'c1',
        stagingToken: 'tok-main',
        sealedTokens: [],
        version: 2,
      });
      expect(await meta.updateBranch(R, 'main', 1, { head: 'stale' })).toBeUndefined();
      const v3 = await meta.updateBranch(R, 'main', 2, {
        stagingToken: 'new',
        sealedTokens: ['tok-main', 'older'],
      });
      expect(v3).toEqual({
        name: 'main',
        head: 'c1',
        stagingToken: 'new',
        sealedTokens: ['tok-main', 'older'],
        version: 3,
        createdAt: T0,
      });
      expect(await meta.getBranch(R, 'main')).toEqual(v3);
      expect((await meta.updateBranch(R, 'main', 3, {}))?.version).toBe(4);
      expect(await meta.updateBranch(R, 'missing', 1, { head: 'x' })).toBeUndefined();
    });

    it('exactly one of many concurrent updates with the same expected version wins', async () => {
      await branch('main');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => meta.updateBranch(R, 'main', 1, { head: `c${i}` })),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(await meta.getBranch(R, 'main')).toMatchObject({
        version: 2,
        head: winners[0]?.head,
      });
    });
  });

  describe('tags', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    it('creates, rejects duplicates, gets, lists, deletes', async () => {
      for (const name of ['v2', 'v1', 'v1.1', 'w']) {
        await meta.createTag(R, { name, commitId: `c-${name}`, createdAt: T0 });
      }
      const dup = meta.createTag(R, { name: 'v1', commitId: 'x', createdAt: T0 });
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { name: 'v1', kind: 'tag' } });
      expect(await meta.getTag(R, 'v1')).toEqual({ name: 'v1', commitId: 'c-v1', createdAt: T0 });
      expect(await meta.getTag(R, 'nope')).toBeUndefined();
      expect((await collect(meta.listTags(R))).map((t) => t.name)).toEqual([
        'v1',
        'v1.1',
        'v2',
        'w',
      ]);
      expect(
        (await collect(meta.listTags(R, { prefix: 'v', after: 'v1' }))).map((t) => t.name),
      ).toEqual(['v1.1', 'v2']);
      expect(await meta.deleteTag(R, 'v1')).toBe(true);
      expect(await meta.deleteTag(R, 'v1')).toBe(false);
      expect(await meta.getTag(R, 'v1')).toBeUndefined();
    });
  });

  describe('aliases', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    it('sets with compare-and-swap semantics', async () => {
      const a1 = await meta.setAlias(R, 'prod', 'blue', null);
      expect(a1).toMatchObject({ name: 'prod', target: 'blue', version: 1 });
      expect(a1?.updatedAt).toBeInstanceOf(Date);
      expect(await meta.setAlias(R, 'prod', 'green', null)).toBeUndefined();
      expect(await meta.setAlias(R, 'prod', 'green', 2)).toBeUndefined();
      expect(await meta.setAlias(R, 'prod', 'green', 1)).toMatchObject({
        target: 'green',
        version: 2,
      });
      expect(await meta.setAlias(R, 'ghost', 'x', 1)).toBeUndefined();
      expect(await meta.getAlias(R, 'ghost')).toBeUndefined();
      expect(await meta.getAlias(R, 'prod')).toMatchObject({ target: 'green', version: 2 });
      const flips = await Promise.all(
        Array.from({ length: 10 }, (_, i) => meta.setAlias(R, 'prod', `t${i}`, 2)),
      );
      expect(flips.filter((f) => f !== undefined)).toHaveLength(1);
    });

    it('lists and deletes', async () => {
      for (const n of ['staging', 'prod', 'prod-eu']) await meta.setAlias(R, n, 'main', null);
      expect((await collect(meta.listAliases(R))).map((a) => a.name)).toEqual([
        'prod',
        'prod-eu',
        'staging',
      ]);
      expect((await collect(meta.listAliases(R, { prefix: 'prod' }))).map((a) => a.name)).toEqual([
        'prod',
        'prod-eu',
      ]);
      expect(await meta.deleteAlias(R, 'prod')).toBe(true);
      expect(await meta.deleteAlias(R, 'prod')).toBe(false);
      expect(await meta.setAlias(R, 'prod', 'again', null)).toMatchObject({ version: 1 });
    });
  });
}
