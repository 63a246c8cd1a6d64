// End to end through the built CLI: init, put/get/cat/ls/rm, status, commit, log, diff, and the
// exit codes and JSON errors of bad input — which must leave the repository unchanged.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
const temp = (): string => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

describe('init', () => {
  it('creates a repository with branch main and refuses to init twice', async () => {
    const dir = join(temp(), 'repo');
    const first = await runCli(['--json', 'init', dir]);
    expect(first.code).toBe(0);
    expect(first.json.repository).toMatchObject({ path: dir, defaultBranch: 'main', name: 'repo' });

    expectError(await runCli(['--json', 'init', dir]), 2, 'RepositoryAlreadyExistsError');
    const human = await runCli(['init', dir]);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^error: .*already a sluice repository/);

    // Found by walking up from a subdirectory, without --repo or $SLUICE_REPO.
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const list = await runCli(['--json', 'branch', 'list'], { cwd: join(dir, 'sub', 'deeper') });
    expect(list.code).toBe(0);
    expect(list.json.branches).toEqual([
      expect.objectContaining({ name: 'main', isDefault: true }),
    ]);
  });

  it('outside a repository: exit 3 with RepositoryNotFoundError', async () => {
    const r = await runCli(['--json', 'status'], { cwd: temp() });
    expectError(r, 3, 'RepositoryNotFoundError');
  });
});

