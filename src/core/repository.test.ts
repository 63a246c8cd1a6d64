import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteMetaStore } from '../meta/sqlite-meta-store.js';
import { MemoryStore } from '../storage/memory-store.js';
import { Repository } from './repository.js';

const enc = (s: string) => Buffer.from(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString();
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-repo-'));
  const meta = await openSqliteMetaStore(join(dir, 'meta.db'));
  repo = await Repository.init(meta, new MemoryStore(), { name: 'r', committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Repository', () => {
  it('stages, reads through staging, commits, and logs', async () => {
    await repo.putObject('main', 'a/x.csv', enc('1'));
    await repo.putObject('main', 'a/y.csv', enc('2'));
    expect(dec(await repo.getObject('main', 'a/x.csv'))).toBe('1');
    expect((await all(repo.status('main'))).map((c) => `${c.type}:${c.path}`)).toEqual([
      'added:a/x.csv',
      'added:a/y.csv',
    ]);
    const c1 = await repo.commit('main', { message: 'first' });
    expect(await all(repo.status('main'))).toEqual([]);
    await expect(repo.commit('main', { message: 'empty' })).rejects.toMatchObject({
      code: 'EmptyCommitError',
    });
    await repo.deleteObjects('main', ['a/x.csv']);
    const c2 = await repo.commit('main', { message: 'second' });
    expect((await all(repo.log('main'))).map((c) => c.message)).toEqual([
      'second',
      'first',
      'Repository created',
    ]);
    expect((await all(repo.log('main', { path: 'a/y.csv' }))).map((c) => c.id)).toEqual([c1.id]);
    expect(dec(await repo.getObject(c1.id, 'a/x.csv'))).toBe('1');
    await expect(repo.getObject('main', 'a/x.csv')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
    expect((await all(repo.diff(c1.id, c2.id))).map((c) => `${c.type}:${c.path}`)).toEqual([
      'removed:a/x.csv',
    ]);
    expect((await repo.resolve('main~1')).commit).toBe(c1.id);
    expect((await repo.resolve(c1.id.slice(0, 8))).commit).toBe(c1.id);
  });

  it('branches, merges (ff, three-way, conflicts, strategies), reverts and cherry-picks', async () => {
    await repo.putObject('main', 'f', enc('base'));
    await repo.commit('main', { message: 'base' });
    await repo.createBranch('feat');
    await repo.putObject('feat', 'g', enc('feat'));
    await repo.commit('feat', { message: 'feat g' });
    const ff = await repo.merge('feat', 'main');
    expect(ff.fastForward).toBe(true);
    expect(dec(await repo.getObject('main', 'g'))).toBe('feat');
    expect((await repo.merge('feat', 'main')).upToDate).toBe(true);

    await repo.putObject('feat', 'f', enc('feat-f'));
    await repo.commit('feat', { message: 'feat f' });
    await repo.putObject('main', 'h', enc('main-h'));
    await repo.commit('main', { message: 'main h' });
    const m = await repo.merge('feat', 'main');
    expect(m.fastForward).toBe(false);
    expect(m.commit?.parents).toHaveLength(2);
    expect(dec(await repo.getObject('main', 'f'))).toBe('feat-f');
    expect(dec(await repo.getObject('main', 'h'))).toBe('main-h');

    await repo.putObject('feat', 'f', enc('F1'));
    await repo.commit('feat', { message: 'f1' });
    await repo.putObject('main', 'f', enc('F2'));
    const headBefore = (await repo.resolve('main')).commit;
    await repo.commit('main', { message: 'f2' });
    const headAfterCommit = (await repo.resolve('main')).commit;
    expect(headAfterCommit).not.toBe(headBefore);
    await expect(repo.merge('feat', 'main')).rejects.toMatchObject({
      code: 'MergeConflictError',
      data: { count: 1 },
    });
    expect((await repo.resolve('main')).commit).toBe(headAfterCommit);
    await repo.merge('feat', 'main', { strategy: 'dest-wins' });
    expect(dec(await repo.getObject('main', 'f'))).toBe('F2');

    const pick = await repo.createBranch('other', { from: 'main~1' });
    expect(pick.name).toBe('other');
    await repo.putObject('main', 'z', enc('z'));
    const cz = await repo.commit('main', { message: 'add z' });
    await repo.cherryPick('other', cz.id);
    expect(dec(await repo.getObject('other', 'z'))).toBe('z');
    await repo.revert('main', cz.id);
    await expect(repo.stat('main', 'z')).rejects.toMatchObject({ code: 'PathNotFoundError' });
    await expect(repo.merge('feat', 'nope')).rejects.toMatchObject({ code: 'BranchNotFoundError' });
  });

  it('refuses to merge into a branch with uncommitted changes, and reset discards them', async () => {
    await repo.createBranch('b');
    await repo.putObject('b', 'x', enc('x'));
    await repo.commit('b', { message: 'x' });
    await repo.putObject('main', 'dirty', enc('d'));
    await expect(repo.merge('b', 'main')).rejects.toMatchObject({
      code: 'UncommittedChangesError',
    });
    expect(await repo.resetStaging('main')).toBeGreaterThan(0);
    await repo.merge('b', 'main');
    expect(dec(await repo.getObject('main', 'x'))).toBe('x');
  });

  it('putEntries stages stored contents under new paths without moving bytes; a missing object stages nothing', async () => {
    const big = enc('x'.repeat(2 * 1024 * 1024)); // loose (above the pack limit)
    const [small, loose] = await repo.putObjects('main', [
      { path: 'src/a.txt', body: enc('alpha') },
      { path: 'src/big.bin', body: big },
    ]);
    await repo.commit('main', { message: 'src' });
    await repo.createBranch('copy', { from: 'main' });
    const copied = await repo.putEntries(
      'copy',
      [
        { ...(small as NonNullable<typeof small>), path: 'dst/a.txt' as never },
        { ...(loose as NonNullable<typeof loose>), path: 'dst/big.bin' as never },
      ],
      { remove: ['src/a.txt'] },
    );
    expect(copied.map((e) => e.address)).toEqual([small?.address, loose?.address]);
    expect(dec(await repo.getObject('copy', 'dst/a.txt'))).toBe('alpha');
    expect((await repo.getObject('copy', 'dst/big.bin')).length).toBe(big.length);
    expect((await all(repo.status('copy'))).map((c) => `${c.type}:${c.path}`).sort()).toEqual([
      'added:dst/a.txt',
      'added:dst/big.bin',
      'removed:src/a.txt',
    ]);
    const missing = { ...(loose as NonNullable<typeof loose>), address: 'f'.repeat(64) } as never;
    await expect(
      repo.putEntries('copy', [{ ...(small as object), path: 'z/ok.txt' } as never, missing]),
    ).rejects.toMatchObject({ code: 'ObjectNotFoundError' });
    expect(await repo.stat('copy', 'z/ok.txt').catch((e) => e.code)).toBe('PathNotFoundError');
  });

  it('tags, aliases and name rules', async () => {
    await repo.putObject('main', 'x', enc('x'));
    const c = await repo.commit('main', { message: 'x' });
    await repo.createTag('v1', 'main');
    expect((await repo.resolve('v1')).commit).toBe(c.id);
    await expect(repo.createBranch('v1')).rejects.toMatchObject({ code: 'RefAlreadyExistsError' });
    await expect(repo.createBranch('bad..name')).rejects.toMatchObject({
      code: 'InvalidNameError',
    });
    await repo.createBranch('blue');
    await repo.createBranch('green');
    await repo.setAlias('production', 'blue');
    expect((await repo.resolve('production')).kind).toBe('alias');
    const flip = await repo.setAlias('production', 'green');
    expect(flip.previous).toBe('blue');
    await expect(repo.deleteBranch('green')).rejects.toMatchObject({ code: 'AliasTargetError' });
    await expect(repo.deleteBranch('main')).rejects.toMatchObject({ code: 'DefaultBranchError' });
    await expect(repo.putObject('main', '../x', enc('x'))).rejects.toMatchObject({
      code: 'InvalidPathError',
    });
    await expect(repo.putObject('main', '/abs', enc('x'))).rejects.toMatchObject({
      code: 'InvalidPathError',
    });
  });

  it('lists with a delimiter and after', async () => {
    await repo.putObjects(
      'main',
      ['a/1', 'a/2', 'b/c/3', 'd'].map((p) => ({ path: p, body: enc(p) })),
    );
    await repo.commit('main', { message: 'm' });
    await repo.putObject('main', 'a/0', enc('0'));
    const top = (await all(repo.list('main', { delimiter: '/' }))).map((i) =>
      i.type === 'prefix' ? i.path : i.entry.path,
    );
    expect(top).toEqual(['a/', 'b/', 'd']);
    const a = (await all(repo.list('main', { prefix: 'a/' }))).map((i) =>
      i.type === 'object' ? i.entry.path : i.path,
    );
    expect(a).toEqual(['a/0', 'a/1', 'a/2']);
  });

  it('gc deletes only what nothing reaches, and fsck stays clean', async () => {
    await repo.putObject('main', 'keep', enc('keep'));
    await repo.commit('main', { message: 'keep' });
    await repo.createBranch('tmp');
    await repo.putObject('tmp', 'gone', enc('gone'));
    await repo.commit('tmp', { message: 'gone' });
    await repo.putObject('main', 'staged', enc('staged'));
    await repo.deleteBranch('tmp');
    const dry = await repo.gc({ retentionDays: 0, graceMs: 0, dryRun: true });
    expect(dry.objectsDeleted).toBe(1);
    const r = await repo.gc({ retentionDays: 0, graceMs: 0 });
    expect(r.objectsDeleted).toBe(1);
    expect(r.commitsDeleted).toBe(1);
    expect(dec(await repo.getObject('main', 'keep'))).toBe('keep');
    expect(dec(await repo.getObject('main', 'staged'))).toBe('staged');
    const f = await repo.fsck();
    expect(f.problems).toEqual([]);
  });
});

describe('packed objects', () => {
  it('bulk puts pack small objects; they read back verified through staging, commits, gc and fsck', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({
      path: `p/${i}.csv`,
      body: enc(`row ${i % 250}\n`),
    }));
    const entries = await repo.putObjects('main', items);
    expect(entries.every((e) => e.physical?.startsWith('pack:'))).toBe(true);
    expect(dec(await repo.getObject('main', 'p/7.csv'))).toBe('row 7\n');
    await repo.commit('main', { message: 'bulk' });
    for (const i of [0, 1, 249, 250, 299])
      expect(dec(await repo.getObject('main', `p/${i}.csv`))).toBe(`row ${i % 250}\n`);
    const chunks: Buffer[] = [];
    for await (const c of (await repo.openObject('main', 'p/3.csv')).stream)
      chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('row 3\n');
    const single = await repo.putObject('main', 'one', enc('loose'));
    expect(single.physical).toBeUndefined();
    await repo.commit('main', { message: 'one' });
    const r = await repo.gc({ retentionDays: 0, graceMs: 0 });
    expect(r.objectsDeleted).toBe(0);
    expect(dec(await repo.getObject('main', 'p/299.csv'))).toBe('row 49\n');
    expect((await repo.fsck()).problems).toEqual([]);
  });

  it('a pack no ref reaches is collected; a damaged byte inside a pack is caught by reads and fsck', async () => {
    await repo.createBranch('tmp');
    await repo.putObjects('tmp', [
      { path: 'a', body: enc('aa') },
      { path: 'b', body: enc('bb') },
    ]);
    await repo.commit('tmp', { message: 'tmp' });
    await repo.deleteBranch('tmp');
    expect((await repo.gc({ retentionDays: 0, graceMs: 0 })).objectsDeleted).toBe(1);

    const [e] = await repo.putObjects('main', [
      { path: 'x', body: enc('xxxx') },
      { path: 'y', body: enc('yyyy') },
    ]);
    await repo.commit('main', { message: 'xy' });
    const store = repo.store as MemoryStore;
    const key = `packs/${e?.physical?.slice(5, 7)}/${e?.physical?.slice(5, 69)}`;
    const bytes = Buffer.from(await store.get(key));
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 0xff, bytes.length - 1); // inside y's bytes
    await store.put(key, bytes);
    expect(dec(await repo.getObject('main', 'x'))).toBe('xxxx');
    await expect(repo.getObject('main', 'y')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    const report = await repo.fsck();
    expect(report.problems.map((p) => p.code)).toEqual(['ObjectCorruptedError']);
  });
});
