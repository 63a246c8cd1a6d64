// Table diff between refs: schema changes, keyed and keyless row diffs, tables on one side only,
// and that files both sides share are never read. Property tests apply random inserts, updates and
// deletes (keyed) or appends (keyless) through ingest and check the diff against an in-memory model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { TableNotFoundError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { ObjectCache } from '../../src/engine/object-cache.js';
import { getTable } from '../../src/engine/tables.js';
import { type IngestOptions, ingest } from '../../src/tables/ingest.js';
import { diffTable } from '../../src/tables/table-diff.js';
import { testSeed } from '../engine/support.js';

let dir: string;
let repo: Repository;
let fileNo = 0;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-table-diff-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A CSV file in the test's temp dir. */
function csv(text: string): string {
  const p = join(dir, `in-${fileNo++}.csv`);
  writeFileSync(p, text);
  return p;
}

const load = (text: string, opts: IngestOptions) =>
  ingest(repo, csv(text), { ...opts, commit: { message: `${opts.mode ?? 'append'} ${text}` } });

const KV_SCHEMA = [
  { name: 'id', type: 'BIGINT' },
  { name: 'val', type: 'VARCHAR' },
];

describe('diffTable', () => {
  it('by key: inserts, deletes and updates, with samples in key order', async () => {
    await load('id,name,qty\n1,a,10\n2,b,20\n3,c,30\n4,d,40\n', { table: 't', key: ['id'] });
    await repo.createBranch('dev');
    // 2 updated, 3 deleted, 5 and 6 inserted; 1 and 4 unchanged (4 rewritten with the same value).
    await load('id,name,qty\n1,a,10\n2,b,21\n4,d,40\n5,e,50\n6,f,60\n', {
      table: 't',
      branch: 'dev',
      mode: 'overwrite',
      key: ['id'],
    });
    const d = await diffTable(repo, 't', 'main', 'dev', { cacheDir: join(dir, 'cache') });
    expect(d).toMatchObject({
      table: 't',
      left: { ref: 'main' },
      right: { ref: 'dev' },
      schemaChanges: [],
      primaryKey: ['id'],
      added: 2,
      removed: 1,
      changed: 1,
    });
    expect(d.left.commit).toMatch(/^[0-9a-f]+$/);
    expect(d.primaryKeyChange).toBeUndefined();
    expect(d.samples).toEqual({
      added: [
        { id: '5', name: 'e', qty: '50' },
        { id: '6', name: 'f', qty: '60' },
      ],
      removed: [{ id: '3', name: 'c', qty: '30' }],
      changed: [
        {
          key: { id: '2' },
          left: { id: '2', name: 'b', qty: '20' },
          right: { id: '2', name: 'b', qty: '21' },
        },
      ],
    });
    // The other way round, everything flips.
    const back = await diffTable(repo, 't', 'dev', 'main', { cacheDir: join(dir, 'cache') });
    expect([back.added, back.removed, back.changed]).toEqual([1, 2, 1]);
    expect(back.samples.changed[0]?.right).toEqual({ id: '2', name: 'b', qty: '20' });
  });

  it('counts are exact while samples are capped, ordered by key', async () => {
    await load('id,v\n100,x\n', { table: 't', key: ['id'] });
    await repo.createBranch('dev');
    const rows = Array.from({ length: 12 }, (_, i) => `${12 - i},v${i}`).join('\n');
    await load(`id,v\n${rows}\n`, { table: 't', branch: 'dev', mode: 'upsert' });
    const d = await diffTable(repo, 't', 'main', 'dev', { sample: 3 });
    expect(d.added).toBe(12);
    expect(d.samples.added.map((r) => r.id)).toEqual(['1', '2', '3']);
    const none = await diffTable(repo, 't', 'main', 'dev', { sample: 0 });
    expect(none.added).toBe(12);
    expect(none.samples.added).toEqual([]);
  });

  it('without a key: a multiset diff that counts duplicates', async () => {
    await load('a,b\n1,x\n1,x\n2,y\n3,z\n', { table: 'ev' });
    await repo.createBranch('dev');
    // dev: one more (1,x), one fewer (2,y) — via overwrite — and a third copy of (3,z) appended.
    await load('a,b\n1,x\n1,x\n1,x\n3,z\n', { table: 'ev', branch: 'dev', mode: 'overwrite' });
    await load('a,b\n3,z\n4,\n', { table: 'ev', branch: 'dev' });
    const d = await diffTable(repo, 'ev', 'main', 'dev');
    expect(d.primaryKey).toBeUndefined();
    expect([d.added, d.removed, d.changed]).toEqual([3, 1, 0]);
    expect(d.samples.added).toEqual([
      { a: '1', b: 'x' },
      { a: '3', b: 'z' },
      { a: '4', b: null },
    ]);
    expect(d.samples.removed).toEqual([{ a: '2', b: 'y' }]);
  });

  it('an appended column: a schema change, old rows read it as NULL', async () => {
    await load('id,v\n1,a\n2,b\n', { table: 't', key: ['id'] });
    await load('id,v\n3,c\n', { table: 't' });
    await repo.createBranch('dev');
    // Upsert with a new column: the file holding 2 is rewritten (its other rows get NULL there).
    await load('id,v,extra\n2,b,9\n', { table: 't', branch: 'dev', mode: 'upsert' });
    const d = await diffTable(repo, 't', 'main', 'dev');
    expect(d.schemaChanges).toEqual([{ column: 'extra', change: 'added', after: 'BIGINT' }]);
    expect([d.added, d.removed, d.changed]).toEqual([0, 0, 1]);
    expect(d.samples.changed).toEqual([
      {
        key: { id: '2' },
        left: { id: '2', v: 'b', extra: null },
        right: { id: '2', v: 'b', extra: '9' },
      },
    ]);
    expect(d.filesSkipped).toBe(1); // the file holding 3
  });

  it('a retyped column (overwrite) is compared in the wider type; a key change is reported', async () => {
    await load('id,amount\n1,10\n2,20\n3,30\n', { table: 't', key: ['id'] });
    await repo.createBranch('dev');
    await load('id,amount,region\n1,10.0,eu\n2,20.5,eu\n3,30,eu\n', {
      table: 't',
      branch: 'dev',
      mode: 'overwrite',
      key: ['id', 'region'],
    });
    const d = await diffTable(repo, 't', 'main', 'dev');
    expect(d.schemaChanges).toEqual([
      { column: 'amount', change: 'retyped', before: 'BIGINT', after: 'DOUBLE' },
      { column: 'region', change: 'added', after: 'VARCHAR' },
    ]);
    expect(d.primaryKeyChange).toEqual({ before: ['id'], after: ['id', 'region'] });
    expect(d.primaryKey).toEqual(['id', 'region']);
    // The key now includes region, which main does not have: every row is removed and re-added.
    expect([d.added, d.removed, d.changed]).toEqual([3, 3, 0]);

    // Same key on both sides: 10 → 10.0 is no change, 20 → 20.5 is.
    await repo.createBranch('dev2');
    await load('id,amount\n1,10.0\n2,20.5\n3,30\n', {
      table: 't',
      branch: 'dev2',
      mode: 'overwrite',
      key: ['id'],
    });
    const d2 = await diffTable(repo, 't', 'main', 'dev2');
    expect([d2.added, d2.removed, d2.changed]).toEqual([0, 0, 1]);
    expect(d2.samples.changed).toEqual([
      { key: { id: '2' }, left: { id: '2', amount: 20 }, right: { id: '2', amount: 20.5 } },
    ]);
  });

  it('a table on one side only: all its rows are added (or removed)', async () => {
    await repo.createBranch('dev');
    await load('id,v\n2,b\n1,a\n', { table: 'fresh', branch: 'dev', key: ['id'] });
    const d = await diffTable(repo, 'fresh', 'main', 'dev');
    expect(d.schemaChanges).toEqual([
      { column: 'id', change: 'added', after: 'BIGINT' },
      { column: 'v', change: 'added', after: 'VARCHAR' },
    ]);
    expect(d.primaryKeyChange).toEqual({ after: ['id'] });
    expect([d.added, d.removed, d.changed]).toEqual([2, 0, 0]);
    expect(d.samples.added).toEqual([
      { id: '1', v: 'a' },
      { id: '2', v: 'b' },
    ]);
    expect(d.filesCompared).toEqual({ left: 0, right: 1 });
    const back = await diffTable(repo, 'fresh', 'dev', 'main');
    expect([back.added, back.removed, back.changed]).toEqual([0, 2, 0]);
    expect(back.primaryKey).toEqual(['id']);
    expect(back.schemaChanges.map((c) => c.change)).toEqual(['removed', 'removed']);
  });

  it('an unknown table on both sides is TableNotFoundError', async () => {
    await repo.createBranch('dev');
    await expect(diffTable(repo, 'nope', 'main', 'dev')).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it('identical sides: nothing read, nothing changed', async () => {
    await load('id,v\n1,a\n', { table: 't', key: ['id'] });
    await repo.createBranch('dev');
    const fileFor = vi.spyOn(ObjectCache.prototype, 'fileFor');
    const d = await diffTable(repo, 't', 'main', 'dev');
    expect(fileFor).not.toHaveBeenCalled();
    expect(d).toMatchObject({ added: 0, removed: 0, changed: 0, filesSkipped: 1 });
    expect(d.filesCompared).toEqual({ left: 0, right: 0 });
  });

  it('files both sides share are never read: the cost follows what changed', async () => {
    for (let f = 0; f < 8; f++) {
      const rows = Array.from({ length: 5 }, (_, i) => `${f * 5 + i},v${f * 5 + i}`).join('\n');
      await load(`id,v\n${rows}\n`, { table: 't', key: ['id'] });
    }
    await repo.createBranch('dev');
    await load('id,v\n17,changed\n', { table: 't', branch: 'dev', mode: 'upsert' });
    const main = await getTable(repo, 'main', 't');
    const dev = await getTable(repo, 'dev', 't');
    const devAddresses = new Set<string>(dev.files.map((f) => f.address));
    const shared: string[] = main.files
      .filter((f) => devAddresses.has(f.address))
      .map((f) => f.address);
    expect(shared).toHaveLength(7);

    const fileFor = vi.spyOn(ObjectCache.prototype, 'fileFor');
    const d = await diffTable(repo, 't', 'main', 'dev');
    const read = fileFor.mock.calls.map(([obj]) => obj.address);
    expect(read.filter((a) => shared.includes(a))).toEqual([]);
    expect(read).toHaveLength(3); // the old file holding 17; the new row and the rewritten rest
    expect(d.filesSkipped).toBe(7);
    expect(d.filesCompared).toEqual({ left: 1, right: 2 });
    expect([d.added, d.removed, d.changed]).toEqual([0, 0, 1]);
    expect(d.samples.changed[0]?.right).toEqual({ id: '17', v: 'changed' });
  });
});

// ---- property tests ----------------------------------------------------------------------------

type Step =
  | { kind: 'upsert'; rows: [number, string][] }
  | { kind: 'delete'; ids: number[] }
  | { kind: 'append'; rows: [number, string][] };

const VALUES = ['a', 'b', 'c'];
const idArb = fc.integer({ min: 0, max: 29 });
const valArb = fc.constantFrom(...VALUES);
/** Rows with distinct ids (a key is unique within one input). */
const keyedRowsArb = fc.uniqueArray(fc.tuple(idArb, valArb), {
  minLength: 1,
  maxLength: 8,
  selector: (r) => r[0],
});
const kvCsv = (rows: [number, string][]): string =>
  `id,val\n${rows.map(([id, v]) => `${id},${v}`).join('\n')}\n`;

describe('diffTable properties', () => {
  it('by key: counts equal the model after random inserts, updates and deletes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        keyedRowsArb,
        fc.array(
          fc.oneof(
            keyedRowsArb.map((rows): Step => ({ kind: 'upsert', rows })),
            fc
              .uniqueArray(idArb, { minLength: 1, maxLength: 6 })
              .map((ids): Step => ({ kind: 'delete', ids })),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (initial, steps) => {
          const table = `k${run}`;
          const branch = `b${run++}`;
          const opts = { table, key: ['id'], schema: KV_SCHEMA };
          const before = new Map(initial);
          await load(kvCsv(initial), opts);
          await repo.createBranch(branch);
          const after = new Map(before);
          for (const s of steps) {
            if (s.kind === 'upsert') {
              for (const [id, v] of s.rows) after.set(id, v);
              await load(kvCsv(s.rows), { ...opts, branch, mode: 'upsert' });
            } else if (s.kind === 'delete') {
              for (const id of s.ids) after.delete(id);
              await load(kvCsv([...after]), { ...opts, branch, mode: 'overwrite' });
            }
          }
          const d = await diffTable(repo, table, 'main', branch, { sample: 30 });
          const added = [...after.keys()].filter((k) => !before.has(k)).sort((a, b) => a - b);
          const removed = [...before.keys()].filter((k) => !after.has(k)).sort((a, b) => a - b);
          const changed = [...after]
            .filter(([k, v]) => before.has(k) && before.get(k) !== v)
            .map(([k]) => k)
            .sort((a, b) => a - b);
          expect({ added: d.added, removed: d.removed, changed: d.changed }).toEqual({
            added: added.length,
            removed: removed.length,
            changed: changed.length,
          });
          expect(d.samples.added.map((r) => Number(r.id))).toEqual(added);
          expect(d.samples.removed.map((r) => Number(r.id))).toEqual(removed);
          expect(d.samples.changed.map((c) => Number(c.key.id))).toEqual(changed);
          for (const c of d.samples.changed) {
            expect(c.left.val).toBe(before.get(Number(c.key.id)));
            expect(c.right.val).toBe(after.get(Number(c.key.id)));
          }
        },
      ),
      { numRuns: 20, seed: testSeed('table-diff keyed') },
    );
  });

  it('without a key: appends on both sides, counted as multisets', async () => {
    let run = 0;
    const rowsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), valArb), {
      minLength: 1,
      maxLength: 6,
    });
    const appendsArb = fc.array(
      rowsArb.map((rows): Step => ({ kind: 'append', rows })),
      { maxLength: 2 },
    );
    await fc.assert(
      fc.asyncProperty(rowsArb, appendsArb, appendsArb, async (initial, onMain, onBranch) => {
        const table = `u${run}`;
        const branch = `b${run++}`;
        const opts = { table, schema: KV_SCHEMA };
        await load(kvCsv(initial), opts);
        await repo.createBranch(branch);
        const count = new Map<string, number>();
        const add = (rows: [number, string][], sign: number) => {
          for (const r of rows) count.set(r.join(','), (count.get(r.join(',')) ?? 0) + sign);
        };
        for (const s of onMain) {
          if (s.kind !== 'append') continue;
          add(s.rows, -1);
          await load(kvCsv(s.rows), opts);
        }
        for (const s of onBranch) {
          if (s.kind !== 'append') continue;
          add(s.rows, 1);
          await load(kvCsv(s.rows), { ...opts, branch });
        }
        const d = await diffTable(repo, table, 'main', branch);
        const values = [...count.values()];
        expect({ added: d.added, removed: d.removed, changed: d.changed }).toEqual({
          added: values.filter((n) => n > 0).reduce((a, n) => a + n, 0),
          removed: values.filter((n) => n < 0).reduce((a, n) => a - n, 0),
          changed: 0,
        });
        // The initial file is shared, so it is never compared.
        expect(d.filesSkipped).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 20, seed: testSeed('table-diff keyless') },
    );
  });
});