describe('objects and commits', () => {
  const root = temp();
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  const src = join(root, 'src');
  const state = async (): Promise<unknown> => [
    (await sluice(['--json', 'status'])).json,
    (await sluice(['--json', 'log'])).json,
  ];

  beforeAll(async () => {
    expect((await runCli(['init', repo, '--quiet'])).code).toBe(0);
    mkdirSync(join(src, 'data', 'a', 'b'), { recursive: true });
    writeFileSync(join(src, 'data', 'top.csv'), 'id\n1\n');
    writeFileSync(join(src, 'data', 'a', 'one.csv'), 'id\n1\n2\n');
    writeFileSync(join(src, 'data', 'a', 'b', 'two.json'), '{"x":2}\n');
    writeFileSync(join(src, 'outside.txt'), 'linked file\n');
    symlinkSync(join(src, 'outside.txt'), join(src, 'data', 'link.txt'));
    symlinkSync(join(src, 'data', 'a'), join(src, 'data', 'a', 'b', 'loop'));
    writeFileSync(join(src, 'single.txt'), 'hello\n');
  });

  it('put: a file at a path, into a prefix, and a directory recursively (links outside it and loops skipped)', async () => {
    const one = await sluice([
      '--json',
      'put',
      join(src, 'single.txt'),
      'docs/readme.txt',
      '--meta',
      'owner=ada',
    ]);
    expect(one.code).toBe(0);
    expect(one.json).toMatchObject({ branch: 'main', objects: 1, bytes: 6 });
    expect(one.json.entries[0]).toMatchObject({
      path: 'docs/readme.txt',
      size: 6,
      contentType: 'text/plain',
    });

    const into = await sluice(['put', join(src, 'single.txt'), 'docs/']);
    expect(into.code).toBe(0);
    expect(into.stdout).toContain('docs/single.txt');

    const dir = await sluice([
      '--json',
      'put',
      join(src, 'data'),
      'raw/',
      '--content-type',
      'text/csv',
    ]);
    expect(dir.code, dir.stderr).toBe(0);
    expect(dir.json.entries.map((e: { path: string }) => e.path)).toEqual([
      'raw/a/b/two.json',
      'raw/a/one.csv',
      'raw/top.csv',
    ]);
    expect(
      dir.json.entries.every((e: { contentType: string }) => e.contentType === 'text/csv'),
    ).toBe(true);
    expect(dir.stderr).toMatch(/warning: skipping .*loop: the link loops back/);
    // link.txt leads outside data/: not read without --follow-symlinks, and said so.
    expect(dir.json.skipped).toEqual([
      { file: join(src, 'data', 'a', 'b', 'loop'), reason: 'loop', target: join(src, 'data', 'a') },
      { file: join(src, 'data', 'link.txt'), reason: 'outside', target: join(src, 'outside.txt') },
    ]);
    expect(dir.stderr).toMatch(
      /warning: skipping .*link\.txt: the link leads outside .*--follow-symlinks/,
    );

    const followed = await sluice([
      '--json',
      'put',
      join(src, 'data'),
      'raw/',
      '--follow-symlinks',
    ]);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.json.entries.map((e: { path: string }) => e.path)).toContain('raw/link.txt');
    expect(followed.json.skipped.map((s: { reason: string }) => s.reason)).toEqual(['loop']);

    const status = await sluice(['--json', 'status']);
    expect(status.json.counts).toEqual({ added: 6, removed: 0, changed: 0, total: 6 });
    const human = await sluice(['status']);
    expect(human.stdout).toContain('+ raw/a/one.csv');
    expect(human.stdout).toContain('6 change(s): 6 added, 0 removed, 0 changed');
  });

  it('put: a missing source stages nothing; a bad destination is refused before reading', async () => {
    const before = await state();
    expectError(await sluice(['--json', 'put', join(root, 'nope'), 'x']), 3, 'FileNotFoundError');
    expectError(
      await sluice(['--json', 'put', join(src, 'single.txt'), '../escape.txt']),
      1,
      'InvalidPathError',
    );
    expectError(
      await sluice(['--json', 'put', join(src, 'single.txt'), '/abs.txt']),
      1,
      'InvalidPathError',
    );
    expectError(
      await sluice(['--json', 'put', join(src, 'single.txt'), 'x', '--meta', 'novalue']),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await sluice(['--json', 'put', join(src, 'single.txt'), 'x', '-b', 'nobranch']),
      3,
      'BranchNotFoundError',
    );
    expect(await state()).toEqual(before);
  });

  it('commit; an empty commit is refused unless --allow-empty', async () => {
    const c = await sluice(['--json', 'commit', '-m', 'first load', '--meta', 'source=test']);
    expect(c.code).toBe(0);
    expect(c.json.commit).toMatchObject({
      message: 'first load',
      committer: 'tester',
      metadata: { source: 'test' },
    });

    const before = await state();
    expectError(await sluice(['--json', 'commit', '-m', 'nothing']), 2, 'EmptyCommitError');
    expectError(await sluice(['--json', 'commit']), 1, 'InvalidArgumentError'); // -m is required
    expectError(
      await sluice(['--json', 'commit', '-m', 'x', '--meta', '=v']),
      1,
      'InvalidArgumentError',
    );
    expect(await state()).toEqual(before);

    const allowed = await sluice(['commit', '-m', 'checkpoint', '--allow-empty', '-b', 'main']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^\[main [0-9a-f]{12}\] checkpoint$/m);
  });

  it('ls, cat and get read objects at a ref', async () => {
    const top = await sluice(['ls']);
    expect(top.code).toBe(0);
    expect(
      top.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).pop()),
    ).toEqual(['docs/', 'raw/']);

    const raw = await sluice(['--json', 'ls', 'raw']);
    expect(raw.json.entries).toEqual([
      { type: 'prefix', path: 'raw/a/' },
      expect.objectContaining({ type: 'object', path: 'raw/link.txt', size: 12 }),
      expect.objectContaining({ type: 'object', path: 'raw/top.csv', size: 5 }),
    ]);
    const all = await sluice(['ls', '-r', 'raw/']);
    expect(all.stdout).toMatch(/^\s*8\s+[0-9a-f]{12}\s+raw\/a\/b\/two\.json$/m);
    expectError(await sluice(['--json', 'ls', 'missing']), 3, 'PathNotFoundError');

    const cat = await sluice(['cat', 'raw/a/one.csv']);
    expect(cat.stdout).toBe('id\n1\n2\n');
    const catJson = await sluice(['--json', 'cat', 'docs/readme.txt']);
    expect(catJson.json).toMatchObject({
      encoding: 'utf8',
      content: 'hello\n',
      entry: { metadata: { owner: 'ada' } },
    });
    expectError(await sluice(['--json', 'cat', 'raw/nope.csv']), 3, 'PathNotFoundError');
    expectError(await sluice(['--json', 'cat', '/etc/passwd']), 1, 'InvalidPathError');
    expectError(
      await sluice(['--json', 'cat', 'raw/top.csv', '--ref', 'nope']),
      3,
      'RefNotFoundError',
    );

    const out = temp();
    const got = await sluice(['get', 'raw/top.csv', join(out, 'copy.csv')]);
    expect(got.code).toBe(0);
    expect(readFileSync(join(out, 'copy.csv'), 'utf8')).toBe('id\n1\n');
    expect((await sluice(['get', 'raw/a/b/two.json', out, '--ref', 'main~1'])).code).toBe(0);
    expect(readFileSync(join(out, 'two.json'), 'utf8')).toBe('{"x":2}\n');
  });

  it('rm stages deletions (-r for prefixes); a missing path changes nothing', async () => {
    const before = await state();
    expectError(
      await sluice(['--json', 'rm', 'raw/top.csv', 'raw/missing.csv']),
      3,
      'PathNotFoundError',
    );
    expectError(await sluice(['--json', 'rm', 'raw/a']), 3, 'PathNotFoundError'); // a prefix needs -r
    expect(await state()).toEqual(before);

    const rm = await sluice(['--json', 'rm', '-r', 'raw/a', 'docs/single.txt']);
    expect(rm.code).toBe(0);
    expect([...rm.json.removed].sort()).toEqual([
      'docs/single.txt',
      'raw/a/b/two.json',
      'raw/a/one.csv',
    ]);
    const diff = await sluice(['diff']);
    expect(diff.stdout).toBe(
      '- docs/single.txt\n- raw/a/b/two.json\n- raw/a/one.csv\n3 change(s): 0 added, 3 removed, 0 changed\n',
    );
    expect((await sluice(['commit', '-m', 'drop a'])).code).toBe(0);
  });

  it('log with -n, --path and --oneline; bad -n is a usage error', async () => {
    const log = await sluice(['--json', 'log']);
    expect(log.json.commits.map((c: { message: string }) => c.message)).toEqual([
      'drop a',
      'checkpoint',
      'first load',
      'Repository created',
    ]);
    const two = await sluice(['--json', 'log', '-n', '2']);
    expect(two.json.commits).toHaveLength(2);
    const byPath = await sluice(['--json', 'log', '--path', 'raw/a']);
    expect(byPath.json.commits.map((c: { message: string }) => c.message)).toEqual([
      'drop a',
      'first load',
    ]);
    const oneline = await sluice(['log', '--oneline', '-n', '1']);
    expect(oneline.stdout).toMatch(/^[0-9a-f]{12} drop a\n$/);
    const full = await sluice(['log', '-n', '1', 'main']);
    expect(full.stdout).toMatch(
      /^commit [0-9a-f]{64}\nCommitter: tester\nDate: .*\n\n {4}drop a\n$/,
    );

    expectError(await sluice(['--json', 'log', '-n', '0']), 1, 'InvalidArgumentError');
    expectError(await sluice(['--json', 'log', '-n', 'x']), 1, 'InvalidArgumentError');
    expectError(await sluice(['--json', 'log', 'main~10']), 3, 'RefNotFoundError');
    expectError(await sluice(['--json', 'log', '--path', '../x']), 1, 'InvalidPathError');
  });

  it('diff: uncommitted changes, LEFT vs the branch head, LEFT vs RIGHT, with --prefix', async () => {
    writeFileSync(join(src, 'top2.csv'), 'id\n9\n');
    expect((await sluice(['put', join(src, 'top2.csv'), 'raw/top.csv'])).code).toBe(0);
    const staged = await sluice(['--json', 'diff']);
    expect(staged.json).toMatchObject({
      branch: 'main',
      uncommitted: true,
      counts: { changed: 1, total: 1 },
    });
    expect(staged.json.changes[0]).toMatchObject({ type: 'changed', path: 'raw/top.csv' });

    const oneArg = await sluice(['diff', 'main~3']);
    expect(oneArg.stdout).toBe(
      '+ docs/readme.txt\n+ raw/link.txt\n+ raw/top.csv\n3 change(s): 3 added, 0 removed, 0 changed\n',
    );
    const twoArgs = await sluice(['--json', 'diff', 'main', 'main~1', '--prefix', 'raw/']);
    expect(
      twoArgs.json.changes.map((c: { type: string; path: string }) => `${c.type} ${c.path}`),
    ).toEqual(['added raw/a/b/two.json', 'added raw/a/one.csv']);
    const none = await sluice(['diff', 'main', 'main']);
    expect(none.stdout).toBe('no changes\n');
    expectError(await sluice(['--json', 'diff', 'nope']), 3, 'RefNotFoundError');
  });

  it('reset discards staged changes, all or under a path', async () => {
    writeFileSync(join(src, 'extra.csv'), 'e\n');
    expect((await sluice(['put', join(src, 'extra.csv'), 'more/extra.csv'])).code).toBe(0);
    const some = await sluice(['--json', 'reset', 'more']);
    expect(some.json).toMatchObject({ branch: 'main', path: 'more', discarded: 1 });
    const rest = await sluice(['--json', 'reset']);
    expect(rest.json.discarded).toBe(1); // raw/top.csv from the diff test
    expect((await sluice(['--json', 'status'])).json.counts.total).toBe(0);
    expect(existsSync(join(src, 'extra.csv'))).toBe(true);
  });
});

