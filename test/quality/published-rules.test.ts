// Rules published in the repository (`_sluice/config/` on the default branch, by config push):
// every client enforces them whatever its own directory holds; a local sluice.yml adds to them
// but never weakens them (each way of weakening, tried); they change only by a push, which goes
// through the default branch's own gate and is recorded with its actor; and what Sluice writes
// to attest something — `_sluice/` paths, `sluice.gate.*` and `sluice.config.*` metadata — no
// caller can write by hand.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { configStatus } from '../../src/quality/config-status.js';
import { gatesOf } from '../../src/quality/gates.js';
import { ingest } from '../../src/tables/ingest.js';
import { publishConfig } from '../../src/workflow/config-publish.js';
import { listEvents } from '../../src/workflow/events/index.js';

let dir: string;
let root: string;
const open: Repository[] = [];
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
const CHECK = (min: number, severity = 'error'): string =>
  `version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - between: {min: ${min}, severity: ${severity}}\n`;

/** Writes the working directory's files (sluice.yml, checks/orders.yml), or removes them. */
function local(files: { yml?: string; check?: string }): void {
  rmSync(join(root, 'sluice.yml'), { force: true });
  rmSync(join(root, 'checks'), { recursive: true, force: true });
  if (files.yml !== undefined) writeFileSync(join(root, 'sluice.yml'), files.yml);
  if (files.check !== undefined) {
    mkdirSync(join(root, 'checks'));
    writeFileSync(join(root, 'checks', 'orders.yml'), files.check);
  }
}

/** A handle on the repository as the working directory is now. */
async function reopen(): Promise<Repository> {
  const repo = await openRepository(root, { committer: 'test' });
  open.push(repo);
  return repo;
}

/** A repository with table orders on main; `rules` (sluice.yml, checks) published from it. */
async function setup(rules: { yml: string; check?: string }): Promise<Repository> {
  const first = await initRepository(root, { committer: 'test' });
  await ingest(first, csv('id,amount\n1,10\n2,20'), {
    table: 'orders',
    key: ['id'],
    commit: { message: 'base' },
  });
  await first.close();
  local({ yml: rules.yml, check: rules.check ?? CHECK(0) });
  const repo = await reopen();
  await publishConfig(repo, root, { actor: 'alice' });
  return repo;
}

