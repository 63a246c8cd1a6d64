// Outages in words: when the metadata store (PostgreSQL) or the object store (S3) is down, drops
// the connection mid-command, or refuses the credentials, the command exits with 5 and says which
// store and host — MetaStoreUnavailableError / ObjectStoreUnavailableError, one JSON document
// under --json, never a stack trace, never a credential.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, runCli, tempDir } from '../support/cli.js';
import { withPg } from '../support/pg-cluster.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const EXIT_UNAVAILABLE = 5;
const root = tempDir('sluice-cli-outages-');
const pg = withPg();

beforeAll(async () => {
  await buildOnce();
});

/** A stack trace line, as Node prints one for an error nobody caught. */
const STACK = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

function expectOutage(r: CliResult, code: string, host: string, hidden: string[] = []): void {
  const all = `${r.stdout}${r.stderr}`;
  expect(r.code, all).toBe(EXIT_UNAVAILABLE);
  expect(r.json?.error?.code, all).toBe(code);
  expect(r.json.error.data.host).toBe(host);
  expect(r.json.error.message).toContain(host);
  expect(all).not.toMatch(STACK);
  for (const secret of hidden) expect(all).not.toContain(secret);
}

describe('PostgreSQL', () => {
  const host = () => `127.0.0.1:${pg.cluster.port}`;

  it('stopped before a command: exit 5, the store and host named, in JSON and in words', async () => {
    const repo = join(root, 'pg-down');
    const init = await runCli(['init', repo, '--meta', await pg.cluster.createDatabase('down')]);
    expect(init.code, init.stderr).toBe(0);
    await pg.cluster.halt();
    try {
      const json = await runCli(['--json', 'branch', 'list', '--repo', repo]);
      expectOutage(json, 'MetaStoreUnavailableError', host());
      expect(json.json.error.data).toMatchObject({ store: 'postgres', reason: 'unreachable' });
      expect(json.stderr).toBe('');
      const human = await runCli(['log', '--repo', repo]);
      expect(human.code).toBe(EXIT_UNAVAILABLE);
      expect(human.stderr).toMatch(
        new RegExp(`^error: the metadata store \\(PostgreSQL at ${host()}, database down\\)`),
      );
      expect(human.stderr).not.toMatch(STACK);
    } finally {
      await pg.cluster.resume();
    }
  }, 60_000);

  it('stopped mid-command: JSON every time — the command finished, or exit 5', async () => {
    const repo = join(root, 'pg-mid');
    const init = await runCli(['init', repo, '--meta', await pg.cluster.createDatabase('mid')]);
    expect(init.code, init.stderr).toBe(0);
    const src = join(root, 'many');
    mkdirSync(src);
    for (let i = 0; i < 1500; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`);
    const outcomes: string[] = [];
    for (const [trial, delayMs] of [250, 450, 650, 850, 1050, 1300].entries()) {
      const put = await runCli(['put', src, `t${trial}/`, '--repo', repo]);
      expect(put.code, put.stderr).toBe(0);
      // Started now, awaited after the stop: the stop lands while the commit runs.
      const commit = runCli(['--json', 'commit', '-m', `trial ${trial}`, '--repo', repo]);
      await new Promise((r) => setTimeout(r, delayMs));
      await pg.cluster.halt();
      const r = await commit;
      await pg.cluster.resume();
      const all = `${r.stdout}${r.stderr}`;
      expect(all).not.toMatch(STACK);
      expect(r.json, `trial ${trial} (${delayMs} ms): ${all}`).toBeDefined();
      if (r.code === 0) {
        outcomes.push('finished');
      } else {
        expectOutage(r, 'MetaStoreUnavailableError', host());
        outcomes.push('unavailable');
      }
    }
    // At least one stop came while the command ran (else this proved nothing).
    expect(outcomes).toContain('unavailable');
    // Whatever each stop interrupted, the repository is whole: before or after each commit.
    const fsck = await runCli(['--json', 'fsck', '--repo', repo]);
    expect(fsck.code, fsck.stdout).toBe(0);
  }, 240_000);

  it('a wrong password: exit 5, the credentials refused, no password shown', async () => {
    const password = 'Right-Pg-Passw0rd-42';
    const url = await pg.cluster.createPasswordRole('carol', password);
    const repo = join(root, 'pg-auth');
    const init = await runCli([
      'init',
      repo,
      '--meta',
      url.replace('carol@', `carol:${password}@`),
    ]);
    expect(init.code, init.stderr).toBe(0);
    const ok = await runCli(['--json', 'branch', 'list', '--repo', repo]);
    expect(ok.code, ok.stdout).toBe(0);
    const wrong = await runCli(['--json', 'branch', 'list', '--repo', repo], {
      env: { PGPASSWORD: 'Wrong-Pg-Passw0rd-17' },
    });
    expectOutage(wrong, 'MetaStoreUnavailableError', host(), [password, 'Wrong-Pg-Passw0rd-17']);
    expect(wrong.json.error.data.reason).toBe('credentials refused');
  }, 60_000);
});

describe('S3', () => {
  let s3: S3TestServer;
  let stopped = false;
  const repo = join(root, 's3repo');
  const env = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'Planted-S3-Secret-Key-0001',
    AWS_REGION: s3.region,
    SLUICE_REPO: repo,
  });
  const host = () => new URL(s3.endpoint).host;

  beforeAll(async () => {
    s3 = await startS3Server();
    const init = await runCli(
      ['init', repo, '--storage', `s3://${s3.bucket}/lake`, '--s3-endpoint', s3.endpoint],
      { env: env() },
    );
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(join(root, 'note.txt'), 'hello\n');
    for (const args of [
      ['put', join(root, 'note.txt'), 'note.txt'],
      ['commit', '-m', 'a note'],
    ]) {
      const r = await runCli(args, { env: env() });
      expect(r.code, r.stderr).toBe(0);
    }
  }, 60_000);
  afterAll(async () => {
    if (!stopped) await s3?.stop();
  });

  it('wrong credentials: exit 5, the credentials refused, no key shown', async () => {
    const r = await runCli(['--json', 'cat', 'note.txt'], {
      env: { ...env(), AWS_ACCESS_KEY_ID: 'PLANTEDACCESSKEYID01' },
    });
    expectOutage(r, 'ObjectStoreUnavailableError', host(), [
      'PLANTEDACCESSKEYID01',
      'Planted-S3-Secret-Key-0001',
    ]);
    expect(r.json.error.data).toMatchObject({
      store: 's3',
      bucket: s3.bucket,
      reason: 'credentials refused',
    });
  }, 60_000);

  it('stopped: exit 5 naming the bucket and host, in JSON and in words', async () => {
    await s3.stop();
    stopped = true;
    const json = await runCli(['--json', 'cat', 'note.txt'], { env: env() });
    expectOutage(json, 'ObjectStoreUnavailableError', host(), ['Planted-S3-Secret-Key-0001']);
    expect(json.json.error.data).toMatchObject({ store: 's3', reason: 'unreachable' });
    const human = await runCli(['put', join(root, 'note.txt'), 'again.txt'], { env: env() });
    expect(human.code).toBe(EXIT_UNAVAILABLE);
    expect(human.stderr).toContain(`error: the object store (S3 bucket ${s3.bucket} at ${host()})`);
    expect(human.stderr).not.toMatch(STACK);
  }, 60_000);
});
