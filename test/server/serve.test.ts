// `sluice serve`'s process, in-process: a SIGTERM lets the request in flight finish (here a branch
// create whose body is still arriving) while new connections are refused; the warning for plain
// HTTP beyond this machine; singleton work led by one server at a time and taken over when the
// leader stops.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { type RunningServer, type ServeOptions, startServer } from '../../src/server/serve.js';
import { gcTask, schedulerTask } from '../../src/server/singleton-tasks.js';
import { basicAuth, testAuthenticator } from '../support/test-auth.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];

async function repoDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-'));
  dirs.push(dir);
  const repo = await initRepository(dir);
  await repo.close();
  return dir;
}

async function start(dir: string, opts: Partial<ServeOptions> = {}): Promise<RunningServer> {
  const host = await RepositoryHost.open(dir);
  const server = await startServer({
    host,
    auth: testAuthenticator({ dev: ['Developers'] }),
    port: 0,
    logger: false,
    processMetrics: false,
    signals: false,
    say: () => {},
    ...opts,
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop({ force: true });
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Whether a new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function defaultRepository(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/server`, { headers: basicAuth('dev') });
  return ((await res.json()) as { defaultRepository: string }).defaultRepository;
}

describe('sluice serve', () => {
  it('lets the request in flight finish after SIGTERM, and takes no new connection', async () => {
    const dir = await repoDir();
    const signals = new EventEmitter();
    const lines: string[] = [];
    const server = await start(dir, { signals, say: (l) => lines.push(l) });
    expect(lines).toEqual([`listening on ${server.url}`]);
    const port = portOf(server.url);
    const repository = await defaultRepository(server);
    const body = JSON.stringify({ name: 'slow' });
    // The request is in flight: its headers are in, half its body is still to come.
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/repositories/${repository}/branches`,
          headers: {
            ...basicAuth('dev'),
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        signals.emit('SIGTERM');
        const waitClosed = async (): Promise<void> => {
          while (await accepts(port)) await new Promise((r) => setTimeout(r, 20));
          req.end(body.slice(5));
        };
        void waitClosed();
      }, 100);
    });
    const res = await answered;
    expect(res.status, res.body).toBe(201);
    expect(JSON.parse(res.body).name).toBe('slow');
    await server.stopped;
    expect(lines[1]).toMatch(/^SIGTERM: stopping/);
  });

  it('says which option to change when the port is taken', async () => {
    const dir = await repoDir();
    const first = await start(dir);
    const host = await RepositoryHost.open(dir);
    const taken = startServer({
      host,
      auth: testAuthenticator({}),
      port: portOf(first.url),
      logger: false,
      processMetrics: false,
      signals: false,
      say: () => {},
    });
    await expect(taken).rejects.toMatchObject({
      code: 'InvalidArgumentError',
      data: { argument: '--port', reason: 'the port is in use' },
    });
    await host.close();
  });

  it('warns when it serves plain HTTP beyond this machine', async () => {
    const dir = await repoDir();
    const lines: string[] = [];
    await start(dir, { bind: '0.0.0.0', say: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^warning: plain HTTP on 0\.0\.0\.0/);
    expect(lines[1]).toMatch(/^listening on http:\/\/0\.0\.0\.0:\d+$/);
  });

  it('runs singleton work in one server at a time; another takes over when it stops', async () => {
    const dir = await repoDir();
    const running = new Set<string>();
    const log: string[] = [];
    const task = (who: string) => () => [
      {
        name: 'work',
        run: async (signal: AbortSignal) => {
          expect(running.size).toBe(0); // never two at once
          running.add(who);
          log.push(`${who} leads`);
          await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
          running.delete(who);
        },
      },
    ];
    const a = await start(dir, { tasks: task('a'), leaseRetryMs: 20 });
    await until(() => running.has('a'));
    const b = await start(dir, { tasks: task('b'), leaseRetryMs: 20 });
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toEqual(['a leads']);
    expect(b.leadership.leading('work')).toBe(false);
    await a.stop();
    await until(() => running.has('b'));
    expect(log).toEqual(['a leads', 'b leads']);
    expect(b.leadership.leading('work')).toBe(true);
  });
});

describe('the scheduler task', () => {
  it("runs sluice.yml's scheduled ingestor while it leads, and stops with the lease", async () => {
    const dir = await repoDir();
    writeFileSync(
      join(dir, 'sluice.yml'),
      'ingestors:\n  - {name: ticker, kind: files, path: landing/*.csv, table: ticks, schedule: "* * * * * *"}\n',
    );
    mkdirSync(join(dir, 'landing'));
    writeFileSync(join(dir, 'landing/t.csv'), 'n\n1\n');
    const host = await RepositoryHost.open(dir);
    const lines: string[] = [];
    const stop = new AbortController();
    let running: Promise<void> = Promise.resolve();
    try {
      running = schedulerTask(host, { info: (l) => lines.push(l), error: () => {} }).run(
        stop.signal,
      );
      await until(() => lines.some((l) => /^ticker: success \(1 rows into main\)$/.test(l)));
    } finally {
      stop.abort();
      await running;
      await host.close();
    }
    expect(lines[0]).toBe('scheduling ticker (* * * * * *)');
  }, 60_000);
});

describe('periodic GC', () => {
  it('collects every repository of the database, once per interval, until stopped', async () => {
    const dir = await repoDir();
    const host = await RepositoryHost.open(dir);
    const lines: string[] = [];
    const failures: unknown[] = [];
    const stop = new AbortController();
    let running: Promise<void> = Promise.resolve();
    try {
      await host.create({ name: 'second' });
      running = gcTask(host, 20, {
        info: (l) => lines.push(l),
        error: (err) => failures.push(err),
      }).run(stop.signal);
      const collected = (name: string) => lines.filter((l) => l.startsWith(`gc ${name}: `));
      await until(
        () => collected('second').length >= 2 && collected(host.defaultRepository).length >= 2,
      );
    } finally {
      stop.abort();
      await running;
      await host.close();
    }
    expect(failures).toEqual([]);
    expect(lines[0]).toMatch(/object\(s\)/);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

describe('the S3 gateway options', () => {
  it('--redirect-reads is refused at start on a repository whose objects are not on S3', async () => {
    const host = await RepositoryHost.open(await repoDir());
    try {
      await expect(
        startServer({
          host,
          auth: testAuthenticator({ dev: ['Developers'] }),
          port: 0,
          logger: false,
          processMetrics: false,
          signals: false,
          say: () => {},
          gateway: { redirectReads: true },
        }),
      ).rejects.toMatchObject({
        code: 'InvalidArgumentError',
        data: { argument: '--redirect-reads', reason: 'the object store is local' },
        message: expect.stringMatching(/needs a repository on S3/),
      });
    } finally {
      await host.close();
    }
  });

  it('without the gateway (--no-s3-gateway) an S3-signed request is the API’s, not S3 XML', async () => {
    const server = await start(await repoDir(), { gateway: false });
    const res = await fetch(`${server.url}/repo/main/a.csv`, {
      headers: { 'x-amz-date': '20260101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/xml/);
    const on = await start(await repoDir());
    const s3 = await fetch(`${on.url}/repo/main/a.csv`, {
      headers: { 'x-amz-date': '20260101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(s3.headers.get('content-type') ?? '').toMatch(/xml/);
  });
});