/** A branch from main with `rows` upserted into orders, committed. */
async function branchWith(repo: Repository, name: string, rows: string): Promise<void> {
  await repo.createBranch(name);
  await ingest(repo, csv(`id,amount\n${rows}`), {
    table: 'orders',
    branch: name,
    mode: 'upsert',
    commit: { message: name },
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-rules-'));
  root = join(dir, 'repo');
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('published rules', () => {
  it('protect main for a client whose directory has no sluice.yml and no checks', async () => {
    await setup({ yml: 'gates:\n  - branch: main\n' });
    local({});
    const repo = await reopen();
    const head = (await repo.getCommit('main')).id;
    await expect(repo.putObject('main', 'raw/a.csv', Buffer.from('a'))).rejects.toMatchObject({
      code: 'ProtectedBranchError',
      data: { branch: 'main', operation: 'write', rule: 'main' },
    });
    await expect(ingest(repo, csv('id,amount\n3,30'), { table: 'orders' })).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    await expect(repo.commit('main', { message: 'x', allowEmpty: true })).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    await branchWith(repo, 'bad', '3,-3');
    await expect(repo.merge('bad', 'main')).rejects.toMatchObject({ code: 'ProtectedBranchError' });
    await expect(repo.resetBranch('main', 'bad')).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    // The gate runs the published checks.
    await expect(gatesOf(repo)?.merge('bad', 'main')).rejects.toMatchObject({
      code: 'GateFailedError',
      data: { failed: [expect.objectContaining({ id: 'orders.amount.between' })] },
    });
    expect((await repo.getCommit('main')).id).toBe(head);
    expect(await collect(repo.status('main'))).toEqual([]);
  });

  it('are read at the default branch head: a handle opened before a push obeys it after', async () => {
    const repo = await setup({ yml: 'gates: []\n' });
    local({});
    const other = await reopen();
    await other.putObject('main', 'raw/before.csv', Buffer.from('a'));
    await other.resetStaging('main');
    local({ yml: 'gates:\n  - branch: main\n', check: CHECK(0) });
    await publishConfig(repo, root, { actor: 'alice' });
    await expect(other.putObject('main', 'raw/after.csv', Buffer.from('a'))).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
  });

  it('a directory whose own sluice.yml protects main without a push (an embedded repository)', async () => {
    const first = await initRepository(root, { committer: 'test' });
    await first.close();
    local({ yml: 'gates:\n  - branch: main\n' });
    const repo = await reopen();
    await expect(repo.putObject('main', 'a', Buffer.from('a'))).rejects.toMatchObject({
      code: 'ProtectedBranchError',
      message: expect.stringContaining('sluice.yml gate "main"'),
    });
    const s = await configStatus(repo, root);
    expect(s.published.files).toEqual([]);
    expect(s.local?.gates.map((g) => g.branch)).toEqual(['main']);
  });
});

describe('a local sluice.yml adds to the published rules but never weakens them', () => {
  it('protected: false, checks: false and a relaxed copy of a check change nothing', async () => {
    await setup({ yml: 'gates:\n  - branch: main\n' });
    local({
      yml: 'gates:\n  - branch: main\n    protected: false\n    checks: false\n',
      check: CHECK(-100),
    });
    const repo = await reopen();
    await expect(repo.putObject('main', 'a', Buffer.from('a'))).rejects.toMatchObject({
      code: 'ProtectedBranchError',
    });
    await branchWith(repo, 'bad', '3,-3');
    const err = await gatesOf(repo)
      ?.merge('bad', 'main')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GateFailedError' });
    // The published check failed; the local, relaxed copy ran too, and passed.
    expect((err as { data: { failed: { id: string }[] } }).data.failed.map((f) => f.id)).toEqual([
      'orders.amount.between',
    ]);
    const s = await configStatus(repo, root);
    expect(s.local?.weakenings).toEqual([
      { branch: 'main', field: 'protected', local: 'false', holds: 'true' },
      { branch: 'main', field: 'checks', local: 'false', holds: 'true' },
    ]);
    expect(s.local?.addedChecks.map((c) => c.id)).toEqual(['orders.amount.between#2']);
    expect(s.local?.differs).toBe(true);
  });

  it('pre_commit: false changes nothing; allow_force: true does not allow a force', async () => {
    await setup({
      yml: 'gates:\n  - branch: main\n  - branch: "dev/*"\n    protected: false\n    pre_commit: true\n',
    });
    local({
      yml: 'gates:\n  - branch: main\n    allow_force: true\n  - branch: "dev/*"\n    protected: false\n    pre_commit: false\n',
    });
    const repo = await reopen();
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
    await branchWith(repo, 'bad', '3,-3');
    await expect(gatesOf(repo)?.merge('bad', 'main', { force: true })).rejects.toMatchObject({
      code: 'InvalidArgumentError',
      data: { argument: 'force', reason: 'not allowed' },
    });
  });

  it('a webhook the local file leaves out is still asked', async () => {
    const calls: string[] = [];
    let refuse = false; // the published hook agrees to its own publication, then refuses
    const server: Server = createServer((req, res) => {
      calls.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.writeHead(refuse && req.url === '/no' ? 403 : 204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      await setup({
        yml: `gates:\n  - branch: main\n    checks: false\n    webhooks:\n      - url: http://127.0.0.1:${port}/no\n`,
      });
      local({
        yml: `gates:\n  - branch: main\n    webhooks:\n      - url: http://127.0.0.1:${port}/yes\n`,
      });
      refuse = true;
      calls.length = 0;
      const repo = await reopen();
      await branchWith(repo, 'ok', '3,3');
      await expect(gatesOf(repo)?.merge('ok', 'main')).rejects.toMatchObject({
        code: 'GateFailedError',
        data: {
          webhooks: [expect.objectContaining({ ok: false, status: 403 }), expect.anything()],
        },
      });
      expect(calls).toEqual(['/no', '/yes']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('adds: a branch only it protects, and a check only it has, hold for its own client', async () => {
    await setup({ yml: 'gates:\n  - branch: main\n' });
    local({
      yml: 'gates:\n  - branch: staging\n  - branch: main\n    pre_commit: true\n',
      check: `${CHECK(0)}          - between: {min: 5, name: at_least_5}\n`,
    });
    const repo = await reopen();
    await repo.createBranch('staging');
    await expect(repo.putObject('staging', 'a', Buffer.from('a'))).rejects.toMatchObject({
      code: 'ProtectedBranchError',
      message: expect.stringContaining('sluice.yml gate "staging"'),
    });
    await branchWith(repo, 'low', '3,3');
    const err = await gatesOf(repo)
      ?.merge('low', 'main')
      .catch((e: unknown) => e);
    expect(
      (err as { data: { failed: { name: string }[] } }).data.failed.map((f) => f.name),
    ).toEqual(['at_least_5']);
    // Another client, without the file, has neither.
    local({});
    const plain = await reopen();
    await plain.putObject('staging', 'a', Buffer.from('a'));
    expect((await gatesOf(plain)?.merge('low', 'main'))?.gate?.passed).toBe(true);
  });
});

describe('config push', () => {
  it('records the change with its actor and attests it in the commit; an unchanged push writes nothing', async () => {
    const repo = await setup({ yml: 'name: shop\ngates:\n  - branch: main\n' });
    const head = await repo.getCommit('main');
    expect(head.metadata).toMatchObject({ 'sluice.config.actor': 'alice' });
    expect(
      new TextDecoder().decode(await repo.getObject('main', '_sluice/config/sluice.yml')),
    ).toBe('gates:\n  - branch: main\n');
    const [event] = await collect(listEvents(repo, { types: ['config'] }));
    expect(event).toMatchObject({
      type: 'config',
      outcome: 'success',
      actor: 'alice',
      branch: 'main',
      commit: head.id,
      gates: { added: ['main'], changed: [], removed: [] },
    });

    const again = await publishConfig(repo, root, { actor: 'bob' });
    expect(again.push.commit).toBeUndefined();
    expect(again.event).toBeUndefined();
    expect((await repo.getCommit('main')).id).toBe(head.id);
    expect((await collect(repo.listBranches())).map((b) => b.name)).toEqual(['main']);
    expect(await collect(listEvents(repo, { types: ['config'] }))).toHaveLength(1);

    // A removed check file and a changed rule: one commit, described.
    local({ yml: 'gates:\n  - branch: main\n    allow_force: true\n' });
    const changed = await publishConfig(repo, root, { actor: 'bob' });
    expect(changed.push.files).toEqual([
      { path: 'checks/orders.yml', change: 'removed' },
      { path: 'sluice.yml', change: 'changed' },
    ]);
    expect(changed.push.gates).toEqual({ added: [], changed: ['main'], removed: [] });
    expect(changed.event).toMatchObject({ actor: 'bob', fromCommit: head.id });
  });

  it('two pushes at once both land, the later made again from the earlier one; each recorded', async () => {
    const repo = await setup({ yml: 'gates:\n  - branch: main\n' });
    const published = (await repo.getCommit('main')).id;
    const dirs = ['a', 'b'].map((name) => {
      const d = join(dir, name);
      mkdirSync(d);
      writeFileSync(
        join(d, 'sluice.yml'),
        `gates:\n  - branch: main\n  - branch: "${name}/*"\n    pre_commit: true\n`,
      );
      return d;
    });
    const [a, b] = [await reopen(), await reopen()];
    const pushes = await Promise.all([
      publishConfig(a, dirs[0] as string, { actor: 'ann' }),
      publishConfig(b, dirs[1] as string, { actor: 'ben' }),
    ]);
    const events = await collect(listEvents(repo, { types: ['config'] }));
    expect(events.map((e) => [e.actor, e.outcome])).toEqual([
      ['alice', 'success'],
      ...(events[1]?.actor === 'ann'
        ? [
            ['ann', 'success'],
            ['ben', 'success'],
          ]
        : [
            ['ben', 'success'],
            ['ann', 'success'],
          ]),
    ]);
    // The later push was made from the head the earlier one published, and is the head now.
    const [first, second] = [events[1], events[2]] as { fromCommit: string; commit: string }[];
    expect(first?.fromCommit).toBe(published);
    expect(second?.fromCommit).toBe(first?.commit);
    expect((await repo.getCommit('main')).id).toBe(second?.commit);
    expect(pushes.map((p) => p.push.gates.added).sort()).toEqual([['a/*'], ['b/*']]);
    expect((await collect(repo.listBranches())).map((br) => br.name)).toEqual(['main']);
  });

  it('goes through the default branch gate: a refusing webhook stops it, recorded as a failure', async () => {
    let status = 204;
    const asked: unknown[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        asked.push(JSON.parse(body));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const hook = `    webhooks:\n      - url: http://127.0.0.1:${port}/review\n`;
      const repo = await setup({ yml: `gates:\n  - branch: main\n${hook}` });
      // The reviewer was asked about the first push, told which rule files it changes.
      expect(asked).toEqual([
        expect.objectContaining({
          branch: 'main',
          changed_tables: [],
          changed_config: ['checks/orders.yml', 'sluice.yml'],
        }),
      ]);
      const head = (await repo.getCommit('main')).id;
      status = 409;
      local({ yml: `gates:\n  - branch: main\n    protected: false\n${hook}`, check: CHECK(0) });
      const weaker = await reopen();
      await expect(publishConfig(weaker, root, { actor: 'mallory' })).rejects.toMatchObject({
        code: 'GateFailedError',
      });
      expect((await weaker.getCommit('main')).id).toBe(head);
      expect((await collect(weaker.listBranches())).map((b) => b.name)).toEqual(['main']);
      const events = await collect(listEvents(weaker, { types: ['config'] }));
      expect(events.at(-1)).toMatchObject({
        outcome: 'failure',
        actor: 'mallory',
        refusedBy: [`http://127.0.0.1:${port}/review`],
        gates: { changed: ['main'] },
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses a sluice.yml that does not parse, and a directory without one, writing nothing', async () => {
    const repo = await setup({ yml: 'gates:\n  - branch: main\n' });
    const head = (await repo.getCommit('main')).id;
    local({ yml: 'gates:\n  - branch: main\n    protect: true\n' });
    await expect(publishConfig(repo, root)).rejects.toMatchObject({
      code: 'InvalidConfigError',
      data: { line: 3 },
    });
    local({});
    await expect(publishConfig(repo, root)).rejects.toMatchObject({ code: 'FileNotFoundError' });
    expect((await repo.getCommit('main')).id).toBe(head);
    expect(await collect(listEvents(repo, { types: ['config'] }))).toHaveLength(1);
  });
});

describe('what only Sluice writes', () => {
  it('the published rules change only by config push: not by revert, reset or merge', async () => {
    // main unprotected: only the rules' own history guards them.
    const repo = await setup({ yml: 'gates:\n  - branch: production\n' });
    const pushed = (await repo.getCommit('main')).id;
    await expect(repo.revert('main', pushed)).rejects.toMatchObject({
      code: 'ConfigChangeError',
      data: { branch: 'main', operation: 'revert', paths: ['checks/orders.yml', 'sluice.yml'] },
    });
    await expect(repo.resetBranch('main', 'main~1')).rejects.toMatchObject({
      code: 'ConfigChangeError',
    });
    await repo.createBranch('undo');
    await repo.revert('undo', pushed); // any other branch may hold what it likes
    await expect(repo.merge('undo', 'main')).rejects.toMatchObject({ code: 'ConfigChangeError' });
    expect((await repo.getCommit('main')).id).toBe(pushed);
    // Writes under _sluice/ are refused on every branch, and nothing is staged.
    for (const branch of ['main', 'undo']) {
      await expect(
        repo.putObject(branch, '_sluice/config/sluice.yml', Buffer.from('gates: []\n')),
      ).rejects.toMatchObject({ code: 'ReservedPathError' });
      await expect(
        repo.deleteObjects(branch, ['_sluice'], { recursive: true }),
      ).rejects.toMatchObject({ code: 'ReservedPathError' });
      expect(await collect(repo.status(branch))).toEqual([]);
    }
    // Data merges into main go on as before.
    await branchWith(repo, 'more', '3,30');
    expect((await repo.merge('more', 'main')).commit).toBeDefined();
  });

  it('attesting metadata is refused from every caller; the gate still records a forced merge', async () => {
    const repo = await setup({ yml: 'gates:\n  - branch: main\n    allow_force: true\n' });
    await repo.createBranch('dev');
    const head = (await repo.getCommit('dev')).id;
    for (const key of ['sluice.gate.forced', 'sluice.gate.failed', 'sluice.config.push']) {
      await expect(
        repo.commit('dev', { message: 'x', allowEmpty: true, metadata: { [key]: 'true' } }),
      ).rejects.toMatchObject({ code: 'ReservedMetadataError', data: { keys: [key] } });
      await expect(
        gatesOf(repo)?.merge('dev', 'main', { metadata: { [key]: 'true' } }),
      ).rejects.toMatchObject({ code: 'ReservedMetadataError' });
    }
    await expect(
      ingest(repo, csv('id,amount\n9,9'), {
        table: 'orders',
        branch: 'dev',
        mode: 'upsert',
        commit: { message: 'x', metadata: { 'sluice.gate.forced': 'true' } },
      }),
    ).rejects.toMatchObject({ code: 'ReservedMetadataError' });
    expect((await repo.getCommit('dev')).id).toBe(head);
    // Other keys stay the caller's.
    await repo.commit('dev', { message: 'ok', allowEmpty: true, metadata: { source: 'erp' } });

    await branchWith(repo, 'bad', '3,-3');
    await gatesOf(repo)?.merge('bad', 'main', { force: true });
    expect((await repo.getCommit('main')).metadata).toMatchObject({ 'sluice.gate.forced': 'true' });
  });
});
