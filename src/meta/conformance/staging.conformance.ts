// StagingStore: staged rows by token and path, byte order, and no write lost to a racing seal.
import { beforeEach, describe, expect, it } from 'vitest';
import { BranchNotFoundError } from '../../common/errors.js';
import type { MetaStore } from '../meta-store.js';
import { byteSort, type ConformanceFixture, collect, put, R, value } from './support.js';

export function describeStagingStore(fx: ConformanceFixture): void {
  describe('staging', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const { branch } = fx;

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

    it('round-trips the optional entry fields (ETag, checksums, external location)', async () => {
      await branch('main');
      const extras = {
        ...value('v1'),
        etag: 'd41d8cd98f00b204e9800998ecf8427e-3',
        checksums: { crc32c: 'AAAAAA==', sha256: 'x' },
        external: { uri: 's3://lake/a b.csv', etag: '"abc"', mtimeMs: 1700000000123 },
        mtime: 1764800000000,
      };
      await meta.stage(R, 'main', [
        { path: 'p', value: extras },
        { path: 'q', value: { ...value('v2'), physical: 'pack:x:1', etag: 'e' } },
      ]);
      expect(await collect(meta.listStaged(R, ['tok-main']))).toEqual([
        { path: 'p', value: extras },
        { path: 'q', value: { ...value('v2'), physical: 'pack:x:1', etag: 'e' } },
      ]);
      expect((await meta.getStaged(R, ['tok-main'], 'p'))?.value).toEqual(extras);
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
      await expect(meta.stage(R, 'ghost', [put('a')])).rejects.toBeInstanceOf(BranchNotFoundError);
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
      expect(await collect(meta.listStaged(R, ['tok-main'], { prefix: 'big/0199' }))).toHaveLength(
        100,
      );
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
}
