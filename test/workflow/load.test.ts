// Write–audit–publish: a good batch lands on main through the gate and its run branch goes; a bad
// one stops on ingest/<name>/<run-id> with an alert and main untouched; a REST source that fails
// stages nothing; runs that race into one target all land.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { loadWorkflowConfig } from '../../src/workflow/config/index.js';
import { listEvents, type StoredEvent } from '../../src/workflow/events/index.js';
import { runLoad } from '../../src/workflow/load.js';

// A loopback server: /alerts records alert posts; /orders?page=N serves REST pages.
let server: Server;
let base: string;
const alerts: { type: string; refs: Record<string, string> }[] = [];
let restPages: unknown[] = [];
let restStatus = 200;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/alerts') {
        alerts.push(JSON.parse(body));
        res.writeHead(200).end('{}');
      } else if (url.pathname === '/orders') {
        const page = Number(url.searchParams.get('page') ?? '1');
        if (restStatus !== 200) {
          res.writeHead(restStatus).end('nope');
          return;
        }
        const doc = restPages[page - 1] ?? { data: [] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(typeof doc === 'string' ? doc : JSON.stringify(doc));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const SLUICE_YML = () => `
gates:
  - branch: main
ingestors:
  - name: shop
    kind: files
    path: landing/shop/*.csv
    table: orders
  - name: api
    kind: rest
    url: ${base}/orders
    records: $.data
    pagination: {type: page, param: page}
    table: orders
    retries: 2
    backoff: 1ms
alerts:
  - name: ops
    kind: webhook
    url: ${base}/alerts
    retries: 0
`;

const CHECKS = `version: 2
models:
  - name: orders
    tests:
      - schema: {columns: [order_id, amount], allow_extra: false}
    columns:
      - name: order_id
        tests: [not_null, unique]
      - name: amount
        tests:
          - not_null
          - between: {min: 0}
`;

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-load-'));
  mkdirSync(join(dir, 'checks'));
  mkdirSync(join(dir, 'landing/shop'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yml'), SLUICE_YML());
  writeFileSync(join(dir, 'checks/orders.yml'), CHECKS);
  await (await initRepository(dir, { committer: 'test' })).close();
  repo = await openRepository(dir);
  alerts.length = 0;
  restPages = [];
  restStatus = 200;
});
afterEach(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (csv: string): void => writeFileSync(join(dir, 'landing/shop/batch.csv'), csv);
const load = (name: string, r = repo) =>
  runLoad(r, dir, loadWorkflowConfig(dir), name, { backoffMs: 1 });
const count = async (ref = 'main'): Promise<number> =>
  withSqlSession(repo, { refs: [ref] }, async (s) =>
    Number((await s.duck.query('SELECT count(*) AS n FROM orders')).rows[0]?.n),
  );
async function branches(prefix = 'ingest/'): Promise<string[]> {
  const out: string[] = [];
  for await (const b of repo.listBranches({ prefix })) out.push(b.name);
  return out;
}
async function events(type?: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of listEvents(repo, type ? { types: [type as 'load'] } : {})) out.push(e);
  return out;
}

describe('runLoad', () => {
  it('a good batch lands through the gate; its branch is deleted; load, check and merge events', async () => {
    batch('order_id,amount\n1,10\n2,20\n');
    const run = await load('shop');
    expect(run.status).toBe('success');
    expect(run.rows).toBe(2);
    expect(run.branch).toMatch(/^ingest\/shop\/\d{17}-[0-9a-f]{8}$/);
    expect((await repo.getBranch('main')).head).toBe(run.mergeCommit);
    expect(await count()).toBe(2);
    expect(await branches()).toEqual([]);
    const [ev] = await events('load');
    expect(ev).toMatchObject({
      type: 'load',
      outcome: 'success',
      ingestor: 'shop',
      runId: run.runId,
      commit: run.commit,
      mergeCommit: run.mergeCommit,
      rows: 2,
    });
    expect((await events('check'))[0]).toMatchObject({ outcome: 'success', ref: run.branch });
    expect((await events('merge'))[0]).toMatchObject({ outcome: 'success', destination: 'main' });
    expect(alerts).toEqual([]);
  });

  it("the gate takes the audit's verdicts for the commit it fast-forwards to instead of measuring them again", async () => {
    batch('order_id,amount\n1,10\n2,20\n');
    const run = await load('shop');
    expect(run.status).toBe('success');
    expect(run.mergeCommit).toBe(run.commit); // a fast-forward to the audited commit
    const runs = await repo.meta.listCheckRuns(repo.name);
    expect(runs.map((r) => r.ref.split('/')[0]).sort()).toEqual(['gate', 'ingest']);
    const gate = runs.find((r) => r.ref.startsWith('gate/'));
    expect(gate).toMatchObject({ commitId: run.commit, status: 'pass' });
    const data = JSON.parse(gate?.data ?? '{}') as { reused?: string[]; queries: number };
    expect(data.queries).toBe(0);
    expect(data.reused?.sort()).toEqual(run.checks?.results.map((r) => r.id).sort());
  });

  it('a corrupt batch stops on its branch: main untouched, one alert, exit status failure', async () => {
    batch('order_id,amount\n1,10\n2,20\n');
    await load('shop');
    const before = (await repo.getBranch('main')).head;
    for (const [csv, failing] of [
      ['order_id,amount\n3,30\n,40\n', 'not_null(order_id)'],
      ['order_id,amount\n4,-5\n', 'between(amount)'],
      ['order_id,amount\n2,20\n', 'unique(order_id)'], // a key main already has
      ['order_id,amt\n5,50\n', 'schema'], // a renamed column
    ] as const) {
      batch(csv);
      const run = await load('shop');
      expect(run.status).toBe('failure');
      expect(run.failed.map((f) => f.name)).toContain(failing);
      expect((await repo.getBranch('main')).head).toBe(before);
      expect(await branches()).toContain(run.branch);
      expect(await count(run.branch)).toBeGreaterThan(2); // the batch is there to inspect
      expect(alerts.at(-1)).toMatchObject({
        type: 'load.failed',
        refs: { branch: run.branch, target: 'main', runId: run.runId },
      });
    }
    expect(alerts).toHaveLength(4);
    expect(await count()).toBe(2);
    const loads = await events('load');
    expect(loads.map((e) => e.outcome)).toEqual([
      'success',
      'failure',
      'failure',
      'failure',
      'failure',
    ]);
    expect((await events('alert')).filter((e) => e.outcome === 'success')).toHaveLength(4);
  });

  it('REST: every page is loaded; HTTP errors and invalid JSON stage nothing', async () => {
    restPages = [
      {
        data: [
          { order_id: 1, amount: 10 },
          { order_id: 2, amount: 20 },
        ],
      },
      { data: [{ order_id: 3, amount: 30 }] },
    ];
    const run = await load('api');
    expect(run.status).toBe('success');
    expect(run.rows).toBe(3);
    expect(await count()).toBe(3);
    const head = (await repo.getBranch('main')).head;

    restStatus = 500;
    await expect(load('api')).rejects.toMatchObject({ code: 'SourceFetchError' });
    restStatus = 200;
    restPages = ['{"data": [ {"order_id": 4,'];
    await expect(load('api')).rejects.toMatchObject({ code: 'SourceFetchError' });
    expect((await repo.getBranch('main')).head).toBe(head);
    expect(await branches()).toEqual([]);
    const loads = await events('load');
    expect(loads.map((e) => e.outcome)).toEqual(['success', 'error', 'error']);
    expect(alerts.map((a) => a.type)).toEqual(['load.error', 'load.error']);

    restPages = [{ data: [] }];
    expect((await load('api')).status).toBe('skipped');
  });

  it('runs racing into one target from separate handles all land; none is lost', async () => {
    const handles = await Promise.all([1, 2, 3].map(() => openRepository(dir)));
    try {
      // Three ingestors, each its own files ingestor into the same table.
      writeFileSync(
        join(dir, 'sluice.yml'),
        SLUICE_YML().replace(
          '\nalerts:',
          `\n${[1, 2, 3]
            .map(
              (i) =>
                `  - {name: feed${i}, kind: files, path: landing/feed${i}/*.csv, table: orders}`,
            )
            .join('\n')}\nalerts:`,
        ),
      );
      for (const i of [1, 2, 3]) {
        mkdirSync(join(dir, `landing/feed${i}`));
        writeFileSync(
          join(dir, `landing/feed${i}/b.csv`),
          `order_id,amount\n${i}1,1\n${i}2,2\n${i}3,3\n`,
        );
      }
      const runs = await Promise.all(
        handles.map((h, k) => runLoad(h, dir, loadWorkflowConfig(dir), `feed${k + 1}`, {})),
      );
      expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'success']);
      expect(await count()).toBe(9);
      expect(await branches()).toEqual([]);
    } finally {
      for (const h of handles) await h.close();
    }
  });

  it('a load retried with its idempotency key loads nothing and answers with the first run; racing retries land once; another load under the key is refused', async () => {
    batch('order_id,amount\n1,10\n2,20\n');
    const keyed = (key: string, name = 'shop', r = repo) =>
      runLoad(r, dir, loadWorkflowConfig(dir), name, { backoffMs: 1, idempotencyKey: key });
    const first = await keyed('nightly-1');
    expect(first).toMatchObject({ status: 'success', rows: 2 });
    expect(first.replayed).toBeUndefined();
    const again = await keyed('nightly-1');
    expect(again).toMatchObject({
      status: 'success',
      replayed: true,
      commit: first.commit,
      mergeCommit: first.mergeCommit,
      rows: 2,
    });
    expect((await repo.getBranch('main')).head).toBe(first.mergeCommit);
    expect(await count()).toBe(2);
    expect(
      (await events('load')).find((e) => 'runId' in e && e.runId === again.runId),
    ).toMatchObject({
      outcome: 'skipped',
      mergeCommit: first.mergeCommit,
    });

    // Two runs racing with one key (separate handles): one lands, the other answers with it.
    batch('order_id,amount\n3,30\n');
    const handles = await Promise.all([1, 2].map(() => openRepository(dir)));
    try {
      const racing = await Promise.all(handles.map((h) => keyed('nightly-2', 'shop', h)));
      expect(racing.map((r) => r.status)).toEqual(['success', 'success']);
      expect(racing.filter((r) => r.replayed)).toHaveLength(1);
      expect(racing[0]?.mergeCommit).toBe(racing[1]?.mergeCommit);
    } finally {
      for (const h of handles) await h.close();
    }
    expect(await count()).toBe(3);
    expect(await branches()).toEqual([]);

    // The key of the shop load, given to another ingestor's load: refused, nothing loaded.
    restPages = [{ data: [{ order_id: 9, amount: 9 }] }];
    await expect(keyed('nightly-1', 'api')).rejects.toMatchObject({
      code: 'IdempotencyKeyReusedError',
    });
    expect(await count()).toBe(3);
  });
});
