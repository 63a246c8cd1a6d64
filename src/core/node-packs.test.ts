// Node packs: new tree nodes are stored in packs, parents record where each child is, roots are
// loose. These tests pin what must hold around that: reads across packs, GC of the packs no tree
// reaches (and never of one a rewritten root points into), and damage caught by reads and fsck.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectAddress, RepoPath } from '../common/ids.js';
import type { MetaStore } from '../meta/meta-store.js';
import { openSqliteMetaStore } from '../meta/sqlite-meta-store.js';
import { MemoryStore } from '../storage/memory-store.js';
import type { TreeEntry } from './entry.js';
import { type ChildRef, decodeNode, encodeNode } from './node-codec.js';
import { NodeStore } from './node-store.js';
import { Repository } from './repository.js';
import { buildTree } from './tree-builder.js';
import { lookup, scan } from './tree-reader.js';

const enc = (s: string) => Buffer.from(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const keys = async (store: MemoryStore, prefix: string) =>
  (await all(store.list(prefix))).map((o) => o.key).sort();

function entry(i: number): TreeEntry {
  return {
    path: `t/${String(i).padStart(6, '0')}` as RepoPath,
    address: `${(i % 251).toString(16).padStart(2, '0')}${'0'.repeat(62)}` as ObjectAddress,
    size: i,
    checksum: 'c'.repeat(64),
    contentType: 'text/csv',
    metadata: {},
  };
}

describe('node packs (NodeStore)', () => {
  it('a build spread over many small packs reads back through a fresh store, across packs', async () => {
    const store = new MemoryStore();
    const nodes = new NodeStore(store, { packTargetSize: 8 * 1024 });
    const entries = Array.from({ length: 5_000 }, (_, i) => entry(i));
    const built = await buildTree(nodes, entries);
    const packs = await keys(store, 'packs/');
    expect(packs.length).toBeGreaterThan(10);
    expect(await keys(store, 'ranges/')).toEqual([
      `ranges/${built.root.slice(0, 2)}/${built.root}`,
    ]);

    const fresh = new NodeStore(store);
    const root = await fresh.get({ id: built.root });
    expect(root.kind).toBe('index');
    // Parents name children in other packs than their own.
    const children = root.kind === 'index' ? root.children : [];
    expect(new Set(children.map((c) => c.at?.pack)).size).toBeGreaterThan(1);
    expect((await all(scan(fresh, built.root))).map((e) => e.path)).toEqual(
      entries.map((e) => e.path),
    );
    expect(await lookup(fresh, built.root, 't/004321')).toEqual(entry(4321));
    expect(fresh.stats.written).toBe(0);
    expect(fresh.stats.read).toBe(nodes.stats.written);
  });

  it('stores the packs before the loose root that points into them', async () => {
    // Another process may already read this root id (the same tree built twice): the root must
    // never be visible before the packs its trailer names, nor at all if they fail.
    const store = new MemoryStore();
    const done: string[] = [];
    const put = store.put.bind(store);
    store.put = async (key, body, opts) => {
      if (key.startsWith('packs/')) await new Promise((r) => setTimeout(r, 30));
      await put(key, body, opts);
      done.push(key.split('/')[0] as string);
    };
    const built = await buildTree(
      new NodeStore(store, { packTargetSize: 4096 }),
      Array.from({ length: 3_000 }, (_, i) => entry(i)),
    );
    expect(done.at(-1)).toBe('ranges');
    expect(done.filter((k) => k === 'packs').length).toBeGreaterThan(1);
    expect(await keys(store, 'ranges/')).toEqual([
      `ranges/${built.root.slice(0, 2)}/${built.root}`,
    ]);

    const failing = new MemoryStore();
    failing.put = async (key) => {
      if (key.startsWith('packs/')) throw new Error('disk full');
    };
    await expect(
      buildTree(
        new NodeStore(failing),
        Array.from({ length: 3_000 }, (_, i) => entry(i)),
      ),
    ).rejects.toThrow('disk full');
    expect(await keys(failing, 'ranges/')).toEqual([]);
  });

  it('a tree of one node writes no pack, only the loose root', async () => {
    const store = new MemoryStore();
    const built = await buildTree(new NodeStore(store), [entry(1), entry(2)]);
    expect(await keys(store, 'packs/')).toEqual([]);
    expect(await keys(store, 'ranges/')).toEqual([
      `ranges/${built.root.slice(0, 2)}/${built.root}`,
    ]);
  });

  it('a location that points at other bytes is caught by the child id, never read as the child', async () => {
    const store = new MemoryStore();
    const built = await buildTree(
      new NodeStore(store),
      Array.from({ length: 2_000 }, (_, i) => entry(i)),
    );
    const rootKey = `ranges/${built.root.slice(0, 2)}/${built.root}`;
    const root = decodeNode(await store.get(rootKey), built.root);
    if (root.kind !== 'index') throw new Error('expected an index root');
    const [a, b] = root.children as [ChildRef, ChildRef];
    // Swap the first two locations: the canonical part (and so the id) is unchanged.
    const swapped = {
      ...root,
      children: [{ ...a, at: b.at }, { ...b, at: a.at }, ...root.children.slice(2)],
    };
    await store.put(rootKey, encodeNode(swapped));
    const fresh = new NodeStore(store);
    await expect(lookup(fresh, built.root, 't/000000')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
      data: { expected: a.id },
    });
  });
});

