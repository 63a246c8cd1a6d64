// `sluice serve` as users run it: refused before `sluice auth bootstrap` with a message saying so;
// then serving with the bootstrapped admin's key, whatever $SLUICE_REMOTE says (serve is local);
// JSON log lines with request ids on stdout; SIGTERM lets an upload in flight finish, exit 0.

import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { startServeProcess } from '../support/serve-process.js';

let dir: string;

beforeAll(async () => {
  await buildOnce();
  dir = tempDir('sluice-serve-cli-');
  const init = await runCli(['init', dir]);
  expect(init.code, init.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('sluice serve (the CLI)', () => {
  it('refuses to start before sluice auth bootstrap, saying so', async () => {
    const r = await runCli(['serve', '--port', '0'], { env: { SLUICE_REPO: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sluice auth bootstrap/);
    const json = await runCli(['serve', '--port', '0', '--json'], { env: { SLUICE_REPO: dir } });
    expect(json.json.error.code).toBe('NotBootstrappedError');
    // Asked outright to run against a server, it says it cannot.
    const remote = await runCli(['--remote', 'http://127.0.0.1:9', '--json', 'serve'], {
      env: { SLUICE_REPO: dir },
    });
    expect(remote.code).toBe(1);
    expect(remote.json.error.code).toBe('RemoteUnsupportedError');
  });

  it('serves with the admin key despite SLUICE_REMOTE, logs JSON, stops on SIGTERM', async () => {
    const boot = await runCli(['auth', 'bootstrap', '--json'], { env: { SLUICE_REPO: dir } });
    expect(boot.code, boot.stderr).toBe(0);
    const { accessKeyId, secretAccessKey } = boot.json as {
      accessKeyId: string;
      secretAccessKey: string;
    };
    const server = await startServeProcess([], {
      env: { SLUICE_REPO: dir, SLUICE_REMOTE: 'http://127.0.0.1:9' },
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const auth = basic(accessKeyId, secretAccessKey);
      const me = await fetch(`${server.url}/api/v1/user`, { headers: { authorization: auth } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { name: string }).name).toBe('admin');
      const info = (await (
        await fetch(`${server.url}/api/v1/server`, { headers: { authorization: auth } })
      ).json()) as { defaultRepository: string };

      // An upload in flight when SIGTERM arrives: its body is still arriving.
      const body = JSON.stringify({ name: 'during-shutdown' });
      const answered = new Promise<number>((resolve, reject) => {
        const req = request(
          `${server.url}/api/v1/repositories/${info.defaultRepository}/branches`,
          {
            method: 'POST',
            headers: {
              authorization: auth,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 4));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          const finish = (): void => {
            if (/SIGTERM: stopping/.test(server.stderr())) req.end(body.slice(4));
            else setTimeout(finish, 20);
          };
          finish();
        }, 200);
      });
      expect(await answered).toBe(201);
      expect(await server.exited).toBe(0);
      const lines = server
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { reqId?: string; msg: string });
      expect(lines.some((l) => l.reqId !== undefined && l.msg === 'request completed')).toBe(true);
      expect(server.stdout()).not.toContain(secretAccessKey);
      expect(server.stderr()).not.toContain(secretAccessKey);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
