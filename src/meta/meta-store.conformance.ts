// The MetaStore contract, run against every implementation (SQLite, PostgreSQL). Each test gets
// a fresh, empty store from `make`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BranchNotFoundError,
  InvalidArgumentError,
  RefAlreadyExistsError,
  RepositoryAlreadyExistsError,
} from '../common/errors.js';
import type {
  BranchRecord,
  EventInput,
  EventQuery,
  MetaStore,
  SandboxRecord,
  StagedChange,
  StagedValue,
} from './meta-store.js';

export interface ConformanceSubject {
  meta: MetaStore;
  cleanup(): Promise<void>;
}

const T0 = new Date('2024-05-01T12:34:56.789Z');
const R = 'repo1';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Byte order, computed independently of the implementation. */
function byteSort(paths: string[]): string[] {
  return [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function value(address: string, metadata: Record<string, string> = {}): StagedValue {
  return {
    address,
    size: address.length,
    checksum: `c-${address}`,
    contentType: 'text/plain',
    metadata,
  };
}

function put(path: string, address = `addr-${path}`): StagedChange {
  return { path, value: value(address) };
}

export function describeMetaStoreConformance(
  name: string,
  make: () => Promise<ConformanceSubject>,
): void {
  describe(`MetaStore conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    let meta: MetaStore;
    beforeEach(async () => {
      subject = await make();
      meta = subject.meta;
      await meta.createRepository({
        name: R,
        storageUri: 'mem://r1',
        defaultBranch: 'main',
        createdAt: T0,
      });
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const branch = (name: string, stagingToken = `tok-${name}`): Promise<BranchRecord> =>
      meta.createBranch(R, { name, head: 'c0', stagingToken, sealedTokens: [], createdAt: T0 });

    describe('repositories', () => {
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

    describe('branches', () => {
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

    describe('staging', () => {
      it('writes to the current token; the earliest token wins on reads', async () => {
        await branch('main', 't-old');
        await meta.stage(R, 'main', [
          put('a', 'old-a'),
          put('b', 'old-b'),
          { path: 'c', value: null },
        ]);
        await meta.updateBranch(R, 'main', 1, { stagingToken: 't-new', sealedTokens: ['t-old'] });
        await meta.stage(R, 'main', [{ path: 'a', value: null }, put('d', 'new-d')]);
        const tokens = ['t-new', 't-old'];
        expect(await meta.getStaged(R, tokens, 'a')).toEqual({ path: 'a', value: null });
        expect(await meta.getStaged(R, tokens, 'b')).toEqual({ path: 'b', value: value('old-b') });
        expect(await meta.getStaged(R, ['t-old', 't-new'], 'a')).toEqual(put('a', 'old-a'));
        expect(await meta.getStaged(R, tokens, 'zzz')).toBeUndefined();
        expect(await meta.getStaged(R, [], 'a')).toBeUndefined();
        expect(await collect(meta.listStaged(R, tokens))).toEqual([
          { path: 'a', value: null },
          put('b', 'old-b'),
          { path: 'c', value: null },
          put('d', 'new-d'),
        ]);
        expect(
          (await collect(meta.listStaged(R, ['t-old', 't-new']))).map(
            (c) => c.value?.address ?? null,
          ),
        ).toEqual(['old-a', 'old-b', null, 'new-d']);
        expect(await collect(meta.listStaged(R, tokens, { after: 'a', limit: 2 }))).toEqual([
          put('b', 'old-b'),
          { path: 'c', value: null },
        ]);
        expect(await collect(meta.listStaged(R, []))).toEqual([]);
      });

      it('overwrites a path within a token and round-trips metadata', async () => {
        await branch('main');
        const meta1 = { 'x-owner': 'ada', empty: '', unicode: 'ünï €😀', quote: `"'\\` };
        await meta.stage(R, 'main', [{ path: 'p', value: value('v1', { a: '1' }) }]);
        await meta.stage(R, 'main', [
          { path: 'p', value: { ...value('v2', meta1), size: 5_000_000_000 } },
          { path: 'q', value: value('first') },
          { path: 'q', value: value('last') }, // later duplicate in one call wins
        ]);
        expect(await collect(meta.listStaged(R, ['tok-main']))).toEqual([
          { path: 'p', value: { ...value('v2', meta1), size: 5_000_000_000 } },
          put('q', 'last'),
        ]);
      });

      it('round-trips the physical location of packed entries', async () => {
        await branch('main');
        const packed = { ...value('p1'), physical: 'pack:abc:1024' };
        await meta.stage(R, 'main', [{ path: 'packed', value: packed }, put('plain')]);
        expect(await meta.getStaged(R, ['tok-main'], 'packed')).toEqual({
          path: 'packed',
          value: packed,
        });
        const plain = await meta.getStaged(R, ['tok-main'], 'plain');
        expect(plain?.value && 'physical' in plain.value).toBe(false);
        await meta.stage(R, 'main', [put('packed', 'unpacked')]); // an overwrite clears it
        expect(await collect(meta.listStaged(R, ['tok-main']))).toEqual([
          put('packed', 'unpacked'),
          put('plain'),
        ]);
        expect((await meta.getStaged(R, ['tok-main'], 'packed'))?.value).not.toHaveProperty(
          'physical',
        );
      });

      it('sorts paths in byte order and treats % and _ in prefixes literally', async () => {
        await branch('main');
        const paths = [
          'a/b',
          'a-b',
          'a0',
          'a',
          'A',
          'B/x',
          'ab',
          'a b',
          'é',
          'e\u0301',
          'z',
          '\u{1F600}',
          '\uFFFD',
          '\uE000',
          'a%b/1',
          'a%c',
          'a_b/1',
          'axb/1',
          'a\\b',
          'dir/\u{10FFFF}',
          'dir/\u{10FFFF}x',
          'dir0',
        ];
        await meta.stage(
          R,
          'main',
          paths.map((p) => put(p)),
        );
        const listed = (await collect(meta.listStaged(R, ['tok-main']))).map((c) => c.path);
        expect(listed).toEqual(byteSort(paths));
        const under = async (prefix: string) =>
          (await collect(meta.listStaged(R, ['tok-main'], { prefix }))).map((c) => c.path);
        expect(await under('a%')).toEqual(['a%b/1', 'a%c']);
        expect(await under('a_')).toEqual(['a_b/1']);
        expect(await under('a/')).toEqual(['a/b']);
        expect(await under('dir/')).toEqual(['dir/\u{10FFFF}', 'dir/\u{10FFFF}x']);
        expect(await under('\u{1F600}')).toEqual(['\u{1F600}']);
        expect(await under('')).toEqual(byteSort(paths));
      });

      it('rejects a missing branch and writes nothing', async () => {
        await expect(meta.stage(R, 'ghost', [put('a')])).rejects.toBeInstanceOf(
          BranchNotFoundError,
        );
        await expect(meta.stage(R, 'ghost', [put('a')])).rejects.toMatchObject({
          data: { branch: 'ghost' },
        });
        expect(await meta.listStagingTokens(R)).toEqual([]);
      });

      it('stages 20,000 rows in one call', async () => {
        await branch('main');
        const changes = Array.from({ length: 20_000 }, (_, i) =>
          put(`big/${String(i).padStart(6, '0')}`),
        );
        await meta.stage(R, 'main', changes);
        const listed = await collect(meta.listStaged(R, ['tok-main']));
        expect(listed).toHaveLength(20_000);
        expect(listed[12_345]).toEqual(changes[12_345]);
        expect(
          await collect(meta.listStaged(R, ['tok-main'], { prefix: 'big/0199' })),
        ).toHaveLength(100);
      });

      it('clears by token, prefix or exact paths, and lists tokens with rows', async () => {
        await branch('main', 't1');
        await meta.stage(
          R,
          'main',
          ['x/1', 'x/2', 'x%', 'y/1', 'y/2'].map((p) => put(p)),
        );
        await meta.updateBranch(R, 'main', 1, { stagingToken: 't2', sealedTokens: ['t1'] });
        await meta.stage(
          R,
          'main',
          ['x/1', 'z'].map((p) => put(p)),
        );
        await branch('other', 't3');
        await meta.stage(R, 'other', [put('x/9')]);
        expect(await meta.listStagingTokens(R)).toEqual(['t1', 't2', 't3']);
        expect(await meta.clearStaging(R, ['t1', 't2'], { prefix: 'x/' })).toBe(3);
        expect(await meta.clearStaging(R, ['t1'], { paths: ['y/1', 'nope', 'z'] })).toBe(1);
        expect(await meta.clearStaging(R, ['t1'], { paths: [] })).toBe(0);
        expect((await collect(meta.listStaged(R, ['t2', 't1']))).map((c) => c.path)).toEqual([
          'x%',
          'y/2',
          'z',
        ]);
        expect(await meta.clearStaging(R, ['t1'])).toBe(2);
        expect(await meta.listStagingTokens(R)).toEqual(['t2', 't3']);
        expect(await meta.clearStaging(R, [])).toBe(0);
      });

      it('never loses a write that races with a seal', async () => {
        await branch('main', 'gen0');
        const batch = 300;
        for (let round = 0; round < 15; round++) {
          const paths = Array.from({ length: batch }, (_, i) => `r${round}/${i}`);
          const old = `gen${round}`;
          let oldAtSeal = -1;
          const seal = async () => {
            await new Promise((r) => setTimeout(r, round % 4)); // vary the interleaving
            const b = (await meta.getBranch(R, 'main'))!;
            const next = `gen${round + 1}`;
            expect(
              await meta.updateBranch(R, 'main', b.version, {
                stagingToken: next,
                sealedTokens: [old],
              }),
            ).toBeDefined();
            // What a commit would read from the sealed token right after sealing.
            oldAtSeal = (await collect(meta.listStaged(R, [old], { prefix: `r${round}/` }))).length;
          };
          await Promise.all([
            meta.stage(
              R,
              'main',
              paths.map((p) => put(p)),
            ),
            seal(),
          ]);
          const inOld = (await collect(meta.listStaged(R, [old], { prefix: `r${round}/` }))).length;
          const inNew = (
            await collect(meta.listStaged(R, [`gen${round + 1}`], { prefix: `r${round}/` }))
          ).length;
          // All or nothing, in exactly one token, and nothing lands in a token once sealed.
          expect([inOld, inNew].sort()).toEqual([0, batch]);
          expect(oldAtSeal).toBe(inOld);
        }
      });
    });

    describe('commits', () => {
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

    describe('tags', () => {
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
        expect((await collect(meta.listAliases(R, { prefix: 'prod' }))).map((a) => a.name)).toEqual(
          ['prod', 'prod-eu'],
        );
        expect(await meta.deleteAlias(R, 'prod')).toBe(true);
        expect(await meta.deleteAlias(R, 'prod')).toBe(false);
        expect(await meta.setAlias(R, 'prod', 'again', null)).toMatchObject({ version: 1 });
      });
    });

    describe('quality history', () => {
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

    describe('event log', () => {
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

    describe('sandboxes', () => {
      const sandbox = (name: string, extra: Partial<SandboxRecord> = {}): SandboxRecord => ({
        name,
        branch: `sandbox/${name}`,
        createdAt: T0,
        expiresAt: new Date(T0.getTime() + 7 * 86_400_000),
        owner: 'ana',
        fromRef: 'main',
        fromCommit: 'c0',
        ...extra,
      });

      it('creates, gets with every field, rejects a taken name and changes nothing', async () => {
        expect(await meta.getSandbox(R, 'feat-x')).toBeUndefined();
        await meta.createSandbox(R, sandbox('feat-x'));
        await meta.createSandbox(
          R,
          sandbox('forever', { expiresAt: null, fromRef: 'v1~2', fromCommit: 'c9' }),
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
  });
}
