// Zero-copy import of a local directory: the entries point at the files (no byte copied, measured
// on the object store), reads are verified against the recorded size and mtime (a changed or
// deleted file is ExternalObjectChangedError, never served), fsck reports such files, GC leaves
// them alone, DuckDB reads an imported table, and bad input changes nothing.
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import {
  BranchNotFoundError,
  ExternalObjectChangedError,
  FileNotFoundError,
  InvalidArgumentError,
  UncommittedChangesError,
} from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { ingest } from '../../src/tables/ingest.js';
import { added, footprint, readTree, snapshot, writeLake } from './support.js';

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-import-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 't' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function changedReason(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalObjectChangedError);
  return (err as ExternalObjectChangedError).data.reason;
}

describe('import of a local directory', () => {
  it('records 1,000 nested files without copying a byte; reads give the files back', async () => {
    const lake = join(dir, 'lake');
    const files = writeLake(lake, 1000, 4096);
    const big = Buffer.alloc(200_000, 'x');
    writeFileSync(join(lake, 'big.csv'), big);
    files.set('big.csv', big);
    const before = await footprint(repo.store);

    const result = await repo.importExternal(lake, { branch: 'main', prefix: 'raw' });

    const after = await footprint(repo.store);
    const grown = added(before, after);
    expect(grown.keys.filter((k) => k.startsWith('data/'))).toEqual([]);
    const sourceBytes = [...files.values()].reduce((n, b) => n + b.length, 0);
    expect(result).toMatchObject({ objects: 1001, bytes: sourceBytes });
    // Only tree nodes: far less than the files hold.
    expect(grown.bytes).toBeLessThan(sourceBytes / 4);
    expect(result.commit.message).toBe(`import file://${lake}`);

    for (const [rel, bytes] of [...files].filter((_, i) => i % 97 === 0)) {
      expect(Buffer.from(await repo.getObject('main', `raw/${rel}`))).toEqual(bytes);
    }
    const e = await repo.stat('main', 'raw/big.csv');
    expect(e).toMatchObject({ size: big.length, checksum: '', contentType: 'text/csv' });
    expect(e.external?.uri).toBe(`file://${join(lake, 'big.csv')}`);
    expect(e.external?.mtimeMs).toBe(statSync(join(lake, 'big.csv')).mtimeMs);
    expect(e.mtime).toBe(Math.floor(statSync(join(lake, 'big.csv')).mtimeMs));
    const { stream } = await repo.openObject('main', 'raw/big.csv');
    expect(await text(stream)).toBe(big.toString());
    const ranged = await repo.openObject('main', 'raw/big.csv', {
      range: { start: 10, end: 19 },
    });
    expect(await text(ranged.stream)).toBe('x'.repeat(10));
    expect((await repo.fsck()).ok).toBe(true);
  });

  it('a file changed or deleted after import is ExternalObjectChangedError, and fsck reports it', async () => {
    const lake = join(dir, 'lake');
    writeLake(lake, 5, 100_000);
    await repo.importExternal(lake, { branch: 'main' });
    const f = (i: number) => `d${i}/e${i % 3}/f0000${i}.bin`;
    const size = statSync(join(lake, f(0))).size;

    // Same size, new content and mtime.
    writeFileSync(join(lake, f(0)), Buffer.alloc(size, 'z'));
    utimesSync(join(lake, f(0)), new Date(), new Date(Date.now() + 5000));
    expect(await changedReason(repo.getObject('main', f(0)))).toBe('changed');
    expect(
      await changedReason(repo.openObject('main', f(0)).then(async (o) => text(o.stream))),
    ).toBe('changed');
    expect(
      await changedReason(
        repo
          .openObject('main', f(0), { range: { start: 0, end: 9 } })
          .then(async (o) => text(o.stream)),
      ),
    ).toBe('changed');
    // Another size.
    writeFileSync(join(lake, f(1)), 'short');
    expect(await changedReason(repo.getObject('main', f(1)))).toBe('changed');
    // Gone.
    unlinkSync(join(lake, f(2)));
    expect(await changedReason(repo.getObject('main', f(2)))).toBe('vanished');
    // Untouched ones still read.
    expect((await repo.getObject('main', f(3))).length).toBe(statSync(join(lake, f(3))).size);

    for (const verifyData of [true, false]) {
      const report = await repo.fsck({ verifyData });
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.code)).toEqual([
        'ExternalObjectChangedError',
        'ExternalObjectChangedError',
        'ExternalObjectChangedError',
      ]);
      expect(report.problems.map((p) => p.message).join('\n')).toContain(f(2));
    }
  });

  it('importing the same source again records what changed, and commits even when nothing did', async () => {
    const lake = join(dir, 'lake');
    writeLake(lake, 4);
    const first = await repo.importExternal(lake, { branch: 'main' });
    const kept = await repo.stat('main', 'd1/e1/f00001.bin');
    writeFileSync(join(lake, 'd0/e0/f00000.bin'), 'new content');
    const second = await repo.importExternal(lake, { branch: 'main', message: 'again' });
    expect(second.commit.parents).toEqual([first.commit.id]);
    expect(Buffer.from(await repo.getObject('main', 'd0/e0/f00000.bin')).toString()).toBe(
      'new content',
    );
    expect((await repo.stat('main', 'd1/e1/f00001.bin')).address).toBe(kept.address);
    const changes = [];
    for await (const c of repo.diff(first.commit.id, second.commit.id)) changes.push(c.path);
    expect(changes).toEqual(['d0/e0/f00000.bin']);
    const third = await repo.importExternal(lake, { branch: 'main' });
    expect(third.commit.tree).toBe(second.commit.tree);
    expect(await snapshot(repo)).not.toContain('  ');
  });

  it('names that need encoding in a file URL read back', async () => {
    const lake = join(dir, 'lake dir');
    const names = ['a b/c#1.csv', 'ü/ß%20.txt', "it's (1)/x,y=z.csv", 'tilde~/f'];
    for (const [i, n] of names.entries()) {
      mkdirSync(join(lake, n, '..'), { recursive: true });
      writeFileSync(join(lake, n), `content ${i}`);
    }
    await repo.importExternal(lake, { branch: 'main' });
    for (const [i, n] of names.entries()) {
      expect(Buffer.from(await repo.getObject('main', n)).toString()).toBe(`content ${i}`);
      const e = await repo.stat('main', n);
      expect(e.external?.uri).toBe(pathToFileURL(join(lake, n)).href);
    }
  });

  it('GC after the import branch is deleted leaves the external files in place', async () => {
    const lake = join(dir, 'lake');
    const files = writeLake(lake, 50);
    await repo.createBranch('imp');
    await repo.importExternal(lake, { branch: 'imp' });
    await repo.deleteBranch('imp');
    const report = await repo.gc({ retentionDays: 0, graceMs: 0 });
    expect(report.commitsDeleted + report.nodesDeleted).toBeGreaterThan(0);
    expect(readTree(lake)).toEqual(files);
  });

  it('a putEntries copy of an imported entry stays external and verified', async () => {
    const lake = join(dir, 'lake');
    writeLake(lake, 3);
    await repo.importExternal(lake, { branch: 'main' });
    const e = await repo.stat('main', 'd0/e0/f00000.bin');
    await repo.putEntries('main', [{ ...e, path: 'copy/f.bin' as typeof e.path }]);
    await repo.commit('main', { message: 'copy' });
    const copy = await repo.stat('main', 'copy/f.bin');
    expect(copy.external).toEqual(e.external);
    expect(copy.address).toBe(e.address);
    writeFileSync(join(lake, 'd0/e0/f00000.bin'), 'other');
    expect(await changedReason(repo.getObject('main', 'copy/f.bin'))).toBe('changed');
  });

  it('DuckDB reads an imported table; a changed data file fails the query', {
    timeout: 60_000,
  }, async () => {
    // A table made by Sluice, exported as a plain tree, then imported into another repository.
    const csv = join(dir, 'o.csv');
    writeFileSync(csv, 'id,name\n1,a\n2,b\n3,c\n');
    await ingest(repo, csv, { table: 'orders', commit: { message: 'load' } });
    const exported = join(dir, 'exported');
    await repo.exportRef('main', exported);
    const other = await initRepository(join(dir, 'other'), { committer: 't' });
    try {
      await other.importExternal(exported, { branch: 'main' });
      const q = () =>
        withSqlSession(other, { cacheDir: join(dir, 'cache') }, (s) =>
          s.duck.query(
            "SELECT count(*) AS n, string_agg(name, '' ORDER BY id) AS names FROM orders",
          ),
        );
      expect((await q()).rows).toEqual([{ n: '3', names: 'abc' }]);
      const parquet = Object.keys(
        Object.fromEntries(readTree(join(exported, 'tables/orders'))),
      ).find((k) => k.endsWith('.parquet')) as string;
      const file = join(exported, 'tables/orders', parquet);
      utimesSync(file, new Date(), new Date(Date.now() + 10_000));
      await expect(q()).rejects.toBeInstanceOf(ExternalObjectChangedError);
    } finally {
      await other.close();
    }
  });

  it('bad input is refused with a stable code and changes nothing', async () => {
    const lake = join(dir, 'lake');
    writeLake(lake, 3);
    const was = await snapshot(repo);
    const before = await footprint(repo.store);
    await expect(
      repo.importExternal(join(dir, 'missing'), { branch: 'main' }),
    ).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(repo.importExternal(lake, { branch: 'nope' })).rejects.toBeInstanceOf(
      BranchNotFoundError,
    );
    // Inside the repository's storage, or holding it.
    const storage = repo.store.uri;
    mkdirSync(join(storage, 'inner'), { recursive: true });
    writeFileSync(join(storage, 'inner', 'f'), 'x');
    for (const source of [join(storage, 'inner'), storage, dir, `file://${join(dir, 'repo')}`]) {
      const err = await repo.importExternal(source, { branch: 'main' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).data.reason).toBe('inside the repository storage');
    }
    rmSync(join(storage, 'inner'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    await expect(
      repo.importExternal(join(dir, 'empty'), { branch: 'main' }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await snapshot(repo)).toBe(was);
    expect(added(before, await footprint(repo.store)).keys).toEqual([]);
    // A branch with other uncommitted changes: refused, its staging untouched.
    await repo.putObject('main', 'staged.txt', Buffer.from('s'));
    const staged = await snapshot(repo);
    await expect(repo.importExternal(lake, { branch: 'main' })).rejects.toBeInstanceOf(
      UncommittedChangesError,
    );
    expect(await snapshot(repo)).toBe(staged);
  });
});
