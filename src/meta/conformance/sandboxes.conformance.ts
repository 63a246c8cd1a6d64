// SandboxStore: sandbox records by name, byte order, never touching their branches.
import { beforeEach, describe, expect, it } from 'vitest';
import { RefAlreadyExistsError } from '../../common/errors.js';
import type { MetaStore, SandboxRecord } from '../meta-store.js';
import { byteSort, type ConformanceFixture, collect, R, T0 } from './support.js';

export function describeSandboxStore(fx: ConformanceFixture): void {
  describe('sandboxes', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const { branch } = fx;

    const sandbox = (name: string, extra: Partial<SandboxRecord> = {}): SandboxRecord => ({
      name,
      branch: `sandbox/${name}`,
      createdAt: T0,
      expiresAt: new Date(T0.getTime() + 7 * 86_400_000),
      owner: 'ana',
      fromRef: 'main',
      fromCommit: 'c0',
      private: false,
      ...extra,
    });

    it('creates, gets with every field, rejects a taken name and changes nothing', async () => {
      expect(await meta.getSandbox(R, 'feat-x')).toBeUndefined();
      await meta.createSandbox(R, sandbox('feat-x'));
      await meta.createSandbox(
        R,
        sandbox('forever', { expiresAt: null, fromRef: 'v1~2', fromCommit: 'c9', private: true }),
      );
      expect(await meta.getSandbox(R, 'feat-x')).toEqual(sandbox('feat-x'));
      expect(await meta.getSandbox(R, 'forever')).toEqual({
        name: 'forever',
        branch: 'sandbox/forever',
        createdAt: T0,
        expiresAt: null,
        owner: 'ana',
        fromRef: 'v1~2',
        fromCommit: 'c9',
        private: true,
      });
      const dup = meta.createSandbox(R, sandbox('feat-x', { owner: 'bob', expiresAt: null }));
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { name: 'feat-x', kind: 'sandbox' } });
      expect(await meta.getSandbox(R, 'feat-x')).toEqual(sandbox('feat-x'));
      // Names are per repository.
      await meta.createSandbox('repo2', sandbox('feat-x', { owner: 'bob' }));
      expect((await meta.getSandbox('repo2', 'feat-x'))?.owner).toBe('bob');
      expect((await meta.getSandbox(R, 'feat-x'))?.owner).toBe('ana');
    });

    it('lists in byte order with options, deletes the record only', async () => {
      const names = ['b', 'a-1', 'B', 'a', 'a_2', 'zz'];
      for (const n of names) await meta.createSandbox(R, sandbox(n));
      await branch('sandbox/a');
      const listed = async (opts?: { prefix?: string; after?: string; limit?: number }) =>
        (await collect(meta.listSandboxes(R, opts))).map((r) => r.name);
      expect(await listed()).toEqual(byteSort(names));
      expect(await listed({ prefix: 'a' })).toEqual(['a', 'a-1', 'a_2']);
      expect(await listed({ after: 'a-1', limit: 2 })).toEqual(['a_2', 'b']);
      expect(await collect(meta.listSandboxes('no-such-repo'))).toEqual([]);
      expect(await meta.deleteSandbox(R, 'a')).toBe(true);
      expect(await meta.deleteSandbox(R, 'a')).toBe(false);
      expect(await meta.getSandbox(R, 'a')).toBeUndefined();
      expect(await meta.getBranch(R, 'sandbox/a')).toBeDefined(); // the branch is the caller's
      expect(await listed({ prefix: 'a' })).toEqual(['a-1', 'a_2']);
      // A deleted name can be used again.
      await meta.createSandbox(R, sandbox('a', { owner: 'cy' }));
      expect((await meta.getSandbox(R, 'a'))?.owner).toBe('cy');
    });

    it('deleteRepository removes its sandboxes', async () => {
      await meta.createSandbox(R, sandbox('feat-x'));
      await meta.createRepository({
        name: 'repo2',
        storageUri: 's',
        defaultBranch: 'main',
        createdAt: T0,
      });
      await meta.createSandbox('repo2', sandbox('feat-x'));
      await meta.deleteRepository(R);
      expect(await meta.getSandbox(R, 'feat-x')).toBeUndefined();
      expect(await collect(meta.listSandboxes(R))).toEqual([]);
      expect(await meta.getSandbox('repo2', 'feat-x')).toBeDefined();
    });
  });
}
