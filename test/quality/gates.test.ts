// Gates from sluice.yml: a protected branch takes no direct writes; a merge into it runs the
// checks of the changed tables on the merged result first, asks the webhooks, and leaves the
// branch exactly as it was when anything refuses. Force only where allowed, and recorded.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { loadProjectConfig } from '../../src/quality/gate-config.js';
import { gatesOf } from '../../src/quality/gates.js';
import { type CheckRun, runChecks } from '../../src/quality/run.js';
import { loadSpecs } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let root: string;
let repo: Repository;
let n = 0;
const csv = (text: string): string => {
  const p = join(dir, `in-${n++}.csv`);
  writeFileSync(p, `${text}\n`);
  return p;
};
const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

async function setup(gates: string): Promise<void> {
  const first = await initRepository(root, { committer: 'test' });
  await ingest(first, csv('id,amount\n1,10\n2,20'), {
    table: 'orders',
    key: ['id'],
    commit: { message: 'base' },
  });
  await first.close();
  mkdirSync(join(root, 'checks'), { recursive: true });
  writeFileSync(
    join(root, 'checks', 'orders.yml'),
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - not_null\n          - between: {min: 0}\n          - max: {max: 1000, severity: warn}\n',
  );
  writeFileSync(join(root, 'sluice.yml'), gates);
  repo = await openRepository(root, { committer: 'test' });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-gates-'));
  root = join(dir, 'repo');
});
afterEach(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('protected branches', () => {
  it('refuse direct writes, commits and resets; other branches are free', async () => {
    await setup('gates:\n  - branch: main\n');
    const head = (await repo.getCommit('main')).id;
    await expect(ingest(repo, csv('id,amount\n3,30'), { table: 'orders' })).rejects.toMatchObject({
      code: 'ProtectedBranchError',
      data: { branch: 'main', operation: 'write' },
    });
    await expect(repo.commit('main', { message: 'x', allowEmpty: true })).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    await repo.createBranch('dev');
    await expect(repo.resetBranch('main', 'dev')).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    await expect(repo.merge('dev', 'main')).rejects.toMatchObject({ code: 'ProtectedBranchError' });
    expect((await repo.getCommit('main')).id).toBe(head);
    expect(await collect(repo.status('main'))).toEqual([]);
    await ingest(repo, csv('id,amount\n3,30'), {
      table: 'orders',
      branch: 'dev',
      mode: 'upsert',
      commit: { message: 'dev' },
    });
  });
});

describe('a gated merge', () => {
  it('with a failing check leaves main as it was and names the checks with sample rows; passes once fixed', async () => {
    await setup('gates:\n  - branch: main\n');
    const gates = gatesOf(repo);
    expect(gates).toBeDefined();
    const head = (await repo.getCommit('main')).id;
    await repo.createBranch('fix');
    await ingest(repo, csv('id,amount\n3,-5\n4,'), {
      table: 'orders',
      branch: 'fix',
      mode: 'upsert',
      commit: { message: 'bad' },
    });
    const err = await gates?.merge('fix', 'main').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GateFailedError', data: { branch: 'main', source: 'fix' } });
    const failed = (err as { data: { failed: { name: string; sample?: unknown[] }[] } }).data
      .failed;
    expect(failed.map((f) => f.name).sort()).toEqual(['between(amount)', 'not_null(amount)']);
    expect(failed.find((f) => f.name === 'between(amount)')?.sample).toEqual([
      { id: '3', amount: '-5' },
    ]);
    expect((await repo.getCommit('main')).id).toBe(head);
    expect(await collect(repo.status('main'))).toEqual([]);
    expect((await collect(repo.listBranches())).map((b) => b.name)).toEqual(['fix', 'main']);

    // Fixed on the branch: the same merge goes through, and main is the commit that was checked.
    await ingest(repo, csv('id,amount\n3,5\n4,6'), {
      table: 'orders',
      branch: 'fix',
      mode: 'upsert',
      commit: { message: 'fixed' },
    });
    const ok = await gates?.merge('fix', 'main');
    expect(ok?.gate).toMatchObject({ passed: true, changedTables: ['orders'], forced: false });
    expect(ok?.gate?.checks?.summary).toEqual({ pass: 3, warn: 0, fail: 0, error: 0 });
    const newHead = (await repo.getCommit('main')).id;
    expect(newHead).toBe(ok?.gate?.commit);
    const runs = await repo.meta.listCheckRuns(repo.name);
    expect(runs[0]).toMatchObject({ status: 'pass', commitId: newHead });
  });

  it('warnings do not block; force is refused unless allowed, and recorded when it is', async () => {
    await setup('gates:\n  - branch: main\n    allow_force: true\n  - branch: "prod*"\n');
    await repo.createBranch('big');
    await ingest(repo, csv('id,amount\n5,5000'), {
      table: 'orders',
      branch: 'big',
      mode: 'upsert',
      commit: { message: 'big' },
    });
    const warned = await gatesOf(repo)?.merge('big', 'main');
    expect(warned?.gate?.checks?.summary).toMatchObject({ warn: 1, fail: 0 });

    await repo.createBranch('bad');
    await ingest(repo, csv('id,amount\n6,-1'), {
      table: 'orders',
      branch: 'bad',
      mode: 'upsert',
      commit: { message: 'bad' },
    });
    const forced = await gatesOf(repo)?.merge('bad', 'main', { force: true });
    expect(forced?.gate).toMatchObject({ passed: false, forced: true });
    const c = await repo.getCommit('main');
    expect(c.metadata).toMatchObject({
      'sluice.gate.forced': 'true',
      'sluice.gate.failed': 'orders.amount.between',
    });

    // prod* has no allow_force: --force is refused there, before anything runs.
    await repo.createBranch('prod-eu', { from: 'main~2' });
    await expect(gatesOf(repo)?.merge('bad', 'prod-eu', { force: true })).rejects.toMatchObject({
      code: 'InvalidArgumentError',
      data: { argument: 'force' },
    });
  });
});

describe('a gated merge of an audited source', () => {
  /** A branch from main with `rows` appended to orders, committed. */
  const branchWith = async (name: string, rows: string, from = 'main'): Promise<void> => {
    await repo.createBranch(name, { from });
    await ingest(repo, csv(`id,amount\n${rows}`), {
      table: 'orders',
      branch: name,
      mode: 'append',
      commit: { message: name },
    });
  };
  const audit = (ref: string): Promise<CheckRun> =>
    runChecks(repo, loadSpecs(root), { ref, store: true });
  const ids = ['orders.amount.between', 'orders.amount.max', 'orders.amount.not_null'];

  it('takes the verdicts measured on the very commit it fast-forwards to; measures a merge commit', async () => {
    await setup('gates:\n  - branch: main\n');
    await branchWith('a', '3,30');
    await branchWith('b', '4,40');
    const auditA = await audit('a');
    const auditB = await audit('b');

    const ff = await gatesOf(repo)?.merge('a', 'main', { audited: auditA });
    expect(ff?.result.fastForward).toBe(true);
    expect(ff?.gate?.commit).toBe(auditA.commit);
    expect(ff?.gate?.checks).toMatchObject({ queries: 0, status: 'pass' });
    expect(ff?.gate?.checks?.reused?.sort()).toEqual(ids);
    expect(ff?.gate?.checks?.results).toEqual(auditA.results);
    const stored = (await repo.meta.listCheckRuns(repo.name))[0];
    expect(stored?.ref).toMatch(/^gate\/main\//);
    expect(JSON.parse(stored?.data ?? '{}').reused.sort()).toEqual(ids);

    // main moved since b was audited: the merge makes a new commit, and it is measured.
    const merged = await gatesOf(repo)?.merge('b', 'main', { audited: auditB });
    expect(merged?.result.fastForward).toBe(false);
    expect(merged?.gate?.commit).not.toBe(auditB.commit);
    expect(merged?.gate?.checks?.reused).toBeUndefined();
    expect(merged?.gate?.checks?.queries).toBeGreaterThan(0);
    expect(merged?.gate?.checks?.summary).toEqual({ pass: 3, warn: 0, fail: 0, error: 0 });
  });

  it('never takes a verdict it cannot be sure of: edited or hand-made runs, changed specs, uncommitted data, where-filtered or free-SQL checks', async () => {
    await setup('gates:\n  - branch: main\n');
    const head = (await repo.getCommit('main')).id;
    const refused = (source: string, audited: CheckRun) =>
      expect(gatesOf(repo)?.merge(source, 'main', { audited })).rejects.toMatchObject({
        code: 'GateFailedError',
      });

    // A failed audit edited to pass, or a passing copy made by hand, proves nothing.
    await branchWith('bad', '3,-5');
    const bad = await audit('bad');
    expect(bad.status).toBe('fail');
    const copy: CheckRun = {
      ...bad,
      status: 'pass',
      results: bad.results.map((r) => ({ ...r, status: 'pass' })),
    };
    for (const r of bad.results) r.status = 'pass';
    bad.status = 'pass';
    await refused('bad', bad);
    await refused('bad', copy);

    // The audit read uncommitted (good) rows over a bad commit: the merge takes the commit.
    await repo.createBranch('dirty');
    await ingest(repo, csv('id,amount\n5,-5'), {
      table: 'orders',
      branch: 'dirty',
      mode: 'upsert',
      commit: { message: 'bad' },
    });
    await ingest(repo, csv('id,amount\n5,5'), { table: 'orders', branch: 'dirty', mode: 'upsert' });
    const dirty = await audit('dirty');
    expect(dirty.status).toBe('pass');
    await refused('dirty', dirty);
    expect((await repo.getCommit('main')).id).toBe(head);

    // A spec changed since the audit is measured again, by its new definition.
    await branchWith('ok', '6,30');
    const ok = await audit('ok');
    expect(ok.status).toBe('pass');
    writeFileSync(
      join(root, 'checks', 'orders.yml'),
      'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - not_null\n          - between: {min: 25}\n          - max: {max: 1000, severity: warn}\n',
    );
    const err = await gatesOf(repo)
      ?.merge('ok', 'main', { audited: ok })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GateFailedError' });
    expect((err as { data: { failed: { id: string }[] } }).data.failed.map((f) => f.id)).toEqual([
      'orders.amount.between',
    ]);

    // Free SQL, and a where filter that reads the clock or another query, are measured again;
    // a where filter over the rows alone is data like the rest, and taken (docs/quality.md).
    writeFileSync(
      join(root, 'checks', 'orders.yml'),
      [
        'version: 2',
        'models:',
        '  - name: orders',
        '    tests:',
        '      - sql: {query: "SELECT * FROM orders WHERE amount < 0"}',
        '    columns:',
        '      - name: amount',
        '        tests:',
        '          - not_null',
        '          - between: {min: 0, where: "id > 0"}',
        `          - max: {max: 1000, where: "current_date > DATE '2000-01-01'"}`,
        '          - min: {min: 0, where: "id IN (SELECT id FROM orders)"}',
        '',
      ].join('\n'),
    );
    const again = await audit('ok');
    const landed = await gatesOf(repo)?.merge('ok', 'main', { audited: again });
    expect(landed?.gate?.commit).toBe(again.commit);
    expect(landed?.gate?.checks?.reused).toEqual([
      'orders.amount.not_null',
      'orders.amount.between',
    ]);
    expect(landed?.gate?.checks?.summary).toEqual({ pass: 5, warn: 0, fail: 0, error: 0 });
  });
});

describe('webhook gates', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  const events: unknown[] = [];
  const calls: { url: string; auth: string | undefined }[] = [];
  beforeEach(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        events.push(JSON.parse(body));
        calls.push({ url: req.url ?? '', auth: req.headers.authorization });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('2xx passes; 4xx, 5xx and a timeout block and leave main as it was', async () => {
    const { port } = server.address() as AddressInfo;
    await setup(
      `gates:\n  - branch: main\n    checks: false\n    webhooks:\n      - url: http://127.0.0.1:${port}/gate\n        timeout: 300ms\n`,
    );
    const gates = gatesOf(repo);
    const attempt = async (name: string) => {
      await repo.createBranch(name);
      await ingest(repo, csv(`id,amount\n${10 + n},1`), {
        table: 'orders',
        branch: name,
        mode: 'upsert',
        commit: { message: name },
      });
      return gates?.merge(name, 'main');
    };
    for (const [name, respond, reason] of [
      ['h404', (res: import('node:http').ServerResponse) => res.writeHead(404).end(), 'HTTP 404'],
      ['h500', (res: import('node:http').ServerResponse) => res.writeHead(500).end(), 'HTTP 500'],
      [
        'slow',
        (res: import('node:http').ServerResponse) =>
          setTimeout(() => res.writeHead(200).end(), 2000),
        'no answer within 300 ms',
      ],
    ] as const) {
      answer = respond;
      const head = (await repo.getCommit('main')).id;
      await expect(attempt(name)).rejects.toMatchObject({
        code: 'GateFailedError',
        data: { webhooks: [expect.objectContaining({ ok: false, reason })] },
      });
      expect((await repo.getCommit('main')).id).toBe(head);
    }
    answer = (res) => res.writeHead(204).end();
    const ok = await attempt('good');
    expect(ok?.gate?.webhooks).toEqual([expect.objectContaining({ ok: true, status: 204 })]);
    expect(events.at(-1)).toMatchObject({
      event: 'merge',
      branch: 'main',
      source: 'good',
      changed_tables: ['orders'],
    });
  });
  it('an environment reference in a webhook is resolved at the call, never shown; unset, the gate refuses', async () => {
    const { port } = server.address() as AddressInfo;
    const token = 'gate-token-5f1e9c7a';
    await setup(
      `gates:\n  - branch: main\n    checks: false\n    webhooks:\n      - url: http://127.0.0.1:${port}/gate?token=\${GATE_TOKEN}\n        headers: {Authorization: "Bearer \${GATE_TOKEN}"}\n`,
    );
    const gates = gatesOf(repo);
    const attempt = async (name: string) => {
      await repo.createBranch(name);
      await ingest(repo, csv(`id,amount\n${20 + n},1`), {
        table: 'orders',
        branch: name,
        mode: 'upsert',
        commit: { message: name },
      });
      return gates?.merge(name, 'main');
    };
    answer = (res) => res.writeHead(204).end();
    calls.length = 0;
    delete process.env.GATE_TOKEN;
    const head = (await repo.getCommit('main')).id;
    const refused = await attempt('unset').catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'GateFailedError',
      data: {
        webhooks: [
          expect.objectContaining({
            ok: false,
            reason: expect.stringMatching(/GATE_TOKEN is not set/),
          }),
        ],
      },
    });
    expect((await repo.getCommit('main')).id).toBe(head);
    expect(calls).toEqual([]);
    process.env.GATE_TOKEN = token;
    try {
      const ok = await attempt('set');
      expect(calls).toEqual([{ url: `/gate?token=${token}`, auth: `Bearer ${token}` }]);
      expect(JSON.stringify(ok?.gate)).not.toContain(token);
      expect(ok?.gate?.webhooks).toEqual([expect.objectContaining({ ok: true, status: 204 })]);
    } finally {
      delete process.env.GATE_TOKEN;
    }
  });
});

describe('pre-commit checks and the config file', () => {
  it('a pre_commit branch refuses a commit whose changed tables fail their checks', async () => {
    await setup('gates:\n  - branch: "dev/*"\n    protected: false\n    pre_commit: true\n');
    await repo.createBranch('dev/a');
    await ingest(repo, csv('id,amount\n7,-7'), {
      table: 'orders',
      branch: 'dev/a',
      mode: 'upsert',
    });
    await expect(repo.commit('dev/a', { message: 'x' })).rejects.toMatchObject({
      code: 'GateFailedError',
    });
    await repo.resetStaging('dev/a');
    await ingest(repo, csv('id,amount\n7,7'), { table: 'orders', branch: 'dev/a', mode: 'upsert' });
    await repo.commit('dev/a', { message: 'ok' });
  });

  it('a bad sluice.yml names its line', () => {
    const d = join(dir, 'cfg');
    mkdirSync(d, { recursive: true });
    writeFileSync(
      join(d, 'sluice.yml'),
      'gates:\n  - branch: main\n    webhooks:\n      - url: not a url\n',
    );
    expect(() => loadProjectConfig(d)).toThrow(/sluice\.yml:4: gates\[0\]\.webhooks\[0\]\.url/);
  });
});