describe('put DIR and symbolic links', () => {
  // DIR's links: inside it followed (the target's bytes at the link's path), outside it skipped
  // unless --follow-symlinks, dangling ones skipped and reported — never the end of the put.
  it('reads nothing outside DIR without --follow-symlinks; a dangling link is skipped, not fatal', async () => {
    const root = temp();
    const repo = join(root, 'repo');
    const sluice = cliFor(repo);
    expect((await runCli(['init', repo, '--quiet'])).code).toBe(0);
    const dir = join(root, 'dir');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(root, 'private'));
    writeFileSync(join(root, 'private', 'secret.txt'), 'SECRET\n');
    writeFileSync(join(dir, 'a.csv'), 'a\n1\n');
    writeFileSync(join(dir, 'sub', 'b.csv'), 'b\n2\n');
    symlinkSync('a.csv', join(dir, 'inside.csv')); // relative, inside
    symlinkSync(join(dir, 'sub'), join(dir, 'sub-link')); // a directory inside
    symlinkSync('../private/secret.txt', join(dir, 'escape.txt')); // relative, outside
    symlinkSync(join(root, 'private'), join(dir, 'private-dir')); // a directory outside
    symlinkSync(join(dir, 'gone.csv'), join(dir, 'dangling.csv'));

    const r = await sluice(['--json', 'put', dir, 'in/']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.entries.map((e: { path: string }) => e.path)).toEqual([
      'in/a.csv',
      'in/inside.csv',
      'in/sub-link/b.csv',
      'in/sub/b.csv',
    ]);
    expect(r.json.skipped).toEqual([
      { file: join(dir, 'dangling.csv'), reason: 'dangling', target: join(dir, 'gone.csv') },
      {
        file: join(dir, 'escape.txt'),
        reason: 'outside',
        target: join(root, 'private', 'secret.txt'),
      },
      { file: join(dir, 'private-dir'), reason: 'outside', target: join(root, 'private') },
    ]);
    expect(r.stderr).toMatch(
      /warning: skipping .*dangling\.csv: the link's target .* does not exist/,
    );
    const inside = await sluice(['cat', 'in/inside.csv']);
    expect(inside.stdout).toBe('a\n1\n');
    const listed = await sluice(['--json', 'ls', '-r', 'in/']);
    expect(JSON.stringify(listed.json)).not.toContain('secret');

    // Human output says the same on stderr; the put still succeeds.
    const human = await sluice(['put', dir, 'again/']);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/skipping .*escape\.txt: the link leads outside/);

    const all = await sluice(['--json', 'put', dir, 'all/', '--follow-symlinks']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.json.entries.map((e: { path: string }) => e.path)).toEqual([
      'all/a.csv',
      'all/escape.txt',
      'all/inside.csv',
      'all/private-dir/secret.txt',
      'all/sub-link/b.csv',
      'all/sub/b.csv',
    ]);
    expect(all.json.skipped.map((s: { reason: string }) => s.reason)).toEqual(['dangling']);
  });
});

describe('usage errors', () => {
  it('unknown commands and options, missing arguments: exit 1, JSON error under --json', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown command 'frobnicate'/);
    expectError(await runCli(['--json', 'log', '--bogus']), 1, 'InvalidArgumentError');
    expectError(await runCli(['--json', 'branch', 'create']), 1, 'InvalidArgumentError');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: sluice');
  });
});
