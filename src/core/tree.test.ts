import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObjectAddress, RepoPath } from '../common/ids.js';
import { compareKeys } from '../common/keys.js';
import { MemoryStore } from '../storage/memory-store.js';
import type { PathChange, TreeEntry } from './entry.js';
import { EMPTY_TREE_ID } from './node-codec.js';
import { NodeStore } from './node-store.js';
import { applyChanges, buildTree } from './tree-builder.js';
import { diffTrees } from './tree-diff.js';
import { lookup, scan } from './tree-reader.js';

const entry = (path: string, v = 0): TreeEntry => ({
  path: path as RepoPath,
  address: `${v}`.padStart(64, 'a') as ObjectAddress,
  size: v,
  checksum: `${v}`.padStart(64, 'c'),
  contentType: 'application/octet-stream',
  metadata: {},
});

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

function sortedEntries(model: Map<string, number>): TreeEntry[] {
  return [...model.entries()].sort((a, b) => compareKeys(a[0], b[0])).map(([p, v]) => entry(p, v));
}

describe('tree', () => {
  it('the empty tree has a fixed id and nothing in it', async () => {
    const nodes = new NodeStore(new MemoryStore());
    const r = await buildTree(nodes, []);
    expect(r.root).toBe(EMPTY_TREE_ID);
    expect(await collect(scan(nodes, r.root))).toEqual([]);
  });

  it('applying changes gives the same root as building from scratch, and diff/scan/lookup agree', async () => {
    const key = fc.stringMatching(/^[a-d]{1,3}(\/[a-d0-9]{1,4}){0,2}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, fc.nat(5)), { maxLength: 600 }),
        fc.array(fc.tuple(key, fc.option(fc.nat(5))), { maxLength: 200 }),
        async (initial, edits) => {
          const nodes = new NodeStore(new MemoryStore());
          const model = new Map<string, number>();
          for (const [k, v] of initial) model.set(k, v);
          const base = await buildTree(nodes, sortedEntries(model));
          const changes = new Map<string, number | null>();
          for (const [k, v] of edits) changes.set(k, v);
          const sortedChanges: PathChange[] = [...changes.entries()]
            .sort((a, b) => compareKeys(a[0], b[0]))
            .map(([p, v]) => ({
              path: p as RepoPath,
              value: v === null ? null : { ...entry(p, v) },
            }));
          const applied = await applyChanges(nodes, base.root, sortedChanges);
          const before = new Map(model);
          for (const [k, v] of changes) {
            if (v === null) model.delete(k);
            else model.set(k, v);
          }
          const scratch = await buildTree(nodes, sortedEntries(model));
          expect(applied.root).toBe(scratch.root);
          expect(applied.count).toBe(model.size);
          const listed = await collect(scan(nodes, applied.root));
          expect(listed.map((e) => e.path)).toEqual(sortedEntries(model).map((e) => e.path));
          const d = await collect(diffTrees(nodes, base.root, applied.root));
          const expected: string[] = [];
          for (const k of new Set([...before.keys(), ...model.keys()])) {
            const a = before.get(k);
            const b = model.get(k);
            if (a === b) continue;
            expected.push(
              `${a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'}:${k}`,
            );
          }
          expected.sort((x, y) =>
            compareKeys(x.split(':')[1] as string, y.split(':')[1] as string),
          );
          expect(d.map((c) => `${c.type}:${c.path}`)).toEqual(expected);
          for (const [k] of edits.slice(0, 10)) {
            const got = await lookup(nodes, applied.root, k);
            expect(got?.size).toBe(model.get(k));
          }
          const pd = await collect(diffTrees(nodes, base.root, applied.root, { prefix: 'a' }));
          expect(pd.map((c) => `${c.type}:${c.path}`)).toEqual(
            expected.filter((x) => x.split(':')[1]?.startsWith('a')),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a large tree has several levels, and a small edit rewrites few nodes', async () => {
    const store = new MemoryStore();
    const nodes = new NodeStore(store);
    const entries = Array.from({ length: 50_000 }, (_, i) =>
      entry(`t/${String(i).padStart(6, '0')}`, i % 7),
    );
    const base = await buildTree(nodes, entries);
    const writtenBefore = nodes.stats.written;
    const objectsBefore = (await collect(store.list(''))).length;
    const applied = await applyChanges(nodes, base.root, [
      { path: 't/025000' as RepoPath, value: entry('x', 99) },
    ]);
    const added = nodes.stats.written - writtenBefore;
    expect(applied.root).not.toBe(base.root);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(6);
    // The new nodes are one node pack and the new root, loose.
    expect((await collect(store.list(''))).length - objectsBefore).toBe(2);
    const d = await collect(diffTrees(nodes, base.root, applied.root));
    expect(d).toHaveLength(1);
  });
});

describe('tree (multi-level)', () => {
  it('random batches on a 30,000-entry tree match a from-scratch build', async () => {
    const nodes = new NodeStore(new MemoryStore());
    const model = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) model.set(`p/${(i * 7919) % 100_000}`, i % 5);
    let root = (await buildTree(nodes, sortedEntries(model))).root;
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 8; round++) {
      const changes = new Map<string, number | null>();
      const clustered = round % 2 === 0;
      const base = rnd(100_000);
      for (let j = 0; j < 2000; j++) {
        const k = `p/${clustered ? (base + j) % 100_000 : rnd(100_000)}`;
        changes.set(k, rnd(4) === 0 ? null : rnd(9));
      }
      const sorted = [...changes.entries()].sort((a, b) => compareKeys(a[0], b[0]));
      root = (
        await applyChanges(
          nodes,
          root,
          sorted.map(([p, v]) => ({ path: p as RepoPath, value: v === null ? null : entry(p, v) })),
        )
      ).root;
      for (const [k, v] of changes) {
        if (v === null) model.delete(k);
        else model.set(k, v);
      }
      expect(root).toBe((await buildTree(nodes, sortedEntries(model))).root);
    }
  });
});
