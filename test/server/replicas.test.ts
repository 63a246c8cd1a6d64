// Stateless replicas: two `sluice serve` processes over one PostgreSQL (a throwaway cluster) and
// one S3 (s3rver), each started from a directory of its own holding only the repository's
// configuration, sharing the server key through SLUICE_SERVER_KEY. Four clients upload, commit
// and merge into main at once, each request to whichever replica its turn names. Afterwards
// every acknowledged commit and merge is in main's log, every uploaded object reads back through
// either replica, and `sluice fsck` is clean. And the scheduler's lease: one replica leads it,
// and when that one stops the other takes over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';

const CLIENTS = 4;
const ROUNDS = 4;

let pg: PgCluster;
let s3: S3TestServer;
const dirs: string[] = [];
const replicas: ServeProcess[] = [];
let auth = '';
let repository = '';
let awsEnv: Record<string, string>;

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON documents of several routes
  json: any;
}

async function api(
  replica: ServeProcess,
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (raw !== undefined) headers['content-type'] = 'text/plain';
  const res = await fetch(`${replica.url}/api/v1/repositories/${repository}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function expectStatus(a: Answer, status: number, what: string): void {
  expect(a.status, `${what}: ${JSON.stringify(a.json)}`).toBe(status);
}

beforeAll(async () => {
  await buildOnce();
  [pg, s3] = await Promise.all([startPgCluster(), startS3Server()]);
  awsEnv = {
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_REGION: s3.region,
  };
  const first = tempDir('sluice-replica-a-');
  const second = tempDir('sluice-replica-b-');
  dirs.push(first, second);
  const init = await runCli(
    [
      'init',
      first,
      '--meta',
      pg.url,
      '--storage',
      `s3://${s3.bucket}/lake`,
      '--s3-endpoint',
      s3.endpoint,
      '--name',
      'lake',
    ],
    { env: awsEnv },
  );
  expect(init.code, init.stderr).toBe(0);
  const boot = await runCli(['auth', 'bootstrap', '--json'], {
    env: { ...awsEnv, SLUICE_REPO: first },
  });
  expect(boot.code, boot.stderr).toBe(0);
  auth = `Basic ${Buffer.from(`${boot.json.accessKeyId}:${boot.json.secretAccessKey}`).toString('base64')}`;
  // The second replica's directory: the configuration only (where the metadata and objects are).
  mkdirSync(join(second, '.sluice'), { recursive: true });
  writeFileSync(
    join(second, '.sluice', 'config.json'),
    readFileSync(join(first, '.sluice', 'config.json')),
  );
  // The key every replica must share, as an operator hands it out.
  const serverKey = readFileSync(join(first, '.sluice', 'server.key'), 'utf8').trim();
  rmSync(join(first, '.sluice', 'server.key'));
  for (const dir of [first, second]) {
    replicas.push(
      await startServeProcess(['--schedule', '--lease-retry', '200ms', '--log-level', 'info'], {
        env: { ...awsEnv, SLUICE_REPO: dir, SLUICE_SERVER_KEY: serverKey },
      }),
    );
  }
  repository = 'lake';
}, 300_000);

afterAll(async () => {
  for (const r of replicas) await r.stop('SIGKILL');
  await s3?.stop();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Acknowledged {
  commits: string[];
  merges: string[];
  objects: { branch: string; path: string; text: string }[];
}

/** One client: its branch, then rounds of upload → commit → merge into main, replicas alternating. */
async function client(c: number, ack: Acknowledged): Promise<void> {
  const replica = (k: number): ServeProcess => replicas[(c + k) % 2] as ServeProcess;
  const branch = `client-${c}`;
  expectStatus(await api(replica(0), 'POST', '/branches', { name: branch }), 201, 'branch create');
  for (let k = 0; k < ROUNDS; k++) {
    const path = `clients/${c}/round-${k}.txt`;
    const text = `client ${c} round ${k}\n`;
    const put = await api(
      replica(k),
      'PUT',
      `/branches/${branch}/objects?path=${encodeURIComponent(path)}`,
      undefined,
      text,
    );
    expectStatus(put, 201, `put ${path}`);
    const commit = await api(replica(k + 1), 'POST', `/branches/${branch}/commits`, {
      message: `client ${c} round ${k}`,
    });
    expectStatus(commit, 201, `commit ${path}`);
    ack.commits.push(commit.json.id);
    ack.objects.push({ branch, path, text });
    // Merges into main race each other: a merge that lost the race (409) is retried.
    for (let attempt = 0; ; attempt++) {
      const merge = await api(replica(k), 'POST', `/refs/${branch}/merge/main`, {
        message: `merge client ${c} round ${k}`,
      });
      if (merge.status === 409 && attempt < 20) continue;
      expectStatus(merge, 200, `merge ${branch} round ${k}`);
      if (merge.json.merge.commit) ack.merges.push(merge.json.merge.commit.id);
      break;
    }
  }
}

async function logOf(replica: ServeProcess, ref: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const q = `amount=1000${after ? `&after=${after}` : ''}`;
    const page = await api(replica, 'GET', `/refs/${ref}/commits?${q}`);
    expectStatus(page, 200, 'log');
    for (const c of page.json.results) ids.add(c.id);
    if (!page.json.pagination.hasMore) return ids;
    after = page.json.pagination.nextOffset;
  }
}

const leaders = (): number[] =>
  replicas
    .map((r, i) => ({ i, log: r.stdout() }))
    .filter(({ log }) => log.includes('"msg":"leading scheduler"'))
    .map(({ i }) => i);

describe('two replicas on one PostgreSQL + S3', () => {
  it('keep every acknowledged commit of four clients committing and merging at once', async () => {
    const ack: Acknowledged = { commits: [], merges: [], objects: [] };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, ack)));
    expect(ack.commits).toHaveLength(CLIENTS * ROUNDS);

    for (const replica of replicas) {
      const main = await logOf(replica, 'main');
      for (const id of [...ack.commits, ...ack.merges]) expect(main.has(id), id).toBe(true);
    }
    for (const [i, o] of ack.objects.entries()) {
      const replica = replicas[i % 2] as ServeProcess;
      const res = await fetch(
        `${replica.url}/api/v1/repositories/${repository}/refs/main/objects?path=${encodeURIComponent(o.path)}`,
        { headers: { authorization: auth } },
      );
      expect(res.status, o.path).toBe(200);
      expect(await res.text()).toBe(o.text);
    }
    const fsck = await runCli(['fsck', '--json'], {
      env: { ...awsEnv, SLUICE_REPO: dirs[0] as string },
    });
    expect(fsck.code, fsck.stdout + fsck.stderr).toBe(0);
    expect(fsck.json.fsck.ok).toBe(true);
  });

  it('run the scheduler in one replica; when it stops, the other takes over', async () => {
    const until = async (cond: () => boolean): Promise<void> => {
      while (!cond()) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => leaders().length > 0);
    const [leader] = leaders();
    expect(leaders()).toHaveLength(1);
    const stopped = replicas[leader as number] as ServeProcess;
    expect(await stopped.stop('SIGTERM')).toBe(0);
    expect(stopped.stdout()).toContain('"msg":"released scheduler"');
    await until(() => leaders().length === 2);
    // The survivor serves on, alone.
    const survivor = replicas[1 - (leader as number)] as ServeProcess;
    const ready = await fetch(`${survivor.url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
