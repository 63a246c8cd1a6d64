// Source freshness: each source's newest loaded_at_field against warn_after / error_after (source
// defaults, table overrides, `freshness: null`), runtime errors for what cannot be measured,
// selection, dbt's sources.json — and the CLI's exit codes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { sourceFreshness, sourcesJson } from '../../src/pipeline/freshness.js';
import { loadProject } from '../../src/pipeline/project.js';
import { ingest } from '../../src/tables/ingest.js';
import { buildOnce } from '../support/build-once.js';
import { cliFor, tempDir } from '../support/cli.js';

const SOURCES = `version: 2
sources:
  - name: erp
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: orders
      - name: payments
        freshness:
          warn_after: {count: 30, period: minute}
      - name: customers
      - name: static
        freshness: null
  - name: crm
    tables:
      - name: leads
        freshness:
          warn_after: {count: 1, period: hour}
`;

const NOW = new Date('2024-06-01T12:00:00Z');

let root: string;
let dir: string;
let repo: Repository;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-fresh-'));
  dir = join(root, 'p');
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yml'), 'name: fresh\n');
  writeFileSync(join(dir, 'models/sources.yml'), SOURCES);
});
afterEach(async () => {
  await repo?.close();
  rmSync(root, { recursive: true, force: true });
});

async function table(name: string, csv: string): Promise<void> {
  const file = join(root, `${name}.csv`);
  writeFileSync(file, csv);
  await ingest(repo, file, { table: name, branch: 'main' });
}

describe('sourceFreshness', () => {
  it('grades each source against its own or its source-level criteria', async () => {
    repo = await initRepository(join(root, 'repo'), { committer: 'test' });
    // orders: newest 2 h old → warn (1 h < age < 1 day); payments: 10 min old, its own 30 min
    // warn → pass; leads: a table without loaded_at → runtime error; customers: no table.
    await table('orders', 'id,loaded_at\n1,2024-05-30 00:00:00\n2,2024-06-01 10:00:00\n');
    await table('payments', 'id,loaded_at\n1,2024-06-01 11:50:00\n');
    await table('leads', 'id\n1\n');
    await table('static', 'id,loaded_at\n1,2000-01-01 00:00:00\n');
    await repo.commit('main', { message: 'sources' });
    const run = await sourceFreshness(repo, loadProject(dir), { now: NOW });
    const by = Object.fromEntries(run.results.map((r) => [`${r.source}.${r.table}`, r]));
    expect(Object.keys(by).sort()).toEqual([
      'crm.leads',
      'erp.customers',
      'erp.orders',
      'erp.payments',
    ]);
    expect(by['crm.leads']).toMatchObject({ status: 'runtime error' });
    expect(by['crm.leads']?.message).toContain('freshness needs a loaded_at_field');
    expect(by['erp.orders']).toMatchObject({
      status: 'warn',
      maxLoadedAt: '2024-06-01 10:00:00',
      ageSeconds: 7200,
      criteria: {
        warnAfter: { count: 1, period: 'hour' },
        errorAfter: { count: 1, period: 'day' },
      },
    });
    expect(by['erp.payments']).toMatchObject({ status: 'pass', ageSeconds: 600 });
    expect(by['erp.payments']?.criteria).toEqual({ warnAfter: { count: 30, period: 'minute' } });
    expect(by['erp.customers']).toMatchObject({ status: 'runtime error' });
    expect(by['erp.customers']?.message).toContain('no table customers');

    // Two days later orders is past error_after; leads has no loaded_at_field at all.
    writeFileSync(
      join(dir, 'models/sources.yml'),
      SOURCES.replace('  - name: crm\n', '  - name: crm\n    loaded_at_field: loaded_at\n'),
    );
    const later = await sourceFreshness(repo, loadProject(dir), {
      now: new Date('2024-06-03T12:00:00Z'),
      select: ['source:erp.orders', 'source:crm'],
    });
    expect(later.results.map((r) => [r.table, r.status])).toEqual([
      ['orders', 'error'],
      ['leads', 'runtime error'],
    ]);
    expect(later.results[1]?.message).toBe(
      'table leads has no column loaded_at (the loaded_at_field)',
    );

    const doc = sourcesJson(run, 'inv') as {
      results: { unique_id: string; status: string; max_loaded_at_time_ago_in_s?: number }[];
    };
    expect(doc.results.map((r) => [r.unique_id, r.status])).toEqual([
      ['source.fresh.erp.orders', 'warn'],
      ['source.fresh.erp.payments', 'pass'],
      ['source.fresh.erp.customers', 'runtime error'],
      ['source.fresh.crm.leads', 'runtime error'],
    ]);
    expect(doc.results[0]?.max_loaded_at_time_ago_in_s).toBe(7200);
  });
});

describe('sluice source freshness', () => {
  const cliRoot = tempDir('sluice-cli-fresh-');
  const cliDir = join(cliRoot, 'p');
  const sluice = cliFor(cliDir);
  beforeAll(async () => {
    await buildOnce();
    mkdirSync(join(cliDir, 'models'), { recursive: true });
    expect((await sluice(['init', cliDir, '-q'])).code).toBe(0);
    writeFileSync(join(cliDir, 'sluice.yml'), 'name: fresh\n');
    writeFileSync(
      join(cliDir, 'models/sources.yml'),
      'version: 2\nsources:\n  - name: erp\n    loaded_at_field: loaded_at\n    freshness: {error_after: {count: 1, period: day}}\n    tables:\n      - name: orders\n',
    );
  });
  afterAll(() => rmSync(cliRoot, { recursive: true, force: true }));

  it('exit 0 when fresh, 2 when stale, 3 when unmeasurable; target/sources.json', async () => {
    const missing = await sluice(['source', 'freshness']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toMatch(/erp\.orders\s+ERROR/);
    const csv = join(cliRoot, 'orders.csv');
    writeFileSync(csv, `id,loaded_at\n1,${new Date().toISOString()}\n`);
    expect((await sluice(['ingest', csv, '--table', 'orders', '-m', 'fresh'])).code).toBe(0);
    const fresh = await sluice(['source', 'freshness']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/erp\.orders\s+PASS/);
    writeFileSync(csv, 'id,loaded_at\n1,2001-01-01T00:00:00Z\n');
    expect(
      (await sluice(['ingest', csv, '--table', 'orders', '--mode', 'overwrite', '-m', 'stale']))
        .code,
    ).toBe(0);
    const stale = await sluice(['--json', 'source', 'freshness']);
    expect(stale.code).toBe(2);
    expect(JSON.parse(stale.stdout).results[0].status).toBe('error');
    const doc = JSON.parse(readFileSync(join(cliDir, 'target/sources.json'), 'utf8'));
    expect(doc.results[0]).toMatchObject({
      unique_id: 'source.fresh.erp.orders',
      status: 'error',
      criteria: { error_after: { count: 1, period: 'day' }, warn_after: null },
    });
  });
});
