// `sluice presign` as users run it: a URL that plain `fetch` reads the object's bytes through the
// server's S3 gateway with, for the time asked and no longer (then S3's AccessDenied XML), JSON
// with its expiry, durations checked (at most 7 days), and a clear refusal without a server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { type Served, serve } from '../support/served.js';
import { secretOf, testAuthenticator } from '../support/test-auth.js';

describe('sluice presign', () => {
  let served: Served;
  let dir: string;
  const bytes = Buffer.from('id,city\n1,Zürich\n2,Genève (GE)\n');

  beforeAll(async () => {
    await buildOnce();
    dir = join(tempDir('sluice-presign-'), 'lake');
    expect((await runCli(['init', dir])).code).toBe(0);
    const file = join(tempDir(), 'a.csv');
    writeFileSync(file, bytes);
    const env = { SLUICE_REPO: dir };
    const put = await runCli(['put', file, 'raw/a b+c.csv'], { env });
    expect(put.code, put.stderr).toBe(0);
    expect((await runCli(['commit', '-m', 'a file'], { env })).code).toBe(0);
    expect((await runCli(['branch', 'create', 'feat/x'], { env })).code).toBe(0);
    served = await serve(dir, testAuthenticator({ alice: ['Viewers'] }));
  }, 120_000);
  afterAll(async () => served?.close());

  const env = (secret = secretOf('alice')) => ({
    SLUICE_REMOTE: served.url,
    SLUICE_ACCESS_KEY_ID: 'alice',
    SLUICE_SECRET_ACCESS_KEY: secret,
    SLUICE_REPO: undefined,
  });

  test('prints a URL that plain fetch reads the bytes with; --json gives its expiry', async () => {
    const before = Date.now();
    const r = await runCli(
      ['--json', 'presign', 'raw/a b+c.csv', '--ref', 'main', '--expires', '15m'],
      {
        env: env(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const { url, expiresAt } = r.json as { url: string; expiresAt: string };
    expect(url.startsWith(`${served.url}/lake/main/raw/a%20b%2Bc.csv?`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
    const at = Date.parse(expiresAt);
    expect(at).toBeGreaterThanOrEqual(before + 899_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(url).not.toContain(secretOf('alice'));

    const res = await fetch(url);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);

    // Text output: the URL alone on its line (default expiry 1 h, the default branch).
    const text = await runCli(['presign', 'raw/a b+c.csv'], { env: env() });
    expect(text.code, text.stderr).toBe(0);
    const line = text.stdout.trim();
    expect(new URL(line).searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(Buffer.from(await (await fetch(line)).arrayBuffer())).toEqual(bytes);

    // A ref with a slash stays path segments; the gateway finds the ref among them.
    const slashed = await runCli(['presign', 'raw/a b+c.csv', '--ref', 'feat/x'], { env: env() });
    expect(slashed.code, slashed.stderr).toBe(0);
    expect(slashed.stdout).toContain('/lake/feat/x/raw/a%20b%2Bc.csv?');
    expect(Buffer.from(await (await fetch(slashed.stdout.trim())).arrayBuffer())).toEqual(bytes);
  });

  test('an expired URL is refused with AccessDenied XML; a URL signed with a wrong secret too', async () => {
    const r = await runCli(['presign', 'raw/a b+c.csv', '--ref', 'main', '--expires', '1s'], {
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(r.stdout.trim());
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toMatch(/<Code>AccessDenied<\/Code>/);
    expect(body).not.toContain(bytes.toString());

    // With --repo and --ref nothing asks the server: a wrong secret signs a URL the gateway refuses.
    const forged = await runCli(['--repo', 'lake', 'presign', 'raw/a b+c.csv', '--ref', 'main'], {
      env: env('not-the-secret'),
    });
    expect(forged.code, forged.stderr).toBe(0);
    const res = await fetch(forged.stdout.trim());
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
  }, 20_000);

  test('durations: at most 7 days, at least 1 s, in the CLI’s duration syntax', async () => {
    const ok = await runCli(['--json', 'presign', 'x', '--expires', '7d'], { env: env() });
    expect(ok.code, ok.stderr).toBe(0);
    expect(new URL(ok.json.url).searchParams.get('X-Amz-Expires')).toBe('604800');
    for (const bad of ['8d', '0s', 'soon']) {
      const r = await runCli(['--json', 'presign', 'x', '--expires', bad], { env: env() });
      expect(r.code).not.toBe(0);
      expect(r.json.error.code).toBe('InvalidArgumentError');
      expect(r.json.error.data.argument).toBe('--expires');
    }
  });

  test('without a server: a clear error saying what to give', async () => {
    const r = await runCli(['--json', 'presign', 'raw/a.csv'], {
      env: { SLUICE_REMOTE: undefined, SLUICE_REPO: dir },
    });
    expect(r.code).not.toBe(0);
    expect(r.json.error.code).toBe('InvalidArgumentError');
    expect(r.json.error.message).toMatch(/--remote/);
  });
});
