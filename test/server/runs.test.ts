// The server's long operations (issue 15): 202 and a run id, polled to its end; its log readable
// while it runs and streamed as Server-Sent Events; failures as their error document; permissions
// refused before anything runs; runs read from any replica (a second server on the repository),
// and a run whose process stopped heartbeating read as lost.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { RepositoryHost, RUN_ID_PATTERN, type RunJson } from '../../src/internal.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { ServerRuns } from '../../src/server/runs.js';
import { ingest } from '../../src/tables/ingest.js';
import { basicAuth, testAuthenticator } from '../support/test-auth.js';

const auth = testAuthenticator({
  ana: ['Admins'],
  dev: ['Developers'],
  viv: ['Viewers'],
  dee: ['Deployers'],
});

let dir: string;
const hosts: RepositoryHost[] = [];
const apps: FastifyInstance[] = [];
let app: FastifyInstance;

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A server on its own handles of the repository (a replica), or on `opts.host`. */
async function server(opts: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  let host = opts.host;
  if (!host) {
    host = await RepositoryHost.open(dir);
    hosts.push(host);
  }
  const a = await buildServer({
    host,
    auth,
    logger: false,
    processMetrics: false,
    runs: { flushMs: 5, pollMs: 10 },
    ...opts,
  });
  apps.push(a);
  return a;
}

const R = '/api/v1/repositories/repo';

