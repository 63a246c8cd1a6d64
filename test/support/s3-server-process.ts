// A fake S3 (s3rver) in a child process that a test can kill — SIGKILL, mid-request — and start
// again on the same port and directory, as an object store that crashes and comes back. The
// in-process server of s3-server.ts is simpler where nothing needs to die.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3TestServer } from './s3-server.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CHILD = join(ROOT, 'test/support/s3rver-child.ts');

export interface KillableS3Server extends S3TestServer {
  /** SIGKILLs the server process (requests in flight die with it); resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, over the same files. */
  restart(): Promise<void>;
}

export async function startKillableS3Server(
  opts: { bucket?: string } = {},
): Promise<KillableS3Server> {
  const bucket = opts.bucket ?? 'sluice-test';
  const directory = await mkdtemp(join(tmpdir(), 'sluice-s3rver-'));
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    // A port just freed by a kill can take a moment to bind again: retry a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        const started = await spawnServer(directory, bucket, port);
        child = started.child;
        port = started.port;
        return;
      } catch (err) {
        if (attempt >= 20 || port === 0) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('close', () => r()));
    c.kill('SIGKILL');
    await gone;
  };
  const onExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.on('exit', onExit);
  try {
    await launch();
  } catch (err) {
    process.off('exit', onExit);
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: 'S3RVER', // s3rver's built-in account (it checks the key, not v4 signatures)
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
    kill,
    restart: launch,
    async stop() {
      process.off('exit', onExit);
      await kill();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function spawnServer(
  directory: string,
  bucket: string,
  port: number,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, directory, bucket, String(port)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolvePort, reject) => {
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /LISTENING (\d+)\n/.exec(out);
      if (m) resolvePort({ child, port: Number(m[1]) });
    });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    child.once('error', reject);
    child.once('close', (code, signal) =>
      reject(new Error(`s3rver exited before listening (${code ?? signal}): ${err}`)),
    );
  });
}
