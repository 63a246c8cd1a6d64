// Commits of named paths and idempotency keys in one process: writers committing at once each get
// a commit of exactly their own paths under their own message; a request retried with its key
// answers with its first commit and leaves nothing staged; a key reused for another request is
// refused and changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteMetaStore } from '../meta/sqlite-meta-store.js';
import { MemoryStore } from '../storage/memory-store.js';
import { Repository } from './repository.js';

const enc = (s: string) => Buffer.from(s);
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const changed = async (repo: Repository, id: string) =>
  (await all(repo.diff(`${id}~1`, id))).map((c) => c.path);

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-path-commit-'));
  const meta = await openSqliteMetaStore(join(dir, 'meta.db'));
  repo = await Repository.init(meta, new MemoryStore(), { name: 'r', committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('commit of named paths', () => {
  it('writers staging and committing at once each commit exactly their own paths', async () => {
    const writers = Array.from({ length: 6 }, (_, w) => w);
    const commits = await Promise.all(
      writers.map(async (w) => {
        const paths = [`w${w}/a.csv`, `w${w}/sub/b.csv`];
        await repo.putObjects(
          'main',
          paths.map((path) => ({ path, body: enc(path) })),
        );
        return repo.commit('main', { message: `writer ${w}`, paths: [`w${w}`] });
      }),
    );
    for (const [w, c] of commits.entries()) {
      expect(c.message).toBe(`writer ${w}`);
      expect(await changed(repo, c.id)).toEqual([`w${w}/a.csv`, `w${w}/sub/b.csv`]);
    }
    expect(await all(repo.status('main'))).toEqual([]);
    expect((await all(repo.log('main'))).length).toBe(writers.length + 1);
  });

  it('leaves what it does not name staged, and refuses when nothing is staged there', async () => {
    await repo.putObject('main', 'a.csv', enc('a'));
    await repo.putObject('main', 'ab.csv', enc('ab'));
    const c = await repo.commit('main', { message: 'a', paths: ['a.csv'] });
    expect(await changed(repo, c.id)).toEqual(['a.csv']);
    expect((await all(repo.status('main'))).map((s) => s.path)).toEqual(['ab.csv']);
    await expect(repo.commit('main', { message: 'x', paths: ['a.csv'] })).rejects.toMatchObject({
      code: 'EmptyCommitError',
    });
  });

  it('a request retried with its key answers with its first commit and leaves nothing staged', async () => {
    const request = { key: 'k-1', request: 'write a.csv' };
    await repo.putObject('main', 'a.csv', enc('1'));
    const first = await repo.commitRequest('main', {
      message: 'first',
      paths: ['a.csv'],
      idempotency: { ...request, result: () => ({ n: 1 }) },
    });
    expect(first.replayed).toBeUndefined();
    // The retry stages again (it does not know its first try landed), then commits.
    await repo.putObject('main', 'a.csv', enc('1 again'));
    const again = await repo.commitRequest('main', {
      message: 'retry',
      paths: ['a.csv'],
      idempotency: request,
    });
    expect(again.commit.id).toBe(first.commit.id);
    expect(again.replayed).toMatchObject({ key: 'k-1', commitId: first.commit.id });
    expect(JSON.parse(again.replayed?.data ?? '{}')).toEqual({ n: 1 });
    expect((await repo.getBranch('main')).head).toBe(first.commit.id);
    expect(await all(repo.status('main'))).toEqual([]);

    await repo.putObject('main', 'b.csv', enc('b'));
    await expect(
      repo.commitRequest('main', {
        message: 'other',
        paths: ['b.csv'],
        idempotency: { key: 'k-1', request: 'write b.csv' },
      }),
    ).rejects.toMatchObject({ code: 'IdempotencyKeyReusedError' });
    expect((await repo.getBranch('main')).head).toBe(first.commit.id);
    expect((await all(repo.status('main'))).map((s) => s.path)).toEqual(['b.csv']);
  });

  it('a merge retried with its key moves nothing', async () => {
    await repo.createBranch('feat');
    await repo.putObject('feat', 'f.csv', enc('f'));
    await repo.commit('feat', { message: 'f' });
    const idempotency = { key: 'm-1', request: 'merge feat into main' };
    const first = await repo.merge('feat', 'main', { noFastForward: true, idempotency });
    await repo.putObject('feat', 'g.csv', enc('g'));
    await repo.commit('feat', { message: 'g' });
    const again = await repo.merge('feat', 'main', { noFastForward: true, idempotency });
    expect(again.replayed).toBeDefined();
    expect(again.commit?.id).toBe(first.commit?.id);
    expect((await repo.getBranch('main')).head).toBe(first.commit?.id);
  });
});
