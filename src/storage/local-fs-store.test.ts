import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_PREFIX } from './keys.js';
import { LocalFsStore } from './local-fs-store.js';
import { describeObjectStoreConformance } from './object-store.conformance.js';
import { openObjectStore } from './open-store.js';
import { canPutMany, putMany } from './put-many.js';

describeObjectStoreConformance('LocalFsStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-local-store-'));
  return {
    store: new LocalFsStore(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function listKeys(store: LocalFsStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  return keys;
}

describe('LocalFsStore', () => {
  let parent: string;
  let root: string;
  let store: LocalFsStore;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'sluice-local-store-'));
    root = join(parent, 'root');
    store = new LocalFsStore(root);
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('stores key a/b/c as the file <root>/a/b/c', async () => {
    await store.put('a/b/c', new Uint8Array([1, 2]));
    expect(Array.from(await readFile(join(root, 'a', 'b', 'c')))).toEqual([1, 2]);
    expect(store.uri).toBe(root);
  });

  it('leaves no temp files behind, after success or a failed stream', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.put(`t/${i % 5}/${i}`, randomBytes(10))),
    );
    await store.put('t/keep', new Uint8Array([7]));
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(store.put('t/keep', failing)).rejects.toThrow('source broke');
    await expect(
      store.put('t/fresh', Readable.from([Buffer.from('abc')]), { size: 99 }),
    ).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect(Array.from(await store.get('t/keep'))).toEqual([7]);
    expect(await store.head('t/fresh')).toBeUndefined();
    const files = await filesUnder(root);
    expect(files).toHaveLength(51);
    expect(files.filter((f) => f.includes(TEMP_PREFIX))).toEqual([]);
  });

  it('does not list stray temp files or other non-key names', async () => {
    await store.put('x/a', new Uint8Array([1]));
    await writeFile(join(root, 'x', `${TEMP_PREFIX}crashed`), 'junk');
    await writeFile(join(root, 'x', 'back\\slash'), 'junk');
    expect(await listKeys(store, '')).toEqual(['x/a']);
  });

  it('never touches anything outside its root', async () => {
    await writeFile(join(parent, 'x'), 'outside');
    for (const key of ['../x', 'a/../../x', '../root2/x', '/x', `${parent}/x`]) {
      await expect(store.put(key, new Uint8Array([1])), key).rejects.toMatchObject({
        code: 'InvalidArgumentError',
      });
      await expect(store.delete(key)).rejects.toMatchObject({ code: 'InvalidArgumentError' });
    }
    expect((await listKeys(store, '../')).length).toBe(0);
    expect((await listKeys(store, 'a/../../')).length).toBe(0);
    expect(await readFile(join(parent, 'x'), 'utf8')).toBe('outside');
    expect((await readdir(parent)).sort()).toEqual(['x']);
  });

  it('refuses a key that is also a prefix directory of other keys', async () => {
    await store.put('p', new Uint8Array([1]));
    await expect(store.put('p/q', new Uint8Array([2]))).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    await store.put('r/s', new Uint8Array([1]));
    await expect(store.put('r', new Uint8Array([2]))).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect(await store.head('r')).toBeUndefined();
    await expect(store.get('r')).rejects.toMatchObject({ code: 'ObjectNotFoundError' });
    await expect(store.getStream('r')).rejects.toMatchObject({ code: 'ObjectNotFoundError' });
    expect(await listKeys(store, '')).toEqual(['p', 'r/s']);
  });

  it('puts atomically: concurrent readers see one whole value, never a mix or a prefix', async () => {
    const a = Buffer.alloc(3 * 1024 * 1024, 0xaa);
    const b = Buffer.alloc(2 * 1024 * 1024, 0xbb);
    await store.put('big', a);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 20; i++) await store.put('big', i % 2 ? a : b);
      writing = false;
    })();
    const check = (got: Uint8Array) => {
      const whole =
        (got.length === a.length && a.equals(got)) || (got.length === b.length && b.equals(got));
      expect(whole).toBe(true);
    };
    let reads = 0;
    while (writing) {
      check(await store.get('big'));
      const chunks: Buffer[] = [];
      for await (const chunk of await store.getStream('big')) chunks.push(chunk);
      check(Buffer.concat(chunks));
      reads += 2;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('walks deep trees lazily in key order', async () => {
    const keys = ['m/0/0/a', 'm/0/1', 'm/0/1x/b', 'm/0-/c', 'm/1', 'm/1z'];
    await Promise.all(keys.map((k) => store.put(k, new Uint8Array([1]))));
    const it = store.list('m/')[Symbol.asyncIterator]();
    expect((await it.next()).value?.key).toBe('m/0-/c');
    await it.return?.();
    expect(await listKeys(store, 'm/')).toEqual([
      'm/0-/c',
      'm/0/0/a',
      'm/0/1',
      'm/0/1x/b',
      'm/1',
      'm/1z',
    ]);
  });

  it('putMany stores everything with or without fsync, and leaves no temp files', async () => {
    expect(canPutMany(store)).toBe(true);
    const items = Array.from({ length: 300 }, (_, i) => ({
      key: `pm/${i % 7}/${i}`,
      body: Buffer.from(String(i)),
    }));
    await putMany(store, items, { concurrency: 8 });
    const fast = new LocalFsStore(join(parent, 'nosync'), { fsync: false });
    await fast.putMany(items);
    for (const s of [store, fast]) {
      const listed = await listKeys(s, 'pm/');
      expect(listed).toHaveLength(300);
      expect(Buffer.from(await s.get('pm/3/10')).toString()).toBe('10');
    }
    expect((await filesUnder(parent)).filter((f) => f.includes(TEMP_PREFIX))).toEqual([]);
  });

  it('putMany stops at the first invalid key', async () => {
    const items = [
      { key: 'ok/1', body: new Uint8Array([1]) },
      { key: '../bad', body: new Uint8Array([1]) },
    ];
    await expect(store.putMany(items, { concurrency: 1 })).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect(await store.head('ok/1')).toBeDefined();
  });

  it('is what absolute paths and file:// URLs open; relative paths are refused', async () => {
    const byPath = await openObjectStore(root);
    const byUrl = await openObjectStore(pathToFileURL(root).href);
    for (const s of [byPath, byUrl]) {
      expect(s).toBeInstanceOf(LocalFsStore);
      expect(s.uri).toBe(root);
    }
    await expect(openObjectStore('relative/dir')).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect(() => new LocalFsStore('relative')).toThrow();
    await mkdir(root, { recursive: true });
  });
});
