// The one behavioural contract every ObjectStore must meet; each implementation's test file runs
// it (lakeFS blocktest style). Each test gets a fresh, empty store from `makeStore`.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ObjectNotFoundError } from '../common/errors.js';
import { compareKeys, TEMP_PREFIX } from './keys.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';
import { putLocalFile } from './put-file.js';
import { putMany } from './put-many.js';

export interface ConformanceFixture {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function collect(it: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of it) out.push(info);
  return out;
}

async function keys(store: ObjectStore, prefix: string, after?: string): Promise<string[]> {
  return (await collect(store.list(prefix, { after }))).map((i) => i.key);
}

async function readStream(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Compares by length and hash so a mismatch in a 5 MB object prints a short message. */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(sha(actual)).toBe(sha(expected));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** Behaviours a test double is known to get wrong; the matching tests are skipped, visibly. */
export type KnownGap =
  /** s3rver lists `a/b` before `a-c`: it walks directories instead of comparing whole keys. */
  'list-order-across-slash';

export function describeObjectStoreConformance(
  name: string,
  makeStore: () => Promise<ConformanceFixture>,
  opts: { knownGaps?: KnownGap[] } = {},
): void {
  const gap = (g: KnownGap) => opts.knownGaps?.includes(g) ?? false;
  describe(`ObjectStore conformance: ${name}`, () => {
    let fixture: ConformanceFixture;
    let store: ObjectStore;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('put and get', () => {
      it('round-trips bytes, and stored bytes do not alias the caller’s', async () => {
        const body = text('hello, world');
        await store.put('greeting', body);
        body[0] = 0;
        const got = await store.get('greeting');
        expect(Buffer.from(got).toString()).toBe('hello, world');
        got[0] = 0;
        expect(Buffer.from(await store.get('greeting')).toString()).toBe('hello, world');
      });

      it('round-trips through streams, with and without a size', async () => {
        const parts = [text('alpha '), text('beta '), text('gamma')];
        await store.put('s/sized', Readable.from(parts), { size: 16 });
        await store.put('s/unsized', Readable.from(parts));
        for (const key of ['s/sized', 's/unsized']) {
          expect(Buffer.from(await store.get(key)).toString()).toBe('alpha beta gamma');
          expect(Buffer.from(await readStream(await store.getStream(key))).toString()).toBe(
            'alpha beta gamma',
          );
        }
      });

      it('stores an empty object', async () => {
        await store.put('empty', new Uint8Array(0));
        expect((await store.get('empty')).length).toBe(0);
        expect((await readStream(await store.getStream('empty'))).length).toBe(0);
        expect((await store.head('empty'))?.size).toBe(0);
      });

      it('stores a 5 MB object from bytes and from a stream', async () => {
        const big = randomBytes(5 * 1024 * 1024);
        await store.put('big/bytes', big);
        expectBytes(await store.get('big/bytes'), big);
        expectBytes(await readStream(await store.getStream('big/bytes')), big);
        const chunks = Array.from({ length: 5 }, (_, i) => big.subarray(i << 20, (i + 1) << 20));
        await store.put('big/stream', Readable.from(chunks), { size: big.length });
        expectBytes(await store.get('big/stream'), big);
        expect((await store.head('big/stream'))?.size).toBe(big.length);
      });

      it('overwrites: the new value replaces the old one entirely', async () => {
        await store.put('k', text('a much longer first value'));
        await store.put('k', text('short'));
        expect(Buffer.from(await store.get('k')).toString()).toBe('short');
        expect((await store.head('k'))?.size).toBe(5);
        expect(await keys(store, '')).toEqual(['k']);
      });

      it('leaves one whole value when puts of the same key race', async () => {
        const values = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
        await Promise.all(values.map((v) => store.put('race', v)));
        const got = sha(await store.get('race'));
        expect(values.map(sha)).toContain(got);
      });

      it('moves a local file in with putFile (the file is gone after), replacing a value', async () => {
        const spool = mkdtempSync(join(tmpdir(), 'sluice-putfile-'));
        try {
          const bytes = randomBytes(300_000);
          const file = join(spool, 'body');
          writeFileSync(file, bytes);
          await store.put('tmp/f', Buffer.from('old'));
          await putLocalFile(store, 'tmp/f', file);
          expect(sha(await store.get('tmp/f'))).toBe(sha(bytes));
          expect(existsSync(file)).toBe(false);
          await expect(putLocalFile(store, 'tmp/g', join(spool, 'missing'))).rejects.toThrow();
          expect(await store.head('tmp/g')).toBeUndefined();
        } finally {
          rmSync(spool, { recursive: true, force: true });
        }
      });

      it('throws ObjectNotFoundError for a missing key', async () => {
        for (const key of ['missing', 'no/such/dir/key']) {
          const err = await store.get(key).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ObjectNotFoundError);
          expect(err).toMatchObject({ code: 'ObjectNotFoundError', data: { key } });
          await expectCode(store.getStream(key), 'ObjectNotFoundError');
          await expectCode(store.get(key, { range: { start: 0, end: 3 } }), 'ObjectNotFoundError');
        }
      });

      it('keeps keys with spaces and unicode intact', async () => {
        const names = [
          'uni/a b',
          'uni/é',
          'uni/日本語/ファイル',
          'uni/😀',
          'uni/\uFB00',
          'uni/a+b',
        ];
        for (const key of names) await store.put(key, text(key));
        for (const key of names) expect(Buffer.from(await store.get(key)).toString()).toBe(key);
        // UTF-8 byte order: U+FB00 sorts before U+1F600 (UTF-16 code units would say otherwise).
        expect(await keys(store, 'uni/')).toEqual([...names].sort(compareKeys));
      });
    });

    describe('byte ranges', () => {
      const body = Uint8Array.from({ length: 100 }, (_, i) => i);
      const slice = (a: number, b: number) => Array.from(body.subarray(a, b));
      beforeEach(async () => {
        await store.put('r', body);
      });

      it('reads from a start to the end', async () => {
        expect(Array.from(await store.get('r', { range: { start: 90 } }))).toEqual(slice(90, 100));
      });

      it('reads an inclusive start..end range', async () => {
        expect(Array.from(await store.get('r', { range: { start: 10, end: 19 } }))).toEqual(
          slice(10, 20),
        );
        expect(Array.from(await store.get('r', { range: { start: 0, end: 0 } }))).toEqual([0]);
      });

      it('clips an end past the size, and returns nothing from a start past it', async () => {
        expect(Array.from(await store.get('r', { range: { start: 95, end: 1000 } }))).toEqual(
          slice(95, 100),
        );
        expect((await store.get('r', { range: { start: 100 } })).length).toBe(0);
        expect((await store.get('r', { range: { start: 500, end: 600 } })).length).toBe(0);
        expect(
          (await readStream(await store.getStream('r', { range: { start: 200 } }))).length,
        ).toBe(0);
      });

      it('streams a range', async () => {
        const got = await readStream(await store.getStream('r', { range: { start: 50, end: 59 } }));
        expect(Array.from(got)).toEqual(slice(50, 60));
      });

      it('refuses a negative start or an end before the start', async () => {
        await expectCode(store.get('r', { range: { start: -1 } }), 'InvalidArgumentError');
        await expectCode(store.get('r', { range: { start: 5, end: 4 } }), 'InvalidArgumentError');
      });
    });

    describe('head and delete', () => {
      it('reports size and modification time', async () => {
        const before = Date.now();
        await store.put('h/obj', text('12345'));
        const info = await store.head('h/obj');
        expect(info?.key).toBe('h/obj');
        expect(info?.size).toBe(5);
        // S3 keeps whole seconds.
        const t = info?.lastModified.getTime() ?? 0;
        expect(t).toBeGreaterThanOrEqual(before - 2000);
        expect(t).toBeLessThanOrEqual(Date.now() + 2000);
      });

      it('returns undefined for a missing key', async () => {
        expect(await store.head('h/missing')).toBeUndefined();
      });

      it('deletes, and deleting again or a missing key is not an error', async () => {
        await store.put('d/x', text('x'));
        await store.delete('d/x');
        expect(await store.head('d/x')).toBeUndefined();
        await expectCode(store.get('d/x'), 'ObjectNotFoundError');
        await store.delete('d/x');
        await store.delete('never/was');
        expect(await keys(store, '')).toEqual([]);
      });
    });

    describe('list', () => {
      const all = ['a', 'b/1', 'b/10', 'b/2', 'ba', 'c/d/e', 'c/d/f', 'c/x', 'd.txt'];
      beforeEach(async () => {
        for (const key of [...all].reverse()) await store.put(key, text(key));
      });

      it('lists every key in ascending byte order with sizes', async () => {
        const infos = await collect(store.list(''));
        expect(infos.map((i) => i.key)).toEqual(all);
        for (const info of infos) {
          expect(info.size).toBe(info.key.length);
          expect(info.lastModified).toBeInstanceOf(Date);
        }
      });

      it('filters by prefix, whether or not it ends at a "/"', async () => {
        expect(await keys(store, 'b/')).toEqual(['b/1', 'b/10', 'b/2']);
        expect(await keys(store, 'b')).toEqual(['b/1', 'b/10', 'b/2', 'ba']);
        expect(await keys(store, 'b/1')).toEqual(['b/1', 'b/10']);
        expect(await keys(store, 'c/d')).toEqual(['c/d/e', 'c/d/f']);
        expect(await keys(store, 'c/d/e')).toEqual(['c/d/e']);
        expect(await keys(store, 'zz')).toEqual([]);
        expect(await keys(store, 'no/such/')).toEqual([]);
      });

      it('starts after `after`, which need not be a stored key', async () => {
        expect(await keys(store, '', 'b/10')).toEqual([
          'b/2',
          'ba',
          'c/d/e',
          'c/d/f',
          'c/x',
          'd.txt',
        ]);
        expect(await keys(store, '', 'b/')).toEqual(all.slice(1));
        expect(await keys(store, '', 'c/d/e')).toEqual(['c/d/f', 'c/x', 'd.txt']);
        expect(await keys(store, 'c/', 'c/d/zzz')).toEqual(['c/x']);
        expect(await keys(store, 'b/', 'a')).toEqual(['b/1', 'b/10', 'b/2']);
        expect(await keys(store, '', 'z')).toEqual([]);
      });

      // '-' (0x2d) sorts before '/' (0x2f): stores built on directories must still order like S3.
      it.skipIf(gap('list-order-across-slash'))('orders whole keys, not directories', async () => {
        await store.put('b-c', text('b-c'));
        await store.put('b/0-/x', text('x'));
        await store.put('b/0/y', text('y'));
        const expected = ['a', 'b-c', 'b/0-/x', 'b/0/y', ...all.slice(1)];
        expect(await keys(store, '')).toEqual(expected);
        expect(await keys(store, 'b')).toEqual(expected.slice(1, 8));
        expect(await keys(store, '', 'b-c')).toEqual(expected.slice(2));
        expect(await keys(store, 'b/', 'b/0-/x')).toEqual(expected.slice(3, 7));
      });

      it('does not list deleted keys', async () => {
        await store.delete('c/d/e');
        await store.delete('c/d/f');
        expect(await keys(store, 'c/')).toEqual(['c/x']);
      });
    });

    it('lists 1,500 keys in order across pages', async () => {
      const many = Array.from({ length: 1500 }, (_, i) => `many/${(i * 7919) % 1500}`);
      await putMany(
        store,
        many.map((key) => ({ key, body: text(key) })),
        { concurrency: 16 },
      );
      const sorted = [...many].sort(compareKeys);
      expect(await keys(store, 'many/')).toEqual(sorted);
      expect(await keys(store, 'many/', sorted[1099])).toEqual(sorted.slice(1100));
    });

    it('refuses invalid keys', async () => {
      const bad = ['', '../x', 'a/../../x', '/abs', 'a//b', 'a/', './a', 'a/./b', 'a\\b', 'a\0b'];
      bad.push(`a/${TEMP_PREFIX}x`);
      for (const key of bad) {
        const err = await store.put(key, text('x')).catch((e: unknown) => e);
        expect(err, JSON.stringify(key)).toBeInstanceOf(InvalidArgumentError);
        await expectCode(store.get(key), 'InvalidArgumentError');
        await expectCode(store.head(key), 'InvalidArgumentError');
        await expectCode(store.delete(key), 'InvalidArgumentError');
      }
      expect(await keys(store, '')).toEqual([]);
    });

    it('rejects operations whose signal is already aborted, changing nothing', async () => {
      await store.put('ab/k', text('old'));
      const signal = AbortSignal.abort();
      await expect(store.put('ab/k', text('new'), { signal })).rejects.toMatchObject({
        name: 'AbortError',
      });
      await expect(store.put('ab/new', text('new'), { signal })).rejects.toThrow();
      await expect(store.get('ab/k', { signal })).rejects.toThrow();
      expect(Buffer.from(await store.get('ab/k')).toString()).toBe('old');
      expect(await keys(store, 'ab/')).toEqual(['ab/k']);
    });
  });
}
