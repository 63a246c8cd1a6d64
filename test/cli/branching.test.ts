// End to end through the built CLI: branches, merges (fast-forward, true merge, conflicts and
// strategies), revert, cherry-pick, branch reset, tags, aliases and show — on one shared history.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

describe('branches, merges and refs', () => {
  const root = tempDir();
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  let n = 0;
  /** Stages `content` at `path` on `branch` (through a fresh local file). */
  const put = async (path: string, content: string, branch = 'main'): Promise<void> => {
    const file = join(root, `f${n++}`);
    writeFileSync(file, content);
    const r = await sluice(['put', file, path, '-b', branch, '-q']);
    expect(r.code, r.stderr).toBe(0);
  };
  const commit = async (message: string, branch = 'main'): Promise<string> => {
    const r = await sluice(['--json', 'commit', '-m', message, '-b', branch]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.json.commit.id;
  };
  const head = async (ref = 'main'): Promise<string> =>
    (await sluice(['--json', 'log', '-n', '1', ref])).json.commits[0].id;
  const cat = async (path: string, ref = 'main'): Promise<string> =>
    (await sluice(['cat', path, '--ref', ref])).stdout;

  beforeAll(async () => {
    await buildOnce();
    expect((await runCli(['init', repo, '-q'])).code).toBe(0);
    await put('a.csv', 'a1\n');
    await put('b.csv', 'b1\n');
    await commit('base');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('branch create / list; bad or taken names are refused', async () => {
    const created = await sluice(['--json', 'branch', 'create', 'feature']);
    expect(created.json.branch).toMatchObject({ name: 'feature', isDefault: false });
    expect((await sluice(['branch', 'create', 'old', '--from', 'main~1'])).code).toBe(0);

    expectError(await sluice(['--json', 'branch', 'create', 'bad name']), 1, 'InvalidNameError');
    expectError(
      await sluice(['--json', 'branch', 'create', 'feature']),
      2,
      'RefAlreadyExistsError',
    );
    expectError(
      await sluice(['--json', 'branch', 'create', 'x', '--from', 'nope']),
      3,
      'RefNotFoundError',
    );

    const list = await sluice(['branch', 'list']);
    expect(list.stdout).toMatch(
      /^ {3}feature {2}[0-9a-f]{12}\n\* {2}main {5}[0-9a-f]{12}\n {3}old {6}[0-9a-f]{12}\n$/,
    );
    const json = await sluice(['--json', 'branch', 'list']);
    expect(json.json.branches.map((b: { name: string }) => b.name)).toEqual([
      'feature',
      'main',
      'old',
    ]);
  });

  it('merge: fast-forward, then up to date', async () => {
    await put('a.csv', 'a2\n', 'feature');
    const feature = await commit('feature edits a', 'feature');
    const ff = await sluice(['--json', 'merge', 'feature', '--into', 'main']);
    expect(ff.json.merge).toMatchObject({
      fastForward: true,
      upToDate: false,
      commit: { id: feature },
    });
    expect(await head()).toBe(feature);
    const again = await sluice(['merge', 'feature']);
    expect(again.stdout).toBe('already up to date: main contains feature\n');
  });

  it('merge -b DEST, as every write takes -b; --into is the same option; both must agree', async () => {
    for (const b of ['dest-b', 'src-b'])
      expect((await sluice(['branch', 'create', b, '-q'])).code).toBe(0);
    await put('g.csv', 'g1\n', 'src-b');
    const landed = await commit('src-b adds g', 'src-b');
    const byB = await sluice(['--json', 'merge', 'src-b', '-b', 'dest-b']);
    expect(byB.json.merge).toMatchObject({ destination: 'dest-b', commit: { id: landed } });
    expect(await head('dest-b')).toBe(landed);
    const both = await sluice(['--json', 'merge', 'src-b', '--branch', 'dest-b', '--into', 'main']);
    expectError(both, 1, 'InvalidArgumentError');
    expect(both.json.error.message).toContain('--branch dest-b and --into main');
    const same = await sluice([
      '--json',
      'merge',
      'src-b',
      '--branch',
      'dest-b',
      '--into',
      'dest-b',
    ]);
    expect(same.json.merge.upToDate).toBe(true);
    for (const b of ['dest-b', 'src-b'])
      expect((await sluice(['branch', 'delete', b, '-q'])).code).toBe(0);
  });

  it('merge: a true merge commit, and --no-ff', async () => {
    await put('c.csv', 'c1\n');
    const mainHead = await commit('main adds c');
    await put('d.csv', 'd1\n', 'feature');
    const featureHead = await commit('feature adds d', 'feature');
    const merged = await sluice([
      '--json',
      'merge',
      'feature',
      '--into',
      'main',
      '-m',
      'merge feature',
    ]);
    expect(merged.json.merge).toMatchObject({ fastForward: false, applied: 1 });
    expect(merged.json.merge.commit).toMatchObject({
      message: 'merge feature',
      parents: [mainHead, featureHead],
    });
    expect(await cat('d.csv')).toBe('d1\n');

    expect((await sluice(['branch', 'create', 'side'])).code).toBe(0);
    await put('e.csv', 'e1\n', 'side');
    await commit('side adds e', 'side');
    const noff = await sluice(['--json', 'merge', 'side', '--no-ff']);
    expect(noff.json.merge.fastForward).toBe(false);
    expect(noff.json.merge.commit.parents).toHaveLength(2);
  });

  it('merge conflict: exit 2 listing the paths, nothing changes; strategies resolve it', async () => {
    await put('b.csv', 'b-main\n');
    const before = await commit('main edits b');
    await put('b.csv', 'b-feature\n', 'feature');
    await commit('feature edits b', 'feature');

    const conflict = await sluice(['merge', 'feature', '--into', 'main']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('conflict: b.csv (source changed, destination changed)');
    const json = await sluice(['--json', 'merge', 'feature', '--into', 'main']);
    expectError(json, 2, 'MergeConflictError');
    expect(json.json.error.data.conflicts).toEqual([
      { path: 'b.csv', source: 'changed', destination: 'changed' },
    ]);
    expectError(
      await sluice(['--json', 'merge', 'feature', '--strategy', 'mine']),
      1,
      'InvalidArgumentError',
    );
    expect(await head()).toBe(before);

    const dest = await sluice(['--json', 'merge', 'feature', '--strategy', 'dest-wins']);
    expect(dest.json.merge.resolved).toEqual([
      { path: 'b.csv', source: 'changed', destination: 'changed' },
    ]);
    expect(await cat('b.csv')).toBe('b-main\n');

    const reset = await sluice(['--json', 'branch', 'reset', 'main', '--to', before]);
    expect(reset.json.branch.head).toBe(before);
    expect((await sluice(['merge', 'feature', '--strategy', 'source-wins'])).code).toBe(0);
    expect(await cat('b.csv')).toBe('b-feature\n');
    expectError(await sluice(['--json', 'branch', 'reset', 'main']), 1, 'InvalidArgumentError'); // --to is required
  });

  it('revert (a merge needs --parent) and cherry-pick', async () => {
    expectError(await sluice(['--json', 'revert', 'main']), 2, 'MergeCommitParentError');
    const reverted = await sluice(['--json', 'revert', 'main', '--parent', '1']);
    expect(reverted.code, reverted.stdout).toBe(0);
    expect(reverted.json.commit.message).toMatch(/^Revert "/);
    expect(await cat('b.csv')).toBe('b-main\n');
    expectError(
      await sluice(['--json', 'revert', 'main', '--parent', '0']),
      1,
      'InvalidArgumentError',
    );

    await put('f.csv', 'f1\n', 'old');
    const picked = await commit('old adds f', 'old');
    const pick = await sluice(['cherry-pick', picked]);
    expect(pick.stdout).toMatch(/^\[main [0-9a-f]{12}\] old adds f$/m);
    expect(await cat('f.csv')).toBe('f1\n');
    expectError(
      await sluice(['--json', 'cherry-pick', picked.slice(0, 10)]),
      2,
      'EmptyCommitError',
    );

    await put('g.csv', 'g\n');
    expectError(await sluice(['--json', 'revert', picked]), 2, 'UncommittedChangesError');
    expect((await sluice(['reset', '-q'])).code).toBe(0);
  });

  it('tags: create, list, read through, delete', async () => {
    const tagged = await head();
    const created = await sluice(['--json', 'tag', 'create', 'v1', 'main']);
    expect(created.json.tag).toMatchObject({ name: 'v1', commit: tagged });
    expectError(await sluice(['--json', 'tag', 'create', 'v1']), 2, 'RefAlreadyExistsError');
    expectError(await sluice(['--json', 'tag', 'create', 'main']), 2, 'RefAlreadyExistsError');
    expect((await sluice(['tag', 'list'])).stdout).toBe(`v1  ${tagged.slice(0, 12)}\n`);
    expect(await head('v1')).toBe(tagged);
    expectError(
      await sluice(['--json', 'put', join(root, 'f0'), 'x.csv', '-b', 'v1']),
      2,
      'NotABranchError',
    );
    expect((await sluice(['tag', 'delete', 'v1'])).code).toBe(0);
    expectError(await sluice(['--json', 'tag', 'delete', 'v1']), 3, 'TagNotFoundError');
  });

  it('aliases: set, flip, read and write through, protect their target', async () => {
    const set = await sluice(['--json', 'alias', 'set', 'prod', 'main']);
    expect(set.json.alias).toEqual({ name: 'prod', target: 'main', previous: null });
    const flip = await sluice(['alias', 'set', 'prod', 'side']);
    expect(flip.stdout).toBe('alias prod → side (was main)\n');
    expect((await sluice(['--json', 'alias', 'list'])).json.aliases).toEqual([
      expect.objectContaining({ name: 'prod', target: 'side' }),
    ]);
    expect(await cat('e.csv', 'prod')).toBe('e1\n');
    expectError(await sluice(['--json', 'branch', 'delete', 'side']), 2, 'AliasTargetError');
    expectError(await sluice(['--json', 'alias', 'set', 'prod', 'nope']), 3, 'RefNotFoundError');
    expect((await sluice(['alias', 'delete', 'prod'])).code).toBe(0);
    expectError(await sluice(['--json', 'alias', 'delete', 'prod']), 3, 'AliasNotFoundError');
  });

  it('branch delete: not the default branch, not a missing one', async () => {
    expectError(await sluice(['--json', 'branch', 'delete', 'main']), 2, 'DefaultBranchError');
    expectError(await sluice(['--json', 'branch', 'delete', 'nope']), 3, 'BranchNotFoundError');
    expect((await sluice(['branch', 'delete', 'side'])).stdout).toBe('deleted branch side\n');
    const list = await sluice(['--json', 'branch', 'list']);
    expect(list.json.branches.map((b: { name: string }) => b.name)).toEqual([
      'feature',
      'main',
      'old',
    ]);
  });

  it('show: a commit and its changes against its first parent', async () => {
    const show = await sluice(['show', 'main']);
    expect(show.stdout).toMatch(/^commit [0-9a-f]{64}\nCommitter: tester\n/);
    expect(show.stdout).toContain('    old adds f\n');
    expect(show.stdout).toMatch(/\+ f\.csv\n1 change\(s\): 1 added, 0 removed, 0 changed\n$/);
    const json = await sluice(['--json', 'show', 'main~1']);
    expect(json.json.commit.message).toMatch(/^Revert/);
    expect(json.json.changes).toEqual([
      expect.objectContaining({ type: 'changed', path: 'b.csv' }),
    ]);
  });
});
