// The admin commands of `sluice serve`'s identities, end to end through the built CLI: bootstrap
// (once; --json is exactly the key), users, keys, groups and policies with their exit codes and
// stable error codes — and no secret anywhere but the one output that shows it: not in `key list`,
// not in an error, not in the event log, not in any file of the repository (where it is sealed).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Identities, requireServerKey } from '../../src/auth/index.js';
import { openRepository } from '../../src/index.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

function ok(r: CliResult): CliResult {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
}

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : d.isFile() ? [p] : [];
  });
}

describe('auth, user, key, group and policy through the CLI', () => {
  const root = tempDir('sluice-cli-auth-');
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  /** Every secret shown, and every output that must not show one. */
  const secrets: string[] = [];
  const outputs: string[] = [];
  const run = async (args: string[], input?: string): Promise<CliResult> => {
    const r = await sluice(args, input === undefined ? {} : { input });
    outputs.push(r.stdout + r.stderr);
    return r;
  };

  beforeAll(async () => {
    await buildOnce();
    ok(await runCli(['init', repo, '-q']));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('bootstrap prints the key once (--json: exactly the key), makes the server key, then refuses', async () => {
    const first = ok(await sluice(['auth', 'bootstrap', '--json']));
    expect(Object.keys(first.json).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(first.json.accessKeyId).toMatch(/^SLK[A-Z2-7]{17}$/);
    expect(first.json.secretAccessKey).toHaveLength(40);
    secrets.push(first.json.secretAccessKey);
    expect(statSync(join(repo, '.sluice', 'server.key')).mode & 0o777).toBe(0o600);

    const again = await run(['--json', 'auth', 'bootstrap', '--user', 'root']);
    expectError(again, 2, 'AlreadyBootstrappedError');
    expect(again.json.error.data).toEqual({ admins: ['admin'] });
    const human = await run(['auth', 'bootstrap']);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/already bootstrapped/);

    // The key works: the library authenticates it with the server key the command wrote.
    const r = await openRepository(repo);
    try {
      const ids = new Identities(r.meta, requireServerKey(repo, {}));
      expect(await ids.authenticateKey(first.json.accessKeyId, first.json.secretAccessKey)).toBe(
        'admin',
      );
    } finally {
      await r.close();
    }
  });

  it('users: create with groups and a password from stdin, list, refuse bad input, delete', async () => {
    ok(await run(['user', 'create', 'ana', '--group', 'Developers', '-q']));
    const bot = ok(
      await run(
        ['--json', 'user', 'create', 'bot', '--group', 'Ingestors', '--password-stdin'],
        'a long password\n',
      ),
    );
    expect(bot.json.user).toMatchObject({ name: 'bot', groups: ['Ingestors'], hasPassword: true });
    const users = ok(await run(['--json', 'user', 'list'])).json.users;
    expect(users.map((u: { name: string; groups: string[] }) => [u.name, u.groups])).toEqual([
      ['admin', ['Admins']],
      ['ana', ['Developers']],
      ['bot', ['Ingestors']],
    ]);
    expect(ok(await run(['user', 'list'])).stdout).toMatch(/^ana +Developers +no /m);
    expectError(await run(['--json', 'user', 'create', 'ana']), 2, 'RefAlreadyExistsError');
    expectError(await run(['--json', 'user', 'create', 'a b']), 1, 'InvalidNameError');
    expectError(
      await run(['--json', 'user', 'create', 'cy', '--group', 'Nope']),
      3,
      'GroupNotFoundError',
    );
    expectError(await run(['--json', 'user', 'delete', 'admin']), 2, 'LastAdminError');
    expectError(await run(['--json', 'user', 'delete', 'nobody']), 3, 'UserNotFoundError');
    ok(await run(['user', 'delete', 'ana', '-q']));
    expect(ok(await run(['--json', 'user', 'list'])).json.users).toHaveLength(2);
  });

  it('keys: create prints the secret once; list never does; revoke', async () => {
    const made = ok(await run(['--json', 'key', 'create', '--user', 'bot']));
    expect(Object.keys(made.json).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    secrets.push(made.json.secretAccessKey);
    outputs.pop(); // the one output that shows it
    const human = ok(await sluice(['key', 'create', '--user', 'bot']));
    const shown = /secret access key: (\S+)/.exec(human.stdout)?.[1];
    expect(shown).toHaveLength(40);
    secrets.push(shown as string);

    const all = ok(await run(['--json', 'key', 'list'])).json.keys;
    expect(all.map((k: { user: string }) => k.user)).toEqual(['admin', 'bot', 'bot']);
    expect(Object.keys(all[0]).sort()).toEqual(['accessKeyId', 'createdAt', 'user']);
    const bots = ok(await run(['--json', 'key', 'list', '--user', 'bot'])).json.keys;
    expect(bots.map((k: { accessKeyId: string }) => k.accessKeyId)).toContain(
      made.json.accessKeyId,
    );
    expect(ok(await run(['key', 'list'])).stdout).toMatch(/^KEY ID +USER +CREATED$/m);

    ok(await run(['key', 'revoke', made.json.accessKeyId, '-q']));
    const after = ok(await run(['--json', 'key', 'list', '--user', 'bot'])).json.keys;
    expect(after.map((k: { accessKeyId: string }) => k.accessKeyId)).not.toContain(
      made.json.accessKeyId,
    );
    expectError(
      await run(['--json', 'key', 'revoke', made.json.accessKeyId]),
      3,
      'AccessKeyNotFoundError',
    );
    expectError(await run(['--json', 'key', 'create', '--user', 'nobody']), 3, 'UserNotFoundError');
    expectError(await run(['--json', 'key', 'create']), 1, 'InvalidArgumentError');
  });

  it('groups: create, members, list, built-ins stay', async () => {
    ok(await run(['group', 'create', 'sales', '-q']));
    ok(await run(['group', 'add-member', 'sales', 'bot', '-q']));
    const groups = ok(await run(['--json', 'group', 'list'])).json.groups;
    expect(
      groups.map((g: { name: string; builtin: boolean; members: string[] }) => [
        g.name,
        g.builtin,
        g.members,
      ]),
    ).toEqual([
      ['Admins', true, ['admin']],
      ['Deployers', true, []],
      ['Developers', true, []],
      ['Ingestors', true, ['bot']],
      ['Viewers', true, []],
      ['sales', false, ['bot']],
    ]);
    expectError(await run(['--json', 'group', 'delete', 'Admins']), 2, 'BuiltinIdentityError');
    expectError(
      await run(['--json', 'group', 'add-member', 'sales', 'nobody']),
      3,
      'UserNotFoundError',
    );
    expectError(
      await run(['--json', 'group', 'remove-member', 'Admins', 'admin']),
      2,
      'LastAdminError',
    );
    const removed = ok(await run(['--json', 'group', 'remove-member', 'sales', 'bot']));
    expect(removed.json.removed.wasMember).toBe(true);
    ok(await run(['group', 'delete', 'sales', '-q']));
    expectError(await run(['--json', 'group', 'delete', 'sales']), 3, 'GroupNotFoundError');
  });

  it('policies: create from a file or stdin, show, attach, detach, delete; built-ins are fixed', async () => {
    const doc = {
      statements: [{ effect: 'allow', action: ['branch:Write'], resource: ['repo/ingest/*'] }],
    };
    const file = join(root, 'policy.json');
    writeFileSync(file, JSON.stringify(doc));
    ok(await run(['policy', 'create', 'ingest-writer', '--file', file, '-q']));
    ok(await run(['policy', 'create', 'from-stdin', '--file', '-', '-q'], JSON.stringify(doc)));
    const shown = ok(await run(['--json', 'policy', 'show', 'ingest-writer'])).json.policy;
    expect(shown).toMatchObject({
      name: 'ingest-writer',
      builtin: false,
      statements: doc.statements,
    });
    expect(JSON.parse(ok(await run(['policy', 'show', 'from-stdin'])).stdout)).toEqual(doc);
    const names = ok(await run(['--json', 'policy', 'list'])).json.policies.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual([
      'Admins',
      'Deployers',
      'Developers',
      'Ingestors',
      'Viewers',
      'from-stdin',
      'ingest-writer',
    ]);

    ok(await run(['policy', 'attach', 'ingest-writer', '--user', 'bot', '-q']));
    const detached = ok(
      await run(['--json', 'policy', 'detach', 'ingest-writer', '--user', 'bot']),
    );
    expect(detached.json.detached).toEqual({
      policy: 'ingest-writer',
      user: 'bot',
      wasAttached: true,
    });
    expectError(
      await run(['--json', 'policy', 'attach', 'ingest-writer']),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await run(['--json', 'policy', 'attach', 'nope', '--group', 'Viewers']),
      3,
      'PolicyNotFoundError',
    );
    expectError(await run(['--json', 'policy', 'delete', 'Admins']), 2, 'BuiltinIdentityError');
    expectError(
      await run(['--json', 'policy', 'create', 'Viewers', '--file', file]),
      2,
      'BuiltinIdentityError',
    );
    writeFileSync(
      file,
      '{"statements":[{"effect":"allow","action":["repo:Fly"],"resource":["*"]}]}',
    );
    expectError(
      await run(['--json', 'policy', 'create', 'bad', '--file', file]),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await run(['--json', 'policy', 'create', 'bad', '--file', join(root, 'none.json')]),
      3,
      'FileNotFoundError',
    );
    ok(await run(['policy', 'delete', 'from-stdin', '-q']));
    expectError(await run(['--json', 'policy', 'show', 'from-stdin']), 3, 'PolicyNotFoundError');
  });

  it('no secret in any other output, in the event log or in any file of the repository', async () => {
    expect(secrets).toHaveLength(3);
    const events = ok(await sluice(['--json', 'events', '--limit', '1000'])).stdout;
    for (const s of secrets) expect(events).not.toContain(s);
    for (const s of secrets) {
      for (const o of outputs) expect(o).not.toContain(s);
      for (const f of filesUnder(repo)) {
        expect(readFileSync(f).includes(Buffer.from(s)), f).toBe(false);
      }
    }
  });
});
