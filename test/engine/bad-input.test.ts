// Bad input is refused with its stable error code and changes nothing: invalid names, unknown
// refs, unsafe paths, empty commits, deleting the default branch, conflicting merges, half-invalid
// batches. Damaged stored bytes are reported as ObjectCorruptedError on read and by fsck.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import {
  collect,
  dec,
  enc,
  makeTempDir,
  type RepoSnapshot,
  removeDir,
  snapshot,
} from './support.js';

let dir: string;
let repo: Repository;

/**
 * main: a/x (changed on main after dev branched: dev and main conflict on it), a/y loose,
 * p/1 + p/2 packed; dev: a/x changed; tag v1 on main; wip: a staged, uncommitted write; alias
 * prod → main.
 */
beforeEach(async () => {
  dir = makeTempDir('bad-input');
  repo = await initRepository(dir, { name: 'bad', committer: 'test' });
  await repo.putObject('main', 'a/x', enc('base'));
  await repo.putObject('main', 'a/y', enc('loose object'));
  await repo.putObjects('main', [
    { path: 'p/1', body: enc('packed one') },
    { path: 'p/2', body: enc('packed two') },
  ]);
  await repo.commit('main', { message: 'base' });
  await repo.createBranch('dev');
  await repo.putObject('dev', 'a/x', enc('dev'));
  await repo.commit('dev', { message: 'dev changes a/x' });
  await repo.putObject('main', 'a/x', enc('main'));
  await repo.commit('main', { message: 'main changes a/x' });
  await repo.createTag('v1', 'main');
  await repo.createBranch('wip');
  await repo.putObject('wip', 'w/1', enc('staged'));
  await repo.setAlias('prod', 'main');
});

afterEach(async () => {
  await repo.close();
  removeDir(dir);
});

async function objectKeys(r: Repository): Promise<string[]> {
  return (await collect(r.store.list(''))).map((o) => o.key);
}

/** `op` is refused with `code`, and refs, contents, staging and stored objects are as before. */
async function expectRefused(op: () => Promise<unknown>, code: string): Promise<void> {
  const before: RepoSnapshot = await snapshot(repo);
  const keys = await objectKeys(repo);
  await expect(op()).rejects.toMatchObject({ code });
  expect(await snapshot(repo)).toEqual(before);
  expect(await objectKeys(repo)).toEqual(keys);
}

const INVALID_NAMES = [
  'a..b',
  '-x',
  'x.lock',
  '',
  'has space',
  '0123456789abcdef0123456789abcdef01234567',
];
const UNKNOWN_REFS = ['nope', 'main~99', 'deadbeefdeadbeef'];
const BAD_PATHS = ['../etc/passwd', '/abs/path', 'a//../b', 'a/../../b', 'a\\b'];

describe('invalid names', () => {
  it.each(INVALID_NAMES)(
    '%j is refused as a branch, tag or alias name (InvalidNameError)',
    async (name) => {
      await expectRefused(() => repo.createBranch(name), 'InvalidNameError');
      await expectRefused(() => repo.createBranch(name, { from: 'v1' }), 'InvalidNameError');
      await expectRefused(() => repo.createTag(name, 'main'), 'InvalidNameError');
      await expectRefused(() => repo.setAlias(name, 'main'), 'InvalidNameError');
    },
  );

  it('names already taken in the shared namespace are refused (RefAlreadyExistsError)', async () => {
    for (const name of ['main', 'dev', 'v1', 'prod']) {
      await expectRefused(() => repo.createBranch(name), 'RefAlreadyExistsError');
      await expectRefused(() => repo.createTag(name, 'main'), 'RefAlreadyExistsError');
    }
  });
});