async function call(
  a: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  user = 'ana',
  payload?: unknown,
) {
  const res = await a.inject({
    method,
    url,
    headers: basicAuth(user),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, json: res.json(), headers: res.headers };
}

/** Polls a run until it is finished (the runner's own progress, not a timing assertion). */
async function finished(a: FastifyInstance, runId: string): Promise<RunJson> {
  for (;;) {
    const { json } = await call(a, 'GET', `${R}/runs/${runId}`);
    if (!['queued', 'running'].includes(json.status)) return json as RunJson;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(url: string, payload: unknown = {}, user = 'ana', a = app) {
  const res = await call(a, 'POST', url, user, payload);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return res;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-server-runs-'));
  write(
    'sluice.yml',
    [
      'name: shop',
      'environments:',
      '  staging: {build: false}',
      '  production: {}',
      'ingestors:',
      '  - {name: shop, kind: files, path: landing/*.csv, table: landed}',
      '',
    ].join('\n'),
  );
  write(
    'checks/orders.yml',
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - not_null\n',
  );
  write(
    'checks/bad.yml',
    'version: 2\nmodels:\n  - name: bad\n    columns:\n      - name: amount\n        tests:\n          - between: {min: 0}\n',
  );
  write('models/big_orders.sql', 'select * from orders where amount > 10\n');
  write('landing/a.csv', 'id,v\n1,x\n2,y\n');
  const repo = await initRepository(dir, { committer: 'test', name: 'repo' });
  for (const [table, csv] of [
    ['orders', 'id,amount\n1,10\n2,20\n'],
    ['bad', 'id,amount\n1,5\n2,-1\n'],
  ] as const) {
    const f = join(dir, `${table}.csv`);
    writeFileSync(f, csv);
    await ingest(repo, f, { table, branch: 'main' });
    rmSync(f);
  }
  await repo.commit('main', { message: 'data' });
  await repo.close();
  app = await server();
});

afterAll(async () => {
  for (const a of apps) await a.close();
  for (const h of hosts) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('check runs', () => {
  it('answer 202 with a run id, then succeed with `sluice check --json` as the result', async () => {
    const { json, headers } = await start(`${R}/checks`, { table: 'orders' });
    expect(json.runId).toMatch(RUN_ID_PATTERN);
    expect(json).toMatchObject({ kind: 'check', actor: 'ana', request: { table: 'orders' } });
    expect(['queued', 'running', 'succeeded']).toContain(json.status);
    expect(headers.location).toBe(`${R}/runs/${json.runId}`);
    expect(json.links).toEqual({
      self: `${R}/runs/${json.runId}`,
      log: `${R}/runs/${json.runId}/log`,
      events: `${R}/runs/${json.runId}/events`,
    });
    const run = await finished(app, json.runId);
    expect(run).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const result = run.result as { check: { summary: unknown; ref: string }; event: number };
    expect(result.check.summary).toEqual({ pass: 1, warn: 0, fail: 0, error: 0 });
    expect(result.check.ref).toBe('main');
    expect(result.event).toEqual(expect.any(Number));
    // The stored results and the history read back what the run stored.
    const results = await call(app, 'GET', `${R}/checks/results?ref=main`);
    expect(results.status).toBe(200);
    expect(results.json.run.results).toHaveLength(1);
    const history = await call(app, 'GET', `${R}/checks/history?table=orders`, 'viv');
    expect(history.status).toBe(200);
    expect(history.json.table).toBe('orders');
    expect(history.json.runs[0].results[0]).toMatchObject({ name: 'not_null(amount)' });
  });

  it('a failing check makes a failed run with exit code 2 and its document', async () => {
    const { json } = await start(`${R}/checks`, {}, 'dev');
    const run = await finished(app, json.runId);
    expect(run).toMatchObject({ status: 'failed', exitCode: 2, actor: 'dev' });
    expect((run.result as { check: { summary: unknown } }).check.summary).toEqual({
      pass: 1,
      warn: 0,
      fail: 1,
      error: 0,
    });
  });

  it('a spec that cannot be used fails the run with the error document (exit 3)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'sluice-bad-project-'));
    try {
      mkdirSync(join(project, 'checks'));
      writeFileSync(
        join(project, 'checks', 'orders.yml'),
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amout\n        tests:\n          - not_null\n',
      );
      // The same repository handles: one process runs DuckDB on the repository once.
      const other = await server({ projectDir: project, host: hosts[0] });
      const { json } = await start(`${R}/checks`, {}, 'ana', other);
      const run = await finished(other, json.runId);
      expect(run).toMatchObject({ status: 'failed', exitCode: 3 });
      expect(run.result).toBeUndefined();
      expect(run.error?.code).toBe('CheckSpecError');
      expect(run.error?.message).toContain('amout');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('a ref that does not resolve fails the run with its error and no exit code', async () => {
    const { json } = await start(`${R}/checks`, { ref: 'no-such-branch' });
    const run = await finished(app, json.runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toMatch(/NotFoundError$/);
    expect(run.exitCode).toBeUndefined();
  });
});

describe('run logs and events', () => {
  it('a log is readable while the run runs; the event stream delivers its lines, then the status', async () => {
    const runs = new ServerRuns({ flushMs: 1, pollMs: 5 });
    const a = await server({ runs });
    const host = hosts.at(-1) as RepositoryHost;
    const repo = await host.get('repo');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let logged: () => void = () => {};
    const firstLogged = new Promise<void>((r) => {
      logged = r;
    });
    const rec = await runs.start(repo, 'test', 'ana', { x: 1 }, async (log) => {
      log('first line');
      log('second line\nthird line');
      logged();
      await gate;
      log('after the gate');
      return { result: { done: true }, exitCode: 0 };
    });
    await firstLogged;
    // Read until the flushed lines are there: the run is still running (it waits on the gate).
    let log: { status: string; results: { seq: number; line: string }[] };
    do {
      await new Promise((r) => setTimeout(r, 5)); // the writer's flush is a timer
      log = (await call(a, 'GET', `${R}/runs/${rec.id}/log`)).json;
    } while (log.results.length < 3);
    expect(log.status).toBe('running');
    expect(log.results.map((l) => [l.seq, l.line])).toEqual([
      [1, 'first line'],
      [2, 'second line'],
      [3, 'third line'],
    ]);
    const after = (await call(a, 'GET', `${R}/runs/${rec.id}/log?after=2`)).json;
    expect(after.results.map((l: { line: string }) => l.line)).toEqual(['third line']);

    // The stream opens while the run waits; it ends once the run has finished.
    const stream = a.inject({
      method: 'GET',
      url: `${R}/runs/${rec.id}/events?after=1`,
      headers: basicAuth('viv'),
    });
    release();
    const res = await stream;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = res.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        return {
          event: field('event'),
          id: field('id'),
          data: JSON.parse(field('data') ?? 'null'),
        };
      });
    expect(events.filter((e) => e.event === 'log').map((e) => [e.id, e.data.line])).toEqual([
      ['2', 'second line'],
      ['3', 'third line'],
      ['4', 'after the gate'],
    ]);
    const last = events.at(-1);
    expect(last?.event).toBe('status');
    expect(last?.data).toMatchObject({
      runId: rec.id,
      status: 'succeeded',
      result: { done: true },
    });
  });

  it('an unknown run is 404 RunNotFoundError, for the run, its log and its events', async () => {
    for (const path of ['', '/log', '/events']) {
      const res = await call(app, 'GET', `${R}/runs/20260101000000000-deadbeef${path}`);
      expect(res.status).toBe(404);
      expect(res.json.error).toMatchObject({
        code: 'RunNotFoundError',
        data: { run: '20260101000000000-deadbeef' },
      });
    }
  });

  it('lists runs newest first, by kind', async () => {
    const all = await call(app, 'GET', `${R}/runs?amount=2`, 'viv');
    expect(all.status).toBe(200);
    expect(all.json.results).toHaveLength(2);
    expect(all.json.pagination.hasMore).toBe(true);
    const ids = all.json.results.map((r: RunJson) => r.runId);
    expect([...ids].sort().reverse()).toEqual(ids);
    const checks = await call(app, 'GET', `${R}/runs?kind=check&amount=1000`);
    expect(checks.json.results.length).toBeGreaterThanOrEqual(3);
    expect(checks.json.results.every((r: RunJson) => r.kind === 'check')).toBe(true);
  });
});

describe('replicas', () => {
  it('a run started on one server is read, logged and streamed from another', async () => {
    const other = await server();
    const { json } = await start(`${R}/loads`, { ingestor: 'shop' });
    const run = await finished(other, json.runId);
    expect(run).toMatchObject({ kind: 'load', status: 'succeeded', exitCode: 0 });
    expect(run.result).toMatchObject({ status: 'success', table: 'landed', rows: 2 });
    const log = (await call(other, 'GET', `${R}/runs/${json.runId}/log`)).json;
    expect(log.results.length).toBeGreaterThan(0);
    const events = await other.inject({
      method: 'GET',
      url: `${R}/runs/${json.runId}/events`,
      headers: basicAuth('ana'),
    });
    expect(events.body).toContain('event: status');
    expect(events.body.match(/event: log/g)?.length).toBe(log.results.length);
  });

  it('a run whose heartbeat stopped (its process died) reads as lost', async () => {
    const host = hosts[0] as RepositoryHost;
    const repo = await host.get('repo');
    const old = new Date(Date.now() - 10 * 60_000);
    await repo.meta.createServerRun('repo', {
      id: '20200101000000000-0badc0de',
      kind: 'build',
      status: 'running',
      actor: 'dev',
      createdAt: old,
      updatedAt: old,
      request: '{}',
      result: null,
      error: null,
      exitCode: null,
    });
    const run = (await call(app, 'GET', `${R}/runs/20200101000000000-0badc0de`)).json;
    expect(run.status).toBe('lost');
    const stream = await app.inject({
      method: 'GET',
      url: `${R}/runs/20200101000000000-0badc0de/events`,
      headers: basicAuth('ana'),
    });
    expect(stream.body).toContain('"status":"lost"');
  });
});

describe('builds and environments', () => {
  it('a build logs its node lines and lands, like `sluice build`', async () => {
    const { json } = await start(`${R}/builds`, { branch: 'main' }, 'ana');
    const run = await finished(app, json.runId);
    expect(run, JSON.stringify(run.error)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const result = run.result as { run: { status: string }; commit: string; event: number };
    expect(result.run.status).toBe('success');
    expect(result.commit).toEqual(expect.any(String));
    const log = (await call(app, 'GET', `${R}/runs/${json.runId}/log`)).json;
    expect(log.results.map((l: { line: string }) => l.line)).toEqual([
      expect.stringMatching(/^1 of 1 OK\s+model big_orders \[\d+\.\d\ds\]$/),
    ]);
  });

  it('a viewer may not build', async () => {
    const res = await call(app, 'POST', `${R}/builds`, 'viv', { branch: 'main' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('PermissionDeniedError');
  });

  it('promote, deploy, status, rollback — each refused to a viewer, nothing started', async () => {
    const before = (await call(app, 'GET', `${R}/runs?amount=1000`)).json.results.length;
    for (const op of ['promote', 'deploy', 'rollback']) {
      const res = await call(app, 'POST', `${R}/environments/staging/${op}`, 'viv', {});
      expect(res.status, op).toBe(403);
      expect(res.json.error).toMatchObject({
        code: 'PermissionDeniedError',
        data: { action: `env:${op[0]?.toUpperCase()}${op.slice(1)}` },
      });
    }
    expect((await call(app, 'GET', `${R}/runs?amount=1000`)).json.results).toHaveLength(before);

    // The project's checks refuse main (`bad` has a negative amount): a failed run, exit 2, and
    // the document `sluice promote --json` prints.
    const refused = await finished(
      app,
      (await start(`${R}/environments/staging/promote`, {}, 'dee')).json.runId,
    );
    expect(refused).toMatchObject({
      kind: 'promote',
      status: 'failed',
      exitCode: 2,
      result: { status: 'failure', environment: 'staging', event: expect.any(Number) },
    });
    const repo = await (hosts[0] as RepositoryHost).get('repo');
    const f = join(dir, 'fixed.csv');
    writeFileSync(f, 'id,amount\n1,5\n2,1\n');
    await ingest(repo, f, { table: 'bad', branch: 'main', mode: 'overwrite' });
    await repo.commit('main', { message: 'fix bad' });
    const promoted = await finished(
      app,
      (await start(`${R}/environments/staging/promote`, {}, 'dee')).json.runId,
    );
    expect(promoted, JSON.stringify(promoted.error)).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      result: { status: 'success', environment: 'staging' },
    });
    const phases = (await call(app, 'GET', `${R}/runs/${promoted.runId}/log`)).json;
    expect(phases.results.length).toBeGreaterThan(0);
    const deployed = await finished(
      app,
      (await start(`${R}/environments/production/deploy`, {}, 'dee')).json.runId,
    );
    expect(deployed, JSON.stringify(deployed.error)).toMatchObject({
      status: 'succeeded',
      result: { status: 'success', alias: 'production' },
    });
    const log = (await call(app, 'GET', `${R}/runs/${deployed.runId}/log`)).json;
    expect(log.results.length).toBeGreaterThan(0);

    const status = await call(app, 'GET', `${R}/environments`, 'viv');
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({
      staging: { branch: 'staging' },
      production: { alias: 'production', live: expect.any(Object) },
    });

    // Nothing earlier to roll back to: the run fails with the error `sluice rollback` shows.
    const rolled = await finished(
      app,
      (await start(`${R}/environments/production/rollback`, {}, 'dee')).json.runId,
    );
    expect(rolled.status).toBe('failed');
    expect(rolled.error?.code).toEqual(expect.any(String));
  });
});
