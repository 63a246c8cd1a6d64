// The remote CLI's plumbing: --remote / SLUICE_REMOTE, the key from the environment or the
// credentials file, the server's errors as the local command's exit codes, and a command with no
// remote handler refused by name. The commands' own parity is tested per group
// (remote-parity-*.test.ts).
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { runScript } from '../support/remote-parity.js';
import { type Served, serve } from '../support/served.js';
import { secretOf, testAuthenticator } from '../support/test-auth.js';

describe('remote CLI', () => {
  let served: Served;
  let dir: string;
  let local: string;

  beforeAll(async () => {
    await buildOnce();
    dir = join(tempDir('sluice-remote-'), 'shared');
    local = join(tempDir('sluice-remote-'), 'shared');
    for (const d of [dir, local]) {
      expect((await runCli(['init', d])).code).toBe(0);
      expect((await runCli(['branch', 'create', 'dev'], { env: { SLUICE_REPO: d } })).code).toBe(0);
    }
    served = await serve(dir, testAuthenticator({ alice: ['Developers'], vic: ['Viewers'] }));
  }, 120_000);
  afterAll(async () => served?.close());

  const remoteEnv = (user = 'alice') => ({
    SLUICE_ACCESS_KEY_ID: user,
    SLUICE_SECRET_ACCESS_KEY: secretOf(user),
    SLUICE_REPO: undefined,
  });

  test('branch list prints the same locally and remotely, in text and JSON', async () => {
    const steps = [{ args: ['branch', 'list'] }, { args: ['--json', 'branch', 'list'] }];
    const target = { url: served.url, accessKeyId: 'alice', secretAccessKey: secretOf('alice') };
    const here = await runScript(
      steps,
      { ...target, dir: local, names: [local, 'shared'] },
      'local',
    );
    const there = await runScript(steps, { ...target, dir, names: [dir, 'shared'] }, 'remote');
    expect(there).toEqual(here);
    expect(here[0]?.stdout).toContain('dev');
  });

  test('--remote on the command line works as SLUICE_REMOTE does', async () => {
    const r = await runCli(['--remote', served.url, '--json', 'branch', 'list'], {
      env: remoteEnv(),
    });
    expect(r.code).toBe(0);
    expect(r.json.branches.map((b: { name: string }) => b.name)).toEqual(['dev', 'main']);
  });

  test('the key may come from ~/.sluice/credentials (refused when others may read it)', async () => {
    const file = join(tempDir(), 'credentials');
    writeFileSync(
      file,
      `[default]\naccess_key_id = vic\nsecret_access_key = ${secretOf('vic')}\n`,
      { mode: 0o600 },
    );
    const env = {
      SLUICE_CREDENTIALS_FILE: file,
      SLUICE_ACCESS_KEY_ID: undefined,
      SLUICE_SECRET_ACCESS_KEY: undefined,
      SLUICE_REPO: undefined,
    };
    const ok = await runCli(['--remote', served.url, 'branch', 'list'], { env });
    expect(ok.code).toBe(0);
    chmodSync(file, 0o644);
    const refused = await runCli(['--remote', served.url, '--json', 'branch', 'list'], { env });
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe('InvalidConfigError');
  });

  test('a wrong secret is the server error UnauthenticatedError, exit code 2, secret never printed', async () => {
    const r = await runCli(['--remote', served.url, '--json', 'branch', 'list'], {
      env: { ...remoteEnv(), SLUICE_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('UnauthenticatedError');
    expect(r.stdout + r.stderr).not.toContain('not-the-secret');
  });

  test('an unknown repository is exit code 3, as locally', async () => {
    const r = await runCli(['--remote', served.url, '--repo', 'nope', '--json', 'branch', 'list'], {
      env: remoteEnv(),
    });
    expect(r.code).toBe(3);
    expect(r.json.error.code).toBe('RepositoryNotFoundError');
  });

  test('a server that is not there is exit code 5 (unavailable)', async () => {
    const r = await runCli(['--remote', 'http://127.0.0.1:9', '--json', 'branch', 'list'], {
      env: remoteEnv(),
    });
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('ServerUnavailableError');
  });

  test('a command without a remote handler is refused by name', async () => {
    const r = await runCli(['--remote', served.url, '--json', 'fsck'], { env: remoteEnv() });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('RemoteUnsupportedError');
    expect(r.json.error.data.command).toBe('fsck');
  });
});