describe('unknown refs', () => {
  it.each(UNKNOWN_REFS)('%j is refused wherever a ref is read (RefNotFoundError)', async (ref) => {
    await expectRefused(() => repo.createBranch('new', { from: ref }), 'RefNotFoundError');
    await expectRefused(() => repo.createTag('new', ref), 'RefNotFoundError');
    await expectRefused(() => repo.merge(ref, 'main'), 'RefNotFoundError');
    await expectRefused(() => repo.resetBranch('wip', ref), 'RefNotFoundError');
    await expectRefused(() => repo.revert('main', ref), 'RefNotFoundError');
    await expectRefused(() => repo.cherryPick('main', ref), 'RefNotFoundError');
    await expectRefused(() => repo.getObject(ref, 'a/x'), 'RefNotFoundError');
    await expectRefused(() => repo.getCommit(ref), 'RefNotFoundError');
    await expectRefused(() => collect(repo.list(ref)), 'RefNotFoundError');
    await expectRefused(() => collect(repo.log(ref)), 'RefNotFoundError');
    await expectRefused(() => collect(repo.diff('main', ref)), 'RefNotFoundError');
  });

  it.each(UNKNOWN_REFS)('%j is refused as a write target (BranchNotFoundError)', async (ref) => {
    await expectRefused(() => repo.putObject(ref, 'a/z', enc('z')), 'BranchNotFoundError');
    await expectRefused(() => repo.deleteObjects(ref, ['a/x']), 'BranchNotFoundError');
    await expectRefused(
      () => repo.commit(ref, { message: 'm', allowEmpty: true }),
      'BranchNotFoundError',
    );
    await expectRefused(() => repo.merge('dev', ref), 'BranchNotFoundError');
    await expectRefused(() => repo.deleteBranch(ref), 'BranchNotFoundError');
    await expectRefused(() => repo.resetStaging(ref), 'BranchNotFoundError');
    await expectRefused(() => repo.setAlias('alias2', ref), 'RefNotFoundError');
  });

  it('a tag or a commit is not a write target (NotABranchError)', async () => {
    const head = (await repo.resolve('main')).commit;
    for (const ref of ['v1', head, 'main~1']) {
      await expectRefused(() => repo.putObject(ref, 'a/z', enc('z')), 'NotABranchError');
      await expectRefused(
        () => repo.commit(ref, { message: 'm', allowEmpty: true }),
        'NotABranchError',
      );
      await expectRefused(() => repo.merge('dev', ref), 'NotABranchError');
    }
    await expectRefused(() => repo.setAlias('alias2', 'v1'), 'NotABranchError');
  });
});

describe('unsafe paths', () => {
  it.each(BAD_PATHS)(
    '%j is refused by every path-taking operation (InvalidPathError)',
    async (path) => {
      await expectRefused(() => repo.putObject('wip', path, enc('x')), 'InvalidPathError');
      await expectRefused(() => repo.deleteObjects('main', [path]), 'InvalidPathError');
      await expectRefused(
        () => repo.deleteObjects('main', [path], { recursive: true }),
        'InvalidPathError',
      );
      await expectRefused(() => repo.getObject('main', path), 'InvalidPathError');
      await expectRefused(() => repo.stat('main', path), 'InvalidPathError');
      await expectRefused(() => repo.resetStaging('wip', { path }), 'InvalidPathError');
    },
  );

  it('a batch with one invalid path stages none of it and stores nothing', async () => {
    for (const bad of BAD_PATHS) {
      await expectRefused(
        () =>
          repo.putObjects('wip', [
            { path: 'ok/1', body: enc('fine') },
            { path: 'ok/2', body: enc('fine too') },
            { path: bad, body: enc('bad') },
          ]),
        'InvalidPathError',
      );
    }
    await expectRefused(
      () =>
        repo.putObjects('wip', [
          { path: 'ok/1', body: enc('one') },
          { path: 'ok/1', body: enc('twice') },
        ]),
      'InvalidArgumentError',
    );
    // A delete batch is all or nothing too.
    await expectRefused(
      () => repo.deleteObjects('main', ['a/x', 'missing/path']),
      'PathNotFoundError',
    );
  });
});

describe('refused operations', () => {
  it('an empty commit is refused (EmptyCommitError)', async () => {
    await expectRefused(() => repo.commit('main', { message: 'nothing' }), 'EmptyCommitError');
    await expectRefused(() => repo.commit('prod', { message: 'nothing' }), 'EmptyCommitError');
  });

  it('the default branch cannot be deleted (DefaultBranchError), nor an alias target', async () => {
    await expectRefused(() => repo.deleteBranch('main'), 'DefaultBranchError');
    await expectRefused(() => repo.deleteBranch('prod'), 'DefaultBranchError');
    await repo.setAlias('staging-env', 'dev');
    await expectRefused(() => repo.deleteBranch('dev'), 'AliasTargetError');
  });

  it('a conflicting merge is refused (MergeConflictError) and changes nothing', async () => {
    const before = await snapshot(repo);
    const err = await repo.merge('dev', 'main').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MergeConflictError',
      data: { count: 1, conflicts: [{ path: 'a/x', source: 'changed', destination: 'changed' }] },
    });
    expect(await snapshot(repo)).toEqual(before);
    await expectRefused(() => repo.merge('main', 'dev'), 'MergeConflictError');
    await expectRefused(() => repo.merge('dev', 'prod'), 'MergeConflictError');
  });

  it('merge, revert and cherry-pick refuse a branch with uncommitted changes (UncommittedChangesError)', async () => {
    const base = (await repo.resolve('main~1')).commit;
    await expectRefused(() => repo.merge('main', 'wip'), 'UncommittedChangesError');
    await expectRefused(() => repo.revert('wip', base), 'UncommittedChangesError');
    await expectRefused(() => repo.cherryPick('wip', 'dev'), 'UncommittedChangesError');
  });
});

