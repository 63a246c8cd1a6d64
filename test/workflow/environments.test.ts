// Environments: promote to staging (sampling and masking on a candidate, deterministic, never
// touching main or production), blue/green deploys whose readers never see a mix, rollback to the
// exact previous commit, a smoke check that stops a deploy, `sluice env status`, and the events
// metrics are computed from.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Json } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import { main } from '../../src/cli/main.js';
import { ConcurrentUpdateError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { ingest } from '../../src/tables/ingest.js';
import { loadWorkflowConfig, type WorkflowConfig } from '../../src/workflow/config/index.js';
import {
  deploy,
  deployHistory,
  envStatus,
  promote,
  rollback,
  sampleThreshold,
} from '../../src/workflow/environments/index.js';
import { listEvents, recordEvent, type StoredEvent } from '../../src/workflow/events/index.js';
import { runLoad } from '../../src/workflow/load.js';

// A loopback sink that records every alert posted to it.
let server: Server;
let base: string;
const alerts: { type: string; text: string; refs: Record<string, string> }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/alerts') alerts.push(JSON.parse(body));
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
let repo: Repository;
const ALERTS = () => `
alerts:
  - {name: ops, kind: webhook, url: "${base}/alerts", retries: 0}
`;

/** A repository whose sluice.yml is `yml` (plus the alert sink) and other files as given. */
async function setup(yml: string, files: Record<string, string> = {}): Promise<void> {
  writeFileSync(join(dir, 'sluice.yml'), `${yml}\n${ALERTS()}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  await (await initRepository(dir, { committer: 'test' })).close();
  repo = await openRepository(dir);
}
const config = (): WorkflowConfig => loadWorkflowConfig(dir);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-env-'));
  alerts.length = 0;
});
afterEach(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Overwrites `table` on `branch` with a CSV's rows (not committed). */
async function write(table: string, csv: string, branch = 'main', key?: string[]): Promise<void> {
  const f = join(dir, `in-${n++}.csv`);
  writeFileSync(f, csv);
  await ingest(repo, f, { table, branch, mode: 'overwrite', ...(key ? { key } : {}) });
  rmSync(f);
}
const commit = async (message: string, branch = 'main') =>
  (await repo.commit(branch, { message })).id as string;
const head = async (branch: string) => (await repo.getBranch(branch)).head as string;
const resolved = async (ref: string) => (await repo.resolve(ref)).commit as string;
async function rows(sql: string, ref: string): Promise<Record<string, Json>[]> {
  return withSqlSession(repo, { refs: [ref] }, async (s) => (await s.duck.query(sql)).rows);
}
async function events(type: 'promote' | 'deploy' | 'rollback' | 'check'): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of listEvents(repo, { types: [type] })) out.push(e);
  return out;
}
async function branches(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of repo.listBranches({ prefix })) out.push(b.name);
  return out;
}
const opts = { backoffMs: 1 };

const customersCsv = (count: number): string => {
  const lines = ['id,email,phone,name'];
  for (let i = 1; i <= count; i++) lines.push(`${i},user${i}@example.com,555-${1000 + i},name${i}`);
  return `${lines.join('\n')}\n`;
};
const ordersCsv = (count: number): string => {
  const lines = ['order_id,customer_id,amount'];
  for (let i = 1; i <= count; i++) lines.push(`${i},${(i % 50) + 1},${i * 3}`);
  return `${lines.join('\n')}\n`;
};

describe('promote', () => {
  const STAGING = `
environments:
  staging:
    build: false
    sample: {fraction: 0.5, seed: 42, tables: [customers]}
    mask:
      customers.email: hash
      customers.phone: redact
  production: {}
`;

  it('samples and masks on staging only: deterministic, main and production untouched', async () => {
    await setup(STAGING);
    await write('customers', customersCsv(200), 'main', ['id']);
    await write('orders', ordersCsv(300));
    const mainHead = await commit('data');

    const p1 = await promote(repo, dir, config(), 'staging', opts);
    expect(p1.status).toBe('success');
    expect(p1.commit).toBe(mainHead);
    expect(p1.moved).toBe('created');
    expect(await head('staging')).toBe(p1.builtCommit);
    expect(await branches('promote/')).toEqual([]); // the candidate is gone
    expect(p1.masked).toEqual([
      { table: 'customers', column: 'email', method: 'hash' },
      { table: 'customers', column: 'phone', method: 'redact' },
    ]);
    expect(p1.sampled).toEqual([
      { table: 'customers', rowsBefore: 200, rowsAfter: expect.any(Number) },
    ]);

    // Production exists before the next promotions; they must not touch it. It takes main's
    // commit, not staging's sampled and masked one.
    const d = await deploy(repo, dir, config(), 'production', opts);
    expect(d.status).toBe('success');
    expect(d.unmaskedFrom).toBe(p1.builtCommit);
    expect(d.commit).toBe(mainHead);
    expect(await rows('SELECT count(*)::INT AS n FROM customers', 'production')).toEqual([
      { n: 200 },
    ]);
    const prodBefore = {
      alias: await resolved('production'),
      blue: await head('production-blue'),
    };

    const staged = 'SELECT * FROM customers ORDER BY id';
    const s1 = await rows(staged, 'staging');
    // Sampling: a subset of the ids, about half, by the documented hash rule.
    const ids = s1.map((r) => Number(r.id));
    expect(ids.length).toBe(p1.sampled[0]?.rowsAfter);
    expect(ids.length).toBeGreaterThan(60);
    expect(ids.length).toBeLessThan(140);
    const kept = (seed: number, id: number) =>
      createHash('md5').update(`${seed}:[${id}]`).digest('hex').slice(0, 12) < sampleThreshold(0.5);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1).filter((id) => kept(42, id)));
    // Masking: no original email left, each one the documented digest; phones gone.
    for (const r of s1) {
      expect(r.email).toBe(
        createHash('sha256').update(`email:user${r.id}@example.com`).digest('hex'),
      );
      expect(r.phone).toBeNull();
      expect(r.name).toBe(`name${r.id}`);
    }
    const emails = await rows(
      "SELECT count(*)::INT AS n FROM customers WHERE email LIKE '%@%'",
      'staging',
    );
    expect(emails).toEqual([{ n: 0 }]);
    const types = await rows(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customers' ORDER BY column_name",
      'staging',
    );
    expect(types.find((t) => t.column_name === 'email')?.data_type).toBe('VARCHAR');
    // A table outside `sample.tables` is whole.
    expect(await rows('SELECT count(*)::INT AS n FROM orders', 'staging')).toEqual([{ n: 300 }]);

    // The same seed again: the same rows.
    const p2 = await promote(repo, dir, config(), 'staging', opts);
    expect(p2.status).toBe('success');
    expect(p2.fromCommit).toBe(p1.builtCommit);
    expect(await rows(staged, 'staging')).toEqual(s1);

    // Another seed: other rows.
    const c = config();
    const st = c.environments.staging;
    if (!st?.sample) throw new Error('no sample');
    c.environments.staging = { ...st, sample: { ...st.sample, seed: 7 } };
    expect((await promote(repo, dir, c, 'staging', opts)).status).toBe('success');
    const s3 = (await rows(staged, 'staging')).map((r) => Number(r.id));
    expect(s3).not.toEqual(ids);
    expect(s3).toEqual(Array.from({ length: 200 }, (_, i) => i + 1).filter((id) => kept(7, id)));

    // main and production: the same commits as before.
    expect(await head('main')).toBe(mainHead);
    expect(await resolved('production')).toBe(prodBefore.alias);
    expect(await head('production-blue')).toBe(prodBefore.blue);
    expect(await rows('SELECT count(*)::INT AS n FROM customers', 'main')).toEqual([{ n: 200 }]);
    const ev = await events('promote');
    expect(ev.map((e) => e.outcome)).toEqual(['success', 'success', 'success']);
    expect(ev[0]).toMatchObject({
      environment: 'staging',
      source: 'main',
      commit: mainHead,
      builtCommit: p1.builtCommit,
    });
  });

  it('a protected staging moves through its gate, to exactly the candidate’s data', async () => {
    await setup(`gates:\n  - branch: staging\n${STAGING}`);
    await write('customers', customersCsv(200), 'main', ['id']);
    await write('orders', ordersCsv(300));
    await commit('data');
    const p1 = await promote(repo, dir, config(), 'staging', opts);
    expect(p1.moved).toBe('created');
    await expect(repo.resetBranch('staging', 'main')).rejects.toThrow(/protected/);

    await write('orders', ordersCsv(310));
    const mainHead = await commit('more orders');
    const c = config();
    const st = c.environments.staging;
    if (!st?.sample) throw new Error('no sample');
    c.environments.staging = { ...st, sample: { ...st.sample, seed: 7 } };
    const p2 = await promote(repo, dir, c, 'staging', opts);
    expect(p2.status).toBe('success');
    expect(p2.moved).toBe('gate');
    expect(await head('staging')).toBe(p2.builtCommit);
    expect(await head('main')).toBe(mainHead);
    // Nothing of the previous sample is left over: the new sample, and main's new orders.
    const ids = (await rows('SELECT id FROM customers ORDER BY id', 'staging')).map((r) =>
      Number(r.id),
    );
    const fresh = await rows('SELECT count(*)::INT AS n FROM customers', p2.builtCommit);
    expect(fresh).toEqual([{ n: ids.length }]);
    const kept = (id: number) =>
      createHash('md5').update(`7:[${id}]`).digest('hex').slice(0, 12) < sampleThreshold(0.5);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1).filter(kept));
    expect(await rows('SELECT count(*)::INT AS n FROM orders', 'staging')).toEqual([{ n: 310 }]);
    let files = 0;
    for await (const _ of repo.list('staging', { prefix: 'tables/customers/' })) files++;
    let fromMain = 0;
    for await (const _ of repo.list(p1.builtCommit, { prefix: 'tables/customers/' })) fromMain++;
    expect(files).toBe(fromMain); // one file and the manifest, as one sampling writes them
  });

  it('a candidate whose checks fail: staging stays, the candidate is kept, one alert', async () => {
    await setup(STAGING, {
      'checks/customers.yml': `version: 2
models:
  - name: customers
    tests:
      - row_count: {min: 150}
    columns:
      - name: phone
        tests: [not_null]
`,
    });
    await write('customers', customersCsv(200), 'main', ['id']);
    await commit('data');
    // Unsampled first: passes (the redacted phone's not_null is not judged on staging).
    const c = config();
    const st = c.environments.staging;
    if (!st) throw new Error('no staging');
    const { sample, ...unsampled } = st;
    const ok = await promote(
      repo,
      dir,
      { ...c, environments: { staging: unsampled } },
      'staging',
      opts,
    );
    expect(ok.status).toBe('success');
    expect(ok.checks).toEqual({ pass: 1, warn: 0, fail: 0, error: 0 });
    expect(sample).toBeDefined();

    const stagingBefore = await head('staging');
    const bad = await promote(repo, dir, c, 'staging', opts);
    expect(bad.status).toBe('failure');
    expect(bad.failed.map((f) => f.name)).toEqual(['row_count']);
    expect(await head('staging')).toBe(stagingBefore);
    expect(await branches('promote/')).toEqual([bad.candidate]);
    expect(await head(bad.candidate)).toBe(bad.builtCommit);
    expect(alerts.map((a) => a.type)).toEqual(['promote.failed']);
    expect(alerts[0]?.refs.branch).toBe(bad.candidate);
    expect((await events('promote')).map((e) => e.outcome)).toEqual(['success', 'failure']);
  });
});

describe('deploy and rollback', () => {
  const ENVS = `
environments:
  staging: {build: false}
  production: {}
`;
  const CHECKS = {
    'checks/versions.yml': `version: 2
models:
  - name: a
    columns:
      - name: version
        tests:
          - between: {min: 0}
`,
  };
  /** Commits version `v` of tables a and b (each with 50 rows) on main. */
  async function version(v: number): Promise<string> {
    const csv = `id,version\n${Array.from({ length: 50 }, (_, i) => `${i},${v}`).join('\n')}\n`;
    await write('a', csv);
    await write('b', csv);
    return commit(`version ${v}`);
  }

  it('blue, then green; rollback restores the exact previous commit; --to an older deploy', async () => {
    await setup(ENVS, CHECKS);
    const v1 = await version(1);
    await promote(repo, dir, config(), 'staging', opts);
    const d1 = await deploy(repo, dir, config(), 'production', opts);
    expect(d1).toMatchObject({ status: 'success', colour: 'blue', branch: 'production-blue' });
    expect(d1.commit).toBe(v1);
    expect(d1.smoke).toBe('pass'); // the checks of the tables that differ: all, at first
    expect((await repo.getBranch('production')).name).toBe('production-blue');
    expect(await resolved('production')).toBe(v1);

    const v2 = await version(2);
    await promote(repo, dir, config(), 'staging', opts);
    const d2 = await deploy(repo, dir, config(), 'production', opts);
    expect(d2).toMatchObject({ status: 'success', colour: 'green', fromDeployId: d1.deployId });
    expect(d2.fromCommit).toBe(v1);
    expect(await resolved('production')).toBe(v2);
    expect(d2.deployId).toMatch(/^\d{17}-[0-9a-f]{8}$/);

    // Nothing new on staging: nothing to deploy.
    expect((await deploy(repo, dir, config(), 'production', opts)).status).toBe('skipped');

    const r1 = await rollback(repo, config(), 'production', opts);
    expect(r1).toMatchObject({
      deployId: d1.deployId,
      commit: v1,
      colour: 'blue',
      fromCommit: v2,
      fromDeployId: d2.deployId,
      flipOnly: true,
    });
    expect(await resolved('production')).toBe(v1);
    expect(await rows('SELECT max(version)::INT AS v FROM a', 'production')).toEqual([{ v: 1 }]);
    // Nothing earlier than d1 to go back to.
    await expect(rollback(repo, config(), 'production', opts)).rejects.toThrow(
      /nothing to roll back/,
    );

    const v3 = await version(3);
    await promote(repo, dir, config(), 'staging', opts);
    const d3 = await deploy(repo, dir, config(), 'production', opts);
    expect(d3).toMatchObject({ status: 'success', colour: 'green', fromDeployId: d1.deployId });
    expect(await resolved('production')).toBe(v3);

    // Back to d2, which is on neither colour any more (blue holds d1, green d3): the other
    // colour, blue, is reset to d2's commit first, then the alias flips.
    const r2 = await rollback(repo, config(), 'production', { ...opts, to: d2.deployId });
    expect(r2).toMatchObject({
      deployId: d2.deployId,
      commit: v2,
      colour: 'blue',
      flipOnly: false,
    });
    expect(await resolved('production')).toBe(v2);
    await expect(
      rollback(repo, config(), 'production', { ...opts, to: 'no-such-deploy' }),
    ).rejects.toThrow(/no successful deploy/);

    const rb = await events('rollback');
    expect(rb).toHaveLength(2);
    expect(rb[1]).toMatchObject({
      type: 'rollback',
      outcome: 'success',
      environment: 'production',
      deployId: d2.deployId,
      commit: v2,
      colour: 'blue',
      fromCommit: v3,
      fromDeployId: d3.deployId,
      detectedAt: expect.any(String),
    });
    expect(alerts).toEqual([]); // the default sink takes failures only
  });

  it('readers of production never see a mix while deploys and rollbacks flip', async () => {
    await setup(ENVS, CHECKS);
    const versions: string[] = [];
    for (let v = 1; v <= 4; v++) versions.push(await version(v));
    await repo.createBranch('staging', { from: versions[0] });
    expect((await deploy(repo, dir, config(), 'production', opts)).status).toBe('success');

    let done = false;
    let reads = 0;
    const seen = new Set<number>();
    const reader = (async () => {
      while (!done) {
        const c = await resolved('production');
        expect(versions).toContain(c);
        const [r] = await rows(
          `SELECT (SELECT min(version) FROM a)::INT AS a_min, (SELECT max(version) FROM a)::INT AS a_max,
                  (SELECT min(version) FROM b)::INT AS b_min, (SELECT max(version) FROM b)::INT AS b_max,
                  (SELECT count(*) FROM a)::INT AS a_n, (SELECT count(*) FROM b)::INT AS b_n`,
          'production',
        );
        expect(r?.a_min).toBe(r?.a_max);
        expect(r?.a_min).toBe(r?.b_min);
        expect(r?.a_min).toBe(r?.b_max);
        expect([r?.a_n, r?.b_n]).toEqual([50, 50]);
        seen.add(Number(r?.a_min));
        reads++;
      }
    })();
    try {
      for (let round = 0; round < 2; round++) {
        for (let i = 1; i < versions.length; i++) {
          await repo.resetBranch('staging', versions[i] as string);
          expect((await deploy(repo, dir, config(), 'production', opts)).status).toBe('success');
          if (i % 2 === 0) {
            const r = await rollback(repo, config(), 'production', opts);
            expect(await resolved('production')).toBe(r.commit);
          }
        }
        await repo.resetBranch('staging', versions[0] as string);
        await deploy(repo, dir, config(), 'production', opts);
      }
    } finally {
      done = true;
      await reader;
    }
    expect(reads).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('a failed smoke check leaves the alias where it was and sends one alert', async () => {
    await setup(ENVS, CHECKS);
    const v1 = await version(1);
    await promote(repo, dir, config(), 'staging', opts);
    const d1 = await deploy(repo, dir, config(), 'production', opts);
    // A bad commit reaches staging (as if promoted before the check existed).
    await write('a', 'id,version\n1,-1\n');
    const bad = await commit('bad version');
    await repo.resetBranch('staging', bad);

    const d2 = await deploy(repo, dir, config(), 'production', opts);
    expect(d2.status).toBe('failure');
    expect(d2.smoke).toBe('fail');
    expect(d2.smokeFailed.map((f) => f.table)).toEqual(['a']);
    expect((await repo.getBranch('production')).name).toBe('production-blue');
    expect(await resolved('production')).toBe(v1);
    expect(await head('production-green')).toBe(bad); // the candidate, for inspection
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.type).toBe('deploy.failed');
    expect(alerts[0]?.text).toContain(`a: ${d2.smokeFailed[0]?.name}`);
    const ev = (await events('deploy')).at(-1);
    expect(ev).toMatchObject({
      outcome: 'failure',
      deployId: d2.deployId,
      smoke: 'fail',
      smokeFailed: [d2.smokeFailed[0]?.name],
      fromDeployId: d1.deployId,
      fromCommit: v1,
    });
  });

  it('a rollback that loses the alias to a concurrent flip is an error event and an alert; nothing flips', async () => {
    await setup(ENVS, CHECKS);
    const v1 = await version(1);
    await promote(repo, dir, config(), 'staging', opts);
    const d1 = await deploy(repo, dir, config(), 'production', opts);
    const v2 = await version(2);
    await promote(repo, dir, config(), 'staging', opts);
    const d2 = await deploy(repo, dir, config(), 'production', opts);

    // Another flip lands between the rollback's read of the alias and its compare-and-swap.
    const cas = vi.spyOn(repo.meta, 'setAlias').mockResolvedValue(undefined);
    try {
      await expect(
        rollback(repo, config(), 'production', { ...opts, detectedAt: '2024-05-01T10:00:00Z' }),
      ).rejects.toThrow(ConcurrentUpdateError);
    } finally {
      cas.mockRestore();
    }
    expect((await repo.getBranch('production')).name).toBe('production-green');
    expect(await resolved('production')).toBe(v2);
    const [rb] = await events('rollback');
    expect(rb).toMatchObject({
      type: 'rollback',
      outcome: 'error',
      environment: 'production',
      deployId: d1.deployId,
      commit: v1,
      colour: 'blue',
      fromCommit: v2,
      fromDeployId: d2.deployId,
      detectedAt: '2024-05-01T10:00:00.000Z',
      reason: 'alias production moved while this deploy or rollback ran; nothing was flipped',
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'rollback.error',
      text: 'alias production moved while this deploy or rollback ran; nothing was flipped. production was not rolled back.',
      refs: {
        environment: 'production',
        deployId: d1.deployId,
        branch: 'production-blue',
        commit: v1,
        target: 'production',
      },
    });
    // The log's readers count successful rollbacks only: d2 is live, nothing was undone.
    const history = await deployHistory(repo, 'production');
    expect(history.live?.deployId).toBe(d2.deployId);
    expect(history.rolledBack.size).toBe(0);
    expect((await envStatus(repo, config())).production.liveDeployId).toBe(d2.deployId);
    // The next rollback goes where this one meant to.
    expect((await rollback(repo, config(), 'production', opts)).deployId).toBe(d1.deployId);
    expect(await resolved('production')).toBe(v1);
  });

  it('deploy events carry the loads they bring, with their commit times', async () => {
    await setup(
      `${ENVS}
ingestors:
  - {name: shop, kind: files, path: landing/*.csv, table: a}
`,
      { ...CHECKS, 'landing/batch.csv': 'id,version\n1,1\n2,1\n' },
    );
    const load = await runLoad(repo, dir, config(), 'shop', opts);
    expect(load.status).toBe('success');
    await promote(repo, dir, config(), 'staging', opts);
    const d = await deploy(repo, dir, config(), 'production', opts);
    const committedAt = (await repo.getCommit(load.commit as string)).createdAt.toISOString();
    const expected = [{ runId: load.runId, ingestor: 'shop', commit: load.commit, committedAt }];
    expect(d.loads).toEqual(expected);
    const [ev] = await events('deploy');
    expect(ev).toMatchObject({
      type: 'deploy',
      outcome: 'success',
      environment: 'production',
      deployId: d.deployId,
      colour: 'blue',
      commit: d.commit,
      smoke: 'pass',
      loads: expected,
      durationMs: expect.any(Number),
    });
    // A second deploy brings nothing new.
    await version(2);
    await promote(repo, dir, config(), 'staging', opts);
    expect((await deploy(repo, dir, config(), 'production', opts)).loads).toEqual([]);
  });
});

describe('a project: build on staging, smoke checks by tag, production rebuilt unmasked', () => {
  const FILES = {
    'models/totals.sql': `{{ config(materialized='table', tags=['smoke']) }}
select customer_id, count(*) as n, sum(amount) as total
from {{ source('raw', 'orders') }} group by customer_id
`,
    'models/totals.yml': `version: 2
sources:
  - name: raw
    tables: [{name: orders}]
models:
  - name: totals
    columns:
      - name: customer_id
        tests: [not_null, unique]
`,
  };
  const YML = `name: shop
environments:
  staging:
    sample: {fraction: 0.5, seed: 1, tables: [orders]}
    mask: {customers.email: hash}
  production:
    smoke: {select: "tag:smoke"}
`;

  it('promotes, deploys and reports env status', async () => {
    await setup(YML, FILES);
    await write('customers', customersCsv(50), 'main', ['id']);
    await write('orders', ordersCsv(300), 'main', ['order_id']);
    const mainHead = await commit('data');

    const p = await promote(repo, dir, config(), 'staging', opts);
    expect(p.status).toBe('success');
    expect(p.build?.status).toBe('success');
    expect(p.checks?.fail).toBe(0);
    const [staged] = await rows(
      'SELECT (SELECT sum(n) FROM totals)::INT AS built, (SELECT count(*) FROM orders)::INT AS orders',
      'staging',
    );
    expect(staged?.built).toBe(staged?.orders);
    expect(Number(staged?.orders)).toBeLessThan(300);

    const d = await deploy(repo, dir, config(), 'production', opts);
    expect(d.status).toBe('success');
    expect(d.unmaskedFrom).toBe(p.builtCommit);
    expect(d.smoke).toBe('pass');
    expect(d.smokeRule).toContain('tag:smoke');
    expect(d.smokeChecks).toEqual({ pass: 2, warn: 0, fail: 0, error: 0 });
    const [prod] = await rows(
      `SELECT (SELECT sum(n) FROM totals)::INT AS built, (SELECT count(*) FROM orders)::INT AS orders,
              (SELECT count(*) FROM customers WHERE email LIKE '%@example.com')::INT AS emails`,
      'production',
    );
    expect(prod).toEqual({ built: 300, orders: 300, emails: 50 });
    expect(await head('main')).toBe(mainHead);

    const s = await envStatus(repo, config());
    expect(s.staging).toMatchObject({
      environment: 'staging',
      configured: true,
      branch: 'staging',
      from: 'main',
      head: { commit: p.builtCommit, ageMs: expect.any(Number) },
      behind: false,
      lastPromote: { outcome: 'success', commit: mainHead, builtCommit: p.builtCommit },
    });
    expect(s.staging.lastPromote?.checks?.pass).toBeGreaterThan(0);
    expect(s.production).toMatchObject({
      environment: 'production',
      alias: 'production',
      live: { branch: 'production-blue', colour: 'blue', commit: d.commit },
      liveDeployId: d.deployId,
      lastDeploy: { deployId: d.deployId, outcome: 'success', smoke: 'pass', colour: 'blue' },
      lastSmoke: { ref: 'production-blue', summary: { pass: 2, warn: 0, fail: 0, error: 0 } },
    });
    expect(s.production.lastRollback).toBeUndefined();

    // The same through the CLI.
    const cli = async (...args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (b) => {
        out += b;
      });
      stderr.resume();
      await repo.close();
      const code = await main(['node', 'sluice', '--repo', dir, ...args], { stdout, stderr });
      repo = await openRepository(dir);
      return { code, out };
    };
    const st = await cli('env', 'status', '--json');
    expect(st.code).toBe(0);
    expect(JSON.parse(st.out).production.live.commit).toBe(d.commit);
    const human = await cli('env', 'status');
    expect(human.out).toMatch(/production\s+production → production-blue \(blue\)/);
    expect((await cli('deploy', '--json')).code).toBe(0); // a rebuild: a new commit on green
    expect((await cli('rollback', '--detected-at', '2999-01-01T00:00:00Z')).code).toBe(1);
    const rb = await cli('rollback', '--json', '--detected-at', '10m');
    expect(rb.code).toBe(0);
    expect(JSON.parse(rb.out)).toMatchObject({ deployId: d.deployId, commit: d.commit });
    expect(await resolved('production')).toBe(d.commit);
    // Time to restore counts from when the problem was noticed.
    const [rolled] = await events('rollback');
    const detected = rolled?.type === 'rollback' ? Date.parse(rolled.detectedAt ?? '') : Number.NaN;
    expect(Date.parse(rolled?.time ?? '') - detected).toBeGreaterThanOrEqual(10 * 60_000);
    expect(Date.parse(rolled?.time ?? '') - detected).toBeLessThan(11 * 60_000);
  });
});

describe('a deploy stopped by the production rebuild', () => {
  it('its tests on the idle colour are the smoke checks: counted, in the event, in env status', async () => {
    await setup(
      `name: shop
environments:
  staging:
    mask: {customers.email: redact}
  production:
    smoke: {select: "tag:smoke"}
`,
      {
        'models/emails.sql':
          "{{ config(materialized='table', tags=['smoke']) }}\nselect id, email from {{ source('raw', 'customers') }}\n",
        'models/emails.yml': `version: 2
sources:
  - name: raw
    tables: [{name: customers}]
models:
  - name: emails
    columns:
      - name: id
        tests: [not_null]
      - name: email
        tests: [unique]
`,
      },
    );
    // Two customers share an email: redacted on staging (NULLs are not duplicates), not on production.
    await write('customers', `${customersCsv(3)}4,user1@example.com,555-1004,name4\n`, 'main', [
      'id',
    ]);
    const mainHead = await commit('data');
    expect((await promote(repo, dir, config(), 'staging', opts)).status).toBe('success');

    const d = await deploy(repo, dir, config(), 'production', opts);
    expect(d).toMatchObject({
      status: 'failure',
      smoke: 'fail',
      smokeRule: "the project's tests, in its build on production-blue",
      smokeChecks: { pass: 1, warn: 0, fail: 1, error: 0 },
      builtFrom: mainHead,
    });
    expect(d.smokeFailed.map((f) => f.name)).toEqual(['unique(email)']);
    expect(await repo.resolve('production').catch(() => undefined)).toBeUndefined();
    const [event] = await events('deploy');
    expect(event).toMatchObject({ smoke: 'fail', smokeChecks: { pass: 1, fail: 1 } });
    // The rebuild is a build event of its own.
    const builds: StoredEvent[] = [];
    for await (const e of listEvents(repo, { types: ['build'] })) builds.push(e);
    expect(builds.at(-1)).toMatchObject({ branch: 'production-blue', outcome: 'failure' });
    // env status reports this deploy's smoke checks, not a check someone ran on a colour since.
    await recordEvent(repo, {
      type: 'check',
      outcome: 'success',
      ref: 'production-blue',
      commit: d.commit,
      summary: { pass: 9, warn: 0, fail: 0, error: 0 },
    });
    const s = await envStatus(repo, config());
    expect(s.production).toMatchObject({
      lastDeploy: { deployId: d.deployId, outcome: 'failure', smoke: 'fail' },
      lastSmoke: { ref: 'production-blue', summary: { pass: 1, warn: 0, fail: 1, error: 0 } },
    });
  });
});

describe('staging builds the nodes its `build:` selects', () => {
  // A project whose seed stands in for a table an ingestor loads on main.
  const FILES = {
    'seeds/raw_orders.csv': 'order_id,customer_id,amount\n1,1,10\n2,1,20\n',
    'models/totals.sql': `{{ config(materialized='table') }}
select customer_id, count(*) as n from {{ ref('raw_orders') }} group by customer_id
`,
    'models/totals.yml': `version: 2
models:
  - name: totals
    columns:
      - name: customer_id
        tests: [not_null, unique]
`,
  };
  const yml = (build: string) => `name: shop
environments:
  staging:
    build: ${build}
    mask: {customers.email: hash}
  production: {}
`;
  const counts = async (ref: string) =>
    (
      await rows(
        'SELECT (SELECT count(*) FROM raw_orders)::INT AS raw, (SELECT sum(n) FROM totals)::INT AS built',
        ref,
      )
    )[0];

  it('an excluded seed leaves the loaded table be, on staging and in the production rebuild', async () => {
    await setup(yml('{exclude: [raw_orders]}'), FILES);
    await write('customers', customersCsv(50), 'main', ['id']);
    await write('raw_orders', ordersCsv(300), 'main', ['order_id']);
    const mainHead = await commit('loaded');

    const p = await promote(repo, dir, config(), 'staging', opts);
    expect(p.status).toBe('success');
    expect(p.build?.models).toEqual({ built: 1, reused: 0, failed: 0, skipped: 0 });
    expect(await counts('staging')).toEqual({ raw: 300, built: 300 });
    // The production rebuild (staging is masked) selects the same nodes.
    const d = await deploy(repo, dir, config(), 'production', opts);
    expect(d.status).toBe('success');
    expect(d.unmaskedFrom).toBe(p.builtCommit);
    expect(await counts('production')).toEqual({ raw: 300, built: 300 });
    expect(await head('main')).toBe(mainHead);

    // Without the exclusion the seed is loaded over the table: what the option is for.
    writeFileSync(join(dir, 'sluice.yml'), `${yml('true')}\n${ALERTS()}`);
    await write('raw_orders', ordersCsv(301), 'main', ['order_id']);
    await commit('one more');
    expect((await promote(repo, dir, config(), 'staging', opts)).status).toBe('success');
    expect(await counts('staging')).toEqual({ raw: 2, built: 2 });
  });

  it('a selector that names nothing in the project is a configuration error; staging stays', async () => {
    await setup(yml('{select: totals, exclude: [raw_ordres]}'), FILES);
    await write('raw_orders', ordersCsv(10), 'main', ['order_id']);
    await commit('loaded');
    await expect(promote(repo, dir, config(), 'staging', opts)).rejects.toMatchObject({
      code: 'InvalidConfigError',
      data: { field: 'environments.staging.build.exclude' },
      message: expect.stringMatching(
        /^sluice\.yml: environments\.staging\.build\.exclude: .*raw_ordres/,
      ),
    });
    expect(await branches('staging')).toEqual([]);
    expect(await branches('promote/')).toEqual([]);
    expect((await events('promote')).map((e) => e.outcome)).toEqual(['error']);
  });
});
