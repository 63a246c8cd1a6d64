// Repositories: create, get, list and delete (with everything in them), isolated from each other.
import { beforeEach, describe, expect, it } from 'vitest';
import { RepositoryAlreadyExistsError } from '../../common/errors.js';
import type { MetaStore } from '../meta-store.js';
import { type ConformanceFixture, collect, put, R, T0 } from './support.js';

export function describeRepositories(fx: ConformanceFixture): void {
  describe('repositories', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const { branch } = fx;

    it('creates, gets, lists sorted, rejects duplicates', async () => {
      await meta.migrate(); // idempotent
      expect(await meta.getRepository(R)).toEqual({
        name: R,
        storageUri: 'mem://r1',
        defaultBranch: 'main',
        createdAt: T0,
      });
      expect(await meta.getRepository('nope')).toBeUndefined();
      await meta.createRepository({
        name: 'a-repo',
        storageUri: 's',
        defaultBranch: 'dev',
        createdAt: T0,
      });
      expect((await meta.listRepositories()).map((r) => r.name)).toEqual(['a-repo', R]);
      const dup = meta.createRepository({
        name: R,
        storageUri: 'x',
        defaultBranch: 'x',
        createdAt: T0,
      });
      await expect(dup).rejects.toBeInstanceOf(RepositoryAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { repository: R } });
    });

    it('delete removes the repository and everything in it', async () => {
      await branch('main');
      await meta.stage(R, 'main', [put('x')]);
      await meta.putCommit(R, {
        id: 'c1',
        generation: 1,
        createdAt: T0,
        data: new Uint8Array([1]),
      });
      await meta.createTag(R, { name: 'v1', commitId: 'c1', createdAt: T0 });
      await meta.setAlias(R, 'prod', 'main', null);
      await meta.deleteRepository(R);
      expect(await meta.getRepository(R)).toBeUndefined();
      expect(await meta.getBranch(R, 'main')).toBeUndefined();
      expect(await meta.listStagingTokens(R)).toEqual([]);
      expect(await meta.getCommit(R, 'c1')).toBeUndefined();
      expect(await meta.getTag(R, 'v1')).toBeUndefined();
      expect(await meta.getAlias(R, 'prod')).toBeUndefined();
    });

    it('isolates repositories with the same ref names', async () => {
      await meta.createRepository({
        name: 'repo2',
        storageUri: 's',
        defaultBranch: 'main',
        createdAt: T0,
      });
      await branch('main', 'shared-token');
      await meta.createBranch('repo2', {
        name: 'main',
        head: 'other',
        stagingToken: 'shared-token',
        sealedTokens: [],
        createdAt: T0,
      });
      await meta.stage(R, 'main', [put('a')]);
      await meta.stage('repo2', 'main', [put('b')]);
      expect((await meta.getBranch('repo2', 'main'))?.head).toBe('other');
      expect((await collect(meta.listStaged(R, ['shared-token']))).map((c) => c.path)).toEqual([
        'a',
      ]);
      expect(
        (await collect(meta.listStaged('repo2', ['shared-token']))).map((c) => c.path),
      ).toEqual(['b']);
      await meta.putCommit('repo2', {
        id: 'c',
        generation: 1,
        createdAt: T0,
        data: new Uint8Array(),
      });
      expect(await meta.getCommit(R, 'c')).toBeUndefined();
      await meta.deleteRepository('repo2');
      expect(await meta.getBranch(R, 'main')).toBeDefined();
      expect(await meta.listStagingTokens(R)).toEqual(['shared-token']);
    });
  });
}