describe('node packs in a repository', () => {
  let dir: string;
  let meta: MetaStore;
  let store: MemoryStore;
  let repo: Repository;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-packs-'));
    meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    store = new MemoryStore();
    repo = await Repository.init(meta, store, { name: 'r', committer: 'test' });
    await repo.putObjects(
      'main',
      Array.from({ length: 3_000 }, (_, i) => ({ path: `d/${i}.csv`, body: enc(`v${i}`) })),
    );
    await repo.commit('main', { message: 'base' });
  });
  afterEach(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => Repository.open(meta, store, 'r');

  it('gc collects the node packs of dropped commits, keeps those a rewritten root points into', async () => {
    const base = await repo.getCommit('main');
    const packsAtBase = await keys(store, 'packs/');
    // Another handle has read the tree (its root cached) before it is stored again below.
    const reader = await fresh();
    expect(await all(reader.list('main'))).toHaveLength(3_000);
    await repo.createBranch('b');
    await repo.deleteObjects('b', ['d/1500.csv']);
    const drop = await repo.commit('b', { message: 'drop' });
    const afterDrop = await keys(store, 'packs/');
    // Reverting builds the same tree again: the same root id, stored again loose, whose rewritten
    // path now lives in a third pack.
    const back = await repo.revert('b', drop.id);
    expect(back.tree).toBe(base.tree);
    const afterBack = await keys(store, 'packs/');
    const dropPacks = afterDrop.filter((k) => !packsAtBase.includes(k));
    const backPacks = afterBack.filter((k) => !afterDrop.includes(k));
    expect(dropPacks).toHaveLength(1);
    expect(backPacks).toHaveLength(1);

    await repo.deleteBranch('b');
    // GC follows the root as stored now, not as the reader cached it.
    const report = await reader.gc({ retentionDays: 0, graceMs: 0 });
    expect(report.commitsDeleted).toBe(2);
    const left = await keys(store, 'packs/');
    expect(left).not.toContain(dropPacks[0]);
    expect(left).toContain(backPacks[0]);
    const r = await fresh();
    expect((await r.fsck()).problems).toEqual([]);
    expect(dec(await r.getObject('main', 'd/1500.csv'))).toBe('v1500');
    expect(await all(r.list('main'))).toHaveLength(3_000);
  });

  it('a damaged or missing node pack fails reads and fsck, naming the node', async () => {
    const nodePacks = [];
    for (const key of await keys(store, 'packs/')) {
      const bytes = await store.get(key);
      if (dec(bytes.subarray(0, 40)).includes('sluice:range:v1')) nodePacks.push(key);
    }
    expect(nodePacks).toHaveLength(1);
    const key = nodePacks[0] as string;
    const bytes = Buffer.from(await store.get(key));
    const original = Buffer.from(bytes);
    bytes.writeUInt8(bytes[100] === 0x41 ? 0x42 : 0x41, 100); // inside the first node
    await store.put(key, bytes);
    let r = await fresh();
    await expect(all(r.list('main'))).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    let report = await r.fsck();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'node' }),
    );

    await store.put(key, original);
    r = await fresh();
    expect((await r.fsck()).problems).toEqual([]);

    await store.delete(key);
    r = await fresh();
    await expect(r.getObject('main', 'd/7.csv')).rejects.toMatchObject({
      code: 'ObjectNotFoundError',
    });
    report = await r.fsck();
    expect(report.ok).toBe(false);
    expect(
      report.problems.every((p) => p.code === 'ObjectNotFoundError' && p.kind === 'node'),
    ).toBe(true);
  });
});
