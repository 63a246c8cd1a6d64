// End to end through the built CLI: sandbox create (from main, from a tag, with a TTL), list
// (table and --json), writes on a sandbox that leave main alone, delete, the exit codes and stable
// error codes of bad input — and `sluice gc` removing an expired sandbox before it collects.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

function ok(r: CliResult): CliResult {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
}

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

describe('sandboxes through the CLI', () => {
  const root = tempDir('sluice-cli-sandbox-');
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  const file = (name: string, text: string): string => {
    const p = join(root, name);
    writeFileSync(p, text);
    return p;
  };
  const names = async (): Promise<string[]> =>
    ok(await sluice(['--json', 'sandbox', 'list'])).json.sandboxes.map(
      (s: { name: string }) => s.name,
    );

  beforeAll(async () => {
    await buildOnce();
    ok(await runCli(['init', repo, '-q']));
    ok(
      await sluice([
        'ingest',
        file('orders.csv', 'id,amount\n1,10\n2,20\n'),
        '--table',
        'orders',
        '--commit',
        '-q',
      ]),
    );
    ok(await sluice(['tag', 'create', 'v1', 'main', '-q']));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('create prints the branch and the next step; list shows it; writes change only it', async () => {
    const created = ok(await sluice(['sandbox', 'create', 'feat-x', '--ttl', '7d']));
    expect(created.stdout).toMatch(
      /^created sandbox feat-x: branch sandbox\/feat-x at [0-9a-f]{12} \(from main\), expires \d{4}-/,
    );
    expect(created.stdout).toContain('sluice sql --ref sandbox/feat-x');

    const fromTag = ok(await sluice(['--json', 'sandbox', 'create', 'at-v1', '--from', 'v1']));
    const mainHead = ok(await sluice(['--json', 'log', '-n', '1'])).json.commits[0].id;
    expect(fromTag.json.sandbox).toMatchObject({
      name: 'at-v1',
      branch: 'sandbox/at-v1',
      from: 'v1',
      fromCommit: mainHead,
      owner: 'tester',
      expiresAt: null,
    });

    // A model run on the sandbox: only the sandbox sees it.
    ok(
      await sluice([
        'ingest',
        file('more.csv', 'id,amount\n3,30\n'),
        '--table',
        'orders',
        '-b',
        'sandbox/feat-x',
        '--commit',
        '-q',
      ]),
    );
    const count = async (ref: string): Promise<string> =>
      ok(await sluice(['sql', 'SELECT count(*) AS n FROM orders', '--ref', ref, '--format', 'csv']))
        .stdout;
    expect(await count('sandbox/feat-x')).toBe('n\n3\n');
    expect(await count('main')).toBe('n\n2\n');
    expect(ok(await sluice(['--json', 'log', '-n', '1'])).json.commits[0].id).toBe(mainHead);

    ok(await sluice(['put', file('wip.csv', 'wip\n'), 'wip.csv', '-b', 'sandbox/at-v1', '-q']));
    const list = ok(await sluice(['sandbox', 'list']));
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +BRANCH +OWNER +FROM +AGE +EXPIRES +STATUS$/);
    expect(lines[1]).toMatch(
      /^at-v1 +sandbox\/at-v1 +tester +v1@[0-9a-f]{12} +\S+ +never +active, uncommitted changes$/,
    );
    expect(lines[2]).toMatch(
      /^feat-x +sandbox\/feat-x +tester +main@[0-9a-f]{12} +\S+ +in 6d 23h +active$/,
    );
    expect(lines).toHaveLength(3);

    const json = ok(await sluice(['--json', 'sandbox', 'list'])).json.sandboxes;
    expect(
      json.map((s: { name: string; state: string; uncommitted: boolean }) => [
        s.name,
        s.state,
        s.uncommitted,
      ]),
    ).toEqual([
      ['at-v1', 'active', true],
      ['feat-x', 'active', false],
    ]);
    expect(json[1].head).not.toBe(mainHead);
  });

  it('create --private records the flag; list shows it', async () => {
    const made = ok(await sluice(['--json', 'sandbox', 'create', 'mine', '--private']));
    expect(made.json.sandbox).toMatchObject({ name: 'mine', owner: 'tester', private: true });
    const listed = ok(await sluice(['--json', 'sandbox', 'list'])).json.sandboxes;
    expect(
      listed.map((s: { name: string; private: boolean }) => [s.name, s.private]),
    ).toContainEqual(['mine', true]);
    expect(listed.filter((s: { private: boolean }) => s.private)).toHaveLength(1);
    expect(ok(await sluice(['sandbox', 'list'])).stdout).toMatch(
      /^mine +sandbox\/mine +tester \(private\) /m,
    );
    ok(await sluice(['sandbox', 'delete', 'mine', '-q']));
  });

  it('refuses bad names, bad TTLs, duplicates and unknown refs with stable codes', async () => {
    ok(await sluice(['sandbox', 'create', 'dup', '-q']));
    expectError(await sluice(['--json', 'sandbox', 'create', 'a/b']), 1, 'InvalidNameError');
    expectError(await sluice(['--json', 'sandbox', 'create', 'bad name']), 1, 'InvalidNameError');
    expectError(
      await sluice(['--json', 'sandbox', 'create', 'ttl', '--ttl', 'soon']),
      1,
      'InvalidArgumentError',
    );
    expectError(await sluice(['--json', 'sandbox', 'create', 'dup']), 2, 'RefAlreadyExistsError');
    expectError(
      await sluice(['--json', 'sandbox', 'create', 'lost', '--from', 'nope']),
      3,
      'RefNotFoundError',
    );
    expect(await names()).not.toContain('ttl');
    expect(await names()).not.toContain('lost');
    const branches = ok(await sluice(['--json', 'branch', 'list'])).json.branches.map(
      (b: { name: string }) => b.name,
    );
    expect(branches).not.toContain('sandbox/lost');
    expect(branches).not.toContain('sandbox/ttl');
  });

  it('delete removes the branch and the record; an unknown name exits 3', async () => {
    ok(await sluice(['sandbox', 'create', 'doomed', '-q']));
    const del = ok(await sluice(['sandbox', 'delete', 'doomed']));
    expect(del.stdout).toBe('deleted sandbox doomed (branch sandbox/doomed)\n');
    expect(await names()).not.toContain('doomed');
    const branches = ok(await sluice(['--json', 'branch', 'list'])).json.branches;
    expect(branches.map((b: { name: string }) => b.name)).not.toContain('sandbox/doomed');
    expectError(await sluice(['--json', 'sandbox', 'delete', 'doomed']), 3, 'SandboxNotFoundError');

    // Branch deleted by hand: listed as missing, delete cleans the record.
    ok(await sluice(['sandbox', 'create', 'orphan', '-q']));
    ok(await sluice(['branch', 'delete', 'sandbox/orphan', '-q']));
    expect(ok(await sluice(['sandbox', 'list'])).stdout).toMatch(/^orphan .* missing \(/m);
    expect(ok(await sluice(['--json', 'sandbox', 'delete', 'orphan'])).json.deleted).toEqual({
      sandbox: 'orphan',
      branch: 'sandbox/orphan',
      branchDeleted: false,
    });
  });

  it('gc removes an expired sandbox (dry run first), then collects its data', async () => {
    const root2 = tempDir('sluice-cli-sandbox-gc-');
    const repo2 = join(root2, 'repo');
    const cli = cliFor(repo2);
    try {
      ok(await runCli(['init', repo2, '-q']));
      ok(await cli(['sandbox', 'create', 'brief', '--ttl', '1ms', '-q']));
      ok(await cli(['sandbox', 'create', 'lasting', '--ttl', '7d', '-q']));
      const put = ok(
        await cli([
          '--json',
          'put',
          file('scratch.csv', 'scratch\n'),
          'scratch.csv',
          '-b',
          'sandbox/brief',
        ]),
      );
      const address: string = put.json.entries[0].address;
      expect(address).toMatch(/^[0-9a-f]{64}$/);
      ok(await cli(['commit', '-m', 'scratch', '-b', 'sandbox/brief', '-q']));
      const blob = join(repo2, '.sluice', 'objects', 'data', address.slice(0, 2), address);
      expect(existsSync(blob)).toBe(true);
      await new Promise((r) => setTimeout(r, 5));

      const args = ['gc', '--retention-days', '0', '--grace-seconds', '0'];
      const dry = ok(await cli(['--json', ...args, '--dry-run']));
      expect(dry.json.sandboxes).toEqual({
        removed: [{ name: 'brief', branch: 'sandbox/brief', state: 'expired' }],
        failed: [],
      });
      expect(dry.json.gc.dryRun).toBe(true);
      expect(ok(await cli(['--json', 'sandbox', 'list'])).json.sandboxes).toHaveLength(2);

      const real = ok(await cli(args));
      expect(real.stdout).toMatch(
        /^removed 1 expired sandbox\(es\): brief\ndeleted 1 object\(s\) \(8 B\), \d+ node\(s\), 1 commit\(s\)\n/,
      );
      expect(existsSync(blob)).toBe(false);
      const left = ok(await cli(['--json', 'sandbox', 'list'])).json.sandboxes;
      expect(left.map((s: { name: string }) => s.name)).toEqual(['lasting']);
      const branches = ok(await cli(['--json', 'branch', 'list'])).json.branches;
      expect(branches.map((b: { name: string }) => b.name)).toEqual(['main', 'sandbox/lasting']);

      // Nothing expired: gc says nothing about sandboxes.
      const again = ok(await cli(args));
      expect(again.stdout).toMatch(/^deleted 0 object\(s\)/);
    } finally {
      rmSync(root2, { recursive: true, force: true });
    }
  });
});