describe('corrupted objects on disk', () => {
  const objectsDir = (): string => join(dir, '.sluice', 'objects');

  /** Flips one byte of the stored file (same length), as bit rot would. */
  function damage(key: string, at = 0): void {
    const file = join(objectsDir(), key);
    const bytes = readFileSync(file);
    const i = Math.min(at, bytes.length - 1);
    bytes[i] = (bytes[i] as number) ^ 0x01;
    writeFileSync(file, bytes);
  }

  /** A fresh instance: nothing cached from before the damage. */
  async function reopen(): Promise<Repository> {
    await repo.close();
    repo = await openRepository(dir);
    return repo;
  }

  it('a damaged data object fails reads and fsck with ObjectCorruptedError', async () => {
    const entry = await repo.stat('main', 'a/y');
    expect(entry.physical).toBeUndefined();
    damage(`data/${entry.address.slice(0, 2)}/${entry.address}`);
    const r = await reopen();
    await expect(r.getObject('main', 'a/y')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    await expect(r.getObject('v1', 'a/y')).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    // A small object is read whole and verified at open; a large one fails at its stream's end.
    const read = r.openObject('main', 'a/y').then(({ stream }) => collect(stream));
    await expect(read).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    // Other objects are unaffected.
    expect(dec(await r.getObject('main', 'a/x'))).toBe('main');
    const report = await r.fsck();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'object', id: entry.address }),
    ]);
  });

  it('a damaged range (tree node) fails reads and fsck with ObjectCorruptedError', async () => {
    const head = await repo.getCommit('main');
    const nodes = (await collect(repo.store.list('ranges/'))).map((o) => o.key);
    const rootKey = `ranges/${head.tree.slice(0, 2)}/${head.tree}`;
    expect(nodes).toContain(rootKey);
    damage(rootKey, 20);
    const r = await reopen();
    await expect(r.getObject('main', 'a/x')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    await expect(collect(r.list('v1'))).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    const report = await r.fsck();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'node', id: head.tree }),
    );
  });

  it('fsck names a staged entry whose object is missing (branch and path), with and without data', async () => {
    const entry = await repo.stat('wip', 'w/1');
    const key = entry.physical
      ? `packs/${entry.physical.split(':')[1]?.slice(0, 2)}/${entry.physical.split(':')[1]}`
      : `data/${entry.address.slice(0, 2)}/${entry.address}`;
    rmSync(join(objectsDir(), key));
    const r = await reopen();
    for (const verifyData of [true, false]) {
      const report = await r.fsck({ verifyData });
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        expect.objectContaining({ code: 'ObjectNotFoundError', kind: 'staged', id: 'wip:w/1' }),
      ]);
      expect(report.problems[0]?.message).toMatch(/^staged w\/1 on branch wip names object /);
    }
  });

  it('a damaged pack fails reads of the objects in it, and fsck, with ObjectCorruptedError', async () => {
    const entry = await repo.stat('main', 'p/2');
    const m = /^pack:([0-9a-f]{64}):(\d+)$/.exec(entry.physical ?? '');
    expect(m, `p/2 is packed (physical ${entry.physical})`).not.toBeNull();
    const [, packId, offset] = m as RegExpExecArray;
    damage(`packs/${(packId as string).slice(0, 2)}/${packId}`, Number(offset) + 1);
    const r = await reopen();
    await expect(r.getObject('main', 'p/2')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    expect(dec(await r.getObject('main', 'p/1'))).toBe('packed one');
    const report = await r.fsck();
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'object', id: entry.address }),
    ]);
  });
});
