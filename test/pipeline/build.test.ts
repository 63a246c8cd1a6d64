// Building projects on branches: the example project end to end (outputs equal DuckDB running the
// rendered SQL), one commit or none, a failing test mid-DAG, memoized zero-copy rebuilds,
// incremental = full refresh, ephemerals, views every SQL surface reads, and bad input that
// changes nothing.
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import { GateFailedError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { withDuck } from '../../src/engine/duckdb.js';
import { withSqlSession } from '../../src/engine/session.js';
import { getTable, listTables } from '../../src/engine/tables.js';
import { buildProject } from '../../src/pipeline/build.js';
import { compileProject } from '../../src/pipeline/graph.js';
import { loadProject } from '../../src/pipeline/project.js';
import { verdictReusable as memoizable } from '../../src/quality/reuse.js';
import type { CheckSpec } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';
import { exportTable } from '../../src/tables/table-ops.js';
import { lines } from './support.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/shop');

let root: string;
let dir: string;
let repo: Repository;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-build-'));
  dir = join(root, 'project');
});
afterEach(async () => {
  await repo?.close();
  rmSync(root, { recursive: true, force: true });
});

async function example(): Promise<void> {
  cpSync(EXAMPLE, dir, { recursive: true });
  repo = await initRepository(dir, { committer: 'test' });
}

/** A project from files (path → text). */
async function project(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  repo = await initRepository(dir, { committer: 'test' });
}

const head = async (branch = 'main') => (await repo.getBranch(branch)).head;

async function rows(sql: string, ref = 'main'): Promise<Record<string, Json>[]> {
  return withSqlSession(repo, { refs: [ref] }, async (s) => (await s.duck.query(sql)).rows);
}

async function branches(): Promise<string[]> {
  const out: string[] = [];
  for await (const b of repo.listBranches()) out.push(b.name);
  return out.sort();
}

const sorted = (xs: Record<string, Json>[]) => xs.map((r) => JSON.stringify(r)).sort();

describe('the example project', () => {
  it('builds as one commit, and each output equals DuckDB running the rendered SQL', async () => {
    await example();
    const before = await head();
    const events = join(root, 'lineage.jsonl');
    const out = await buildProject(repo, dir, { lineage: { file: events } });
    expect(out.run.status).toBe('success');
    expect(out.warnings).toEqual([]);
    // dbt's artifacts in target/, OpenLineage START and COMPLETE in the file.
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(results.results).toHaveLength(out.run.results.length);
    expect(results.sluice).toMatchObject({ run_id: out.run.id, status: 'success' });
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.parent_map['model.shop.orders']).toEqual([
      'model.shop.stg_orders',
      'model.shop.stg_payments',
    ]);
    const lines = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(lines[1].outputs.map((o: { name: string }) => o.name).sort()).toEqual([
      'customers',
      'orders',
      'raw_customers',
      'raw_orders',
      'raw_payments',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect(
      out.run.results.filter((r) => r.kind === 'model').map((r) => [r.name, r.status]),
    ).toEqual([
      ['stg_customers', 'success'],
      ['stg_orders', 'success'],
      ['stg_payments', 'success'],
      ['customers', 'success'],
      ['orders', 'success'],
    ]);
    const tests = out.run.results.filter((r) => r.kind === 'test');
    expect(tests).toHaveLength(22);
    expect(tests.every((t) => t.status === 'pass')).toBe(true);
    // One commit on main, whose parent is the old head; the run branch is gone.
    const c = await repo.getCommit('main');
    expect(c.parents).toContain(before);
    expect(out.landed?.id).toBe(c.id);
    expect(await branches()).toEqual(['main']);
    const built = await repo.getCommit(c.parents.find((x) => x !== before) ?? c.id);
    expect(built.metadata['sluice.run_id'] ?? c.metadata['sluice.run_id']).toBe(out.run.id);
    // The project files used are in the same commit.
    const snap = Buffer.from(
      await repo.getObject('main', '_sluice/project/models/marts/orders.sql'),
    ).toString();
    expect(snap).toBe(readFileSync(join(dir, 'models/marts/orders.sql'), 'utf8'));

    // The reference: DuckDB alone — seeds read from the CSVs, models created from the SQL that
    // `compile` renders, in the same order.
    const compiled = compileProject(loadProject(dir));
    const expected = new Map<string, string[]>();
    await withDuck({}, async (duck) => {
      for (const s of ['raw_customers', 'raw_orders', 'raw_payments'])
        await duck.run(
          `CREATE TABLE "${s}" AS SELECT * FROM read_csv('${join(dir, 'seeds', `${s}.csv`)}')`,
        );
      for (const name of ['stg_customers', 'stg_orders', 'stg_payments', 'customers', 'orders']) {
        const m = compiled.models.get(name);
        await duck.run(`CREATE TABLE "${name}" AS ${m?.sql}`);
        expected.set(name, sorted((await duck.query(`SELECT * FROM "${name}"`)).rows));
      }
    });
    for (const [name, want] of expected)
      expect([name, sorted(await rows(`SELECT * FROM "${name}"`))]).toEqual([name, want]);
    // Staging models are stored views: no files, read by every SQL surface, materialized by export.
    const views = await listTables(repo, 'main');
    expect(views.get('stg_orders')?.manifest.view?.sql).toContain('"raw_orders"');
    expect(views.get('stg_orders')?.files).toEqual([]);
    expect(views.get('orders')?.files.length).toBeGreaterThan(0);
    const csv = join(root, 'stg_orders.csv');
    const exported = await exportTable(repo, 'stg_orders', { out: csv });
    expect(exported.rows).toBe(80);
  });

  it('a rebuild with nothing changed computes nothing and commits nothing; one changed model rebuilds it and what is downstream', async () => {
    await example();
    await buildProject(repo, dir);
    const h1 = await head();
    const orders1 = await getTable(repo, 'main', 'orders');
    const again = await buildProject(repo, dir);
    expect(again.run.status).toBe('success');
    expect(again.run.results.filter((r) => r.status === 'success')).toEqual([]);
    expect(
      new Set(again.run.results.filter((r) => r.kind !== 'test').map((r) => r.status)),
    ).toEqual(new Set(['reused']));
    expect(await head()).toBe(h1);
    expect(again.landed).toBeUndefined();
    // The tests are not run again either: same tests, same table contents, same verdicts.
    const againTests = again.run.results.filter((r) => r.kind === 'test');
    expect(againTests).toHaveLength(22);
    expect(againTests.every((r) => r.status === 'pass' && r.message?.startsWith('reused'))).toBe(
      true,
    );

    // A full build after that: customers comes from the memo, orders (not downstream) is reused
    // byte for byte.
    appendFileSync(join(dir, 'models/marts/customers.sql'), '\n-- a comment changes the SQL\n');
    // state:modified against main's last build: only customers (and its tests) are selected.
    const modified = await buildProject(repo, dir, {
      branch: 'main',
      select: ['state:modified+'],
      state: 'main',
      artifacts: false,
    });
    expect(
      modified.run.results.filter((r) => r.kind !== 'test').map((r) => [r.name, r.status]),
    ).toEqual([['customers', 'success']]);
    expect(
      modified.run.results.filter((r) => r.kind === 'test').every((r) => r.status === 'pass'),
    ).toBe(true);
    expect(await head()).not.toBe(h1);
    const third = await buildProject(repo, dir);
    const status = Object.fromEntries(
      third.run.results.filter((r) => r.kind !== 'test').map((r) => [r.name, r.status]),
    );
    expect(status).toEqual({
      raw_customers: 'reused',
      raw_orders: 'reused',
      raw_payments: 'reused',
      stg_customers: 'reused',
      stg_orders: 'reused',
      stg_payments: 'reused',
      customers: 'reused', // built by the state:modified build just before
      orders: 'reused',
    });
    const orders2 = await getTable(repo, 'main', 'orders');
    expect(orders2.files.map((f) => f.address)).toEqual(orders1.files.map((f) => f.address));
    expect(await head()).not.toBe(h1);

    // A seed change rebuilds its staging view and every mart downstream.
    appendFileSync(join(dir, 'seeds/raw_orders.csv'), '81,1,2024-06-30,placed\n');
    const fourth = await buildProject(repo, dir);
    const st4 = Object.fromEntries(
      fourth.run.results.filter((r) => r.kind !== 'test').map((r) => [r.name, r.status]),
    );
    expect(st4).toMatchObject({
      raw_orders: 'success',
      stg_orders: 'success',
      customers: 'success',
      orders: 'success',
      stg_payments: 'reused',
    });
    // stg_payments is unchanged, but its relationships test reads stg_orders, which changed:
    // that test runs again, the others on stg_payments are reused.
    const paymentsTests = fourth.run.results.filter(
      (r) => r.kind === 'test' && r.uniqueId.includes('stg_payments'),
    );
    expect(paymentsTests.length).toBeGreaterThan(2);
    for (const t of paymentsTests)
      expect([t.name, t.message?.startsWith('reused') ?? false]).toEqual([
        t.name,
        !t.name.startsWith('relationships'),
      ]);
    expect((await rows('SELECT count(*) AS n FROM orders'))[0]?.n).toBe('81');
  });

  it('test runs the tests alone: nothing written, no commit, no run branch', async () => {
    await example();
    await buildProject(repo, dir);
    const h = await head();
    const t = await buildProject(repo, dir, { command: 'test', artifacts: false });
    expect(t.run.status).toBe('success');
    expect(t.run.results.map((r) => r.kind)).toEqual(Array(22).fill('test'));
    expect(await head()).toBe(h);
    expect(await branches()).toEqual(['main']);
    const only = await buildProject(repo, dir, {
      command: 'test',
      select: ['orders'],
      artifacts: false,
    });
    expect(only.run.results).toHaveLength(6); // the six tests of orders
  });

  it('a failing test mid-DAG: downstream skipped, the branch unchanged, outputs kept on run/<id>', async () => {
    await example();
    const yml = join(dir, 'models/staging/schema.yml');
    // Forbid a status the data has: stg_orders' test fails.
    writeFileSync(
      yml,
      readFileSync(yml, 'utf8').replace(
        'completed, return_pending, returned',
        'completed, returned',
      ),
    );
    const before = await head();
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('error');
    expect(await head()).toBe(before);
    const byName = (n: string, kind = 'model') =>
      out.run.results.find((r) => r.name === n && r.kind === kind);
    const failing = out.run.results.find((r) => r.kind === 'test' && r.status === 'fail');
    expect(failing?.name).toBe('accepted_values(status)');
    expect(byName('stg_orders')?.status).toBe('success');
    expect(byName('customers')?.status).toBe('skipped');
    expect(byName('orders')?.status).toBe('skipped');
    expect(byName('customers')?.message).toContain('stg_orders');
    expect(byName('stg_customers')?.status).toBe('success'); // not downstream
    expect(await branches()).toEqual(['main', out.run.runBranch]);
    const kept = await listTables(repo, out.run.runBranch);
    expect([...kept.keys()].sort()).toEqual([
      'raw_customers',
      'raw_orders',
      'raw_payments',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect((await listTables(repo, 'main')).size).toBe(0);

    // Built again unchanged: the failure is reused, not forgotten — the build still fails.
    const again = await buildProject(repo, dir);
    expect(again.run.status).toBe('error');
    const failingAgain = again.run.results.find((r) => r.kind === 'test' && r.status === 'fail');
    expect([failingAgain?.name, failingAgain?.failures]).toEqual([
      'accepted_values(status)',
      failing?.failures,
    ]);
    expect(await head()).toBe(before);
  });
});

describe('materializations', () => {
  it('incremental (merge on unique_key) equals a full refresh over the same inputs', async () => {
    await project({
      'sluice.yml': 'name: inc\n',
      'seeds/events.csv': 'id,ts,v\n1,2024-01-01 00:00:00,a\n2,2024-01-02 00:00:00,b\n',
      'models/latest.sql': [
        "{{ config(materialized='incremental', unique_key='id') }}",
        "select id, ts, v from {{ ref('events') }}",
        '{% if is_incremental() %}',
        '  where ts > (select max(ts) from {{ this }})',
        '{% endif %}',
      ].join('\n'),
    });
    await buildProject(repo, dir);
    writeFileSync(
      join(dir, 'seeds/events.csv'),
      'id,ts,v\n1,2024-01-01 00:00:00,a\n2,2024-01-03 00:00:00,b2\n3,2024-01-04 00:00:00,c\n',
    );
    const inc = await buildProject(repo, dir);
    expect(inc.run.results.find((r) => r.name === 'latest')?.message).toContain('merged on id');
    await repo.createBranch('full', { from: 'main' });
    const full = await buildProject(repo, dir, { branch: 'full', fullRefresh: true });
    expect(full.run.results.find((r) => r.name === 'latest')?.status).toBe('success');
    const a = sorted(await rows('SELECT * FROM latest'));
    const b = sorted(await rows('SELECT * FROM latest', 'full'));
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
  });

  it('incremental without unique_key appends only the new rows', async () => {
    await project({
      'sluice.yml': 'name: inc\n',
      'seeds/events.csv': 'id\n1\n2\n',
      'models/log.sql':
        "{{ config(materialized='incremental') }}\nselect id from {{ ref('events') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n",
    });
    await buildProject(repo, dir);
    writeFileSync(join(dir, 'seeds/events.csv'), 'id\n1\n2\n3\n');
    await buildProject(repo, dir);
    expect((await rows('SELECT id FROM log ORDER BY id')).map((r) => r.id)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('a model rebuilt to the same data keeps its content version: what reads it is reused', async () => {
    await project({
      'sluice.yml': 'name: same\n',
      'seeds/nums.csv': 'n\n3\n1\n2\n',
      'models/sorted.sql':
        "{{ config(materialized='table') }}\nselect n from {{ ref('nums') }} order by n",
      'models/total.sql': "select sum(n) as s from {{ ref('sorted') }}",
    });
    await buildProject(repo, dir);
    const before = await getTable(repo, 'main', 'sorted');
    // A different query, the same rows in the same order.
    writeFileSync(
      join(dir, 'models/sorted.sql'),
      "{{ config(materialized='table') }}\nselect n from {{ ref('nums') }} where n > 0 order by n",
    );
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('success');
    const status = Object.fromEntries(
      out.run.results.filter((r) => r.kind === 'model').map((r) => [r.name, r.status]),
    );
    expect(status).toEqual({ sorted: 'success', total: 'reused' });
    const after = await getTable(repo, 'main', 'sorted');
    expect(after.files.map((f) => f.address)).toEqual(before.files.map((f) => f.address));
    expect(after.files.map((f) => f.path)).not.toEqual(before.files.map((f) => f.path));
    // Different rows: total is built again.
    writeFileSync(
      join(dir, 'models/sorted.sql'),
      "{{ config(materialized='table') }}\nselect n from {{ ref('nums') }} where n > 1 order by n",
    );
    const changed = await buildProject(repo, dir);
    expect(changed.run.results.find((r) => r.name === 'total')?.status).toBe('success');
    expect(Number((await rows('SELECT s FROM total'))[0]?.s)).toBe(5);
  });

  it('a table the SQL names directly (no ref or source) is an input: a change to it rebuilds', async () => {
    await project({
      'sluice.yml': 'name: raw\n',
      'models/totals.sql':
        "{{ config(materialized='table') }}\nwith t as (select * from landing) select sum(n) as s from t",
    });
    const put = async (csv: string) => {
      const f = join(root, 'landing.csv');
      writeFileSync(f, csv);
      await ingest(repo, f, { table: 'landing', mode: 'overwrite', commit: { message: 'land' } });
    };
    await put('n\n1\n2\n');
    expect((await buildProject(repo, dir)).run.results[0]?.status).toBe('success');
    expect((await buildProject(repo, dir)).run.results[0]?.status).toBe('reused');
    await put('n\n1\n2\n3\n');
    expect((await buildProject(repo, dir)).run.results[0]?.status).toBe('success');
    expect(Number((await rows('SELECT s FROM totals'))[0]?.s)).toBe(6);
  });

  it("sluice.yml's openlineage: section is where a build's run events go unless told otherwise", async () => {
    await project({
      'sluice.yml': 'name: ol\nopenlineage:\n  file: target/ol.jsonl\n  namespace: shop-ol\n',
      'seeds/nums.csv': 'n\n1\n',
    });
    await buildProject(repo, dir);
    const events = readFileSync(join(dir, 'target/ol.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventType: string; job: { namespace: string } });
    expect(events.map((e) => [e.eventType, e.job.namespace])).toEqual([
      ['START', 'shop-ol'],
      ['COMPLETE', 'shop-ol'],
    ]);
    writeFileSync(join(dir, 'seeds/nums.csv'), 'n\n2\n');
    await buildProject(repo, dir, { lineage: false });
    expect(readFileSync(join(dir, 'target/ol.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(
      2,
    );
  });

  it('ephemeral models are inlined as CTEs and never written', async () => {
    await project({
      'sluice.yml': 'name: eph\n',
      'seeds/nums.csv': 'n\n1\n2\n3\n4\n',
      'models/evens.sql':
        "{{ config(materialized='ephemeral') }}\nselect n from {{ ref('nums') }} where n % 2 = 0",
      'models/doubled.sql':
        "{{ config(materialized='ephemeral') }}\nselect n * 2 as n from {{ ref('evens') }}",
      'models/total.sql':
        "{{ config(materialized='table') }}\nwith x as (select n from {{ ref('doubled') }})\nselect sum(n) as s from x",
    });
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('success');
    expect(out.run.results.map((r) => r.name)).toEqual(['nums', 'total']);
    expect(Number((await rows('SELECT s FROM total'))[0]?.s)).toBe(12);
    expect([...(await listTables(repo, 'main')).keys()].sort()).toEqual(['nums', 'total']);
  });
});

describe('a test of a table built later', () => {
  it('a relationship waits for the model it points at; to a skipped one it is skipped, once', async () => {
    await project({
      'sluice.yml': 'name: rel\n',
      'seeds/s.csv': 'id\n1\n2\n',
      'models/mid.sql':
        "{{ config(materialized='table') }}\nselect id, null::int as x from {{ ref('s') }}",
      'models/other.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('mid') }}",
      'models/good.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('s') }}",
      'models/schema.yml': lines(
        'version: 2',
        'models:',
        '  - name: mid',
        '    columns:',
        '      - {name: x, tests: [not_null]}',
        '  - name: good',
        '    columns:',
        '      - {name: id, tests: [{relationships: {to: "ref(\'other\')", field: id}}]}',
      ),
    });
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('error');
    const byName = (n: string) => out.run.results.filter((r) => r.name === n);
    expect(byName('good').map((r) => r.status)).toEqual(['success']);
    expect(byName('other').map((r) => r.status)).toEqual(['skipped']);
    const rel = out.run.results.filter((r) => r.name.startsWith('relationships'));
    expect(rel.map((r) => r.status)).toEqual(['skipped']);
    expect(rel[0]?.message).toContain('not_null(x) on mid failed');

    // Fixed: the relationship waits for `other`, built after `good`, and passes.
    writeFileSync(
      join(dir, 'models/mid.sql'),
      "{{ config(materialized='table') }}\nselect id, 1 as x from {{ ref('s') }}",
    );
    const fixed = await buildProject(repo, dir);
    expect(fixed.run.status).toBe('success');
    const names = fixed.run.results.map((r) => r.name);
    const relAt = names.findIndex((n) => n.startsWith('relationships'));
    expect(fixed.run.results[relAt]?.status).toBe('pass');
    expect(relAt).toBeGreaterThan(names.indexOf('other'));
  });
});

describe('singular tests (tests/*.sql)', () => {
  const files = {
    'sluice.yml': 'name: sing\n',
    'seeds/orders.csv': 'id,customer,amount\n1,a,10\n2,b,-5\n3,a,7\n',
    'seeds/customers.csv': 'customer\na\nb\n',
    'models/paid.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('orders') }}",
    'models/spend.sql':
      "{{ config(materialized='table') }}\nselect customer, sum(amount) as total from {{ ref('paid') }} group by 1",
    'models/report.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('spend') }}",
    // Reads an ephemeral (inlined) and two tables: runs once both are built.
    'tests/every_customer_spends.sql':
      "select c.customer from {{ ref('customers') }} c\nanti join {{ ref('paid') }} p on p.customer = c.customer;\n",
  };

  it('run after the last table they read; rows returned fail them; severity, thresholds, selection', async () => {
    await project({
      ...files,
      'tests/no_refunds.sql':
        "{{ config(severity='warn') }}\nselect * from {{ ref('orders') }} where amount < 0",
      'tests/few_refunds.sql':
        "{{ config(error_if='>1', tags=['money']) }}\nselect * from {{ ref('orders') }} where amount < 0",
      'tests/off.sql': "{{ config(enabled=false) }}\nselect * from {{ ref('orders') }}",
    });
    const compiled = compileProject(loadProject(dir));
    const node = (n: string) =>
      [...compiled.graph.nodes.values()].find((x) => x.kind === 'test' && x.name === n);
    expect(node('off')).toBeUndefined();
    // The table built last of those it reads comes first: its tests are where this one runs.
    const order = [...compiled.graph.nodes.keys()];
    const owner =
      order.indexOf('seed.sing.customers') > order.indexOf('seed.sing.orders')
        ? 'seed.sing.customers'
        : 'seed.sing.orders';
    expect(node('every_customer_spends')?.dependsOn[0]).toBe(owner);
    expect(new Set(node('every_customer_spends')?.dependsOn)).toEqual(
      new Set([owner, 'seed.sing.customers', 'model.sing.paid']),
    );
    expect(node('few_refunds')?.tags).toEqual(['money']);

    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('success');
    const result = (n: string) => out.run.results.find((r) => r.name === n);
    expect(result('every_customer_spends')?.status).toBe('pass');
    expect(result('no_refunds')).toMatchObject({ status: 'warn', failures: 1 });
    // 1 row: not over error_if '>1', over the default warn_if '!=0' — a warning, as in dbt.
    expect(result('few_refunds')).toMatchObject({ status: 'warn', failures: 1 });
    const ran = out.run.results.map((r) => r.name);
    expect(ran.indexOf('every_customer_spends')).toBeGreaterThan(ran.indexOf('customers'));
    expect(ran.indexOf('every_customer_spends')).toBeGreaterThan(ran.indexOf('orders'));
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['test.sing.no_refunds']).toMatchObject({
      resource_type: 'test',
      attached_node: null,
      config: { severity: 'WARN' },
    });

    const only = await buildProject(repo, dir, { select: ['test_type:singular'], command: 'test' });
    expect(only.run.results.map((r) => r.name).sort()).toEqual([
      'every_customer_spends',
      'few_refunds',
      'no_refunds',
    ]);
  });

  it('a failing one fails the build like any error-severity test: downstream skipped, the branch unchanged', async () => {
    await project({
      ...files,
      'tests/no_refunds.sql': "select * from {{ ref('spend') }} where total < 6",
    });
    const before = await head();
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('error');
    expect(out.run.results.find((r) => r.name === 'no_refunds')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
    expect(out.run.results.find((r) => r.name === 'report')?.status).toBe('skipped');
    expect(await head()).toBe(before);
  });

  it('bad ones are refused with the file and line before anything runs', async () => {
    for (const [text, pattern] of [
      ["select 1\nfrom {{ ref('nope') }}", /tests\/t\.sql:2: ref to unknown model "nope"/],
      [
        "{{ config(severity='fatal') }}\nselect 1 from {{ ref('orders') }}",
        /tests\/t\.sql:1: .*warn or error/,
      ],
      ['select 1 as x', /tests\/t\.sql: a singular test reads no model, seed or source/],
      ['select {% if %}', /tests\/t\.sql:1: Jinja/],
    ] as const) {
      rmSync(dir, { recursive: true, force: true });
      await repo?.close();
      await project({ ...files, 'tests/t.sql': text });
      const before = await head();
      await expect(buildProject(repo, dir)).rejects.toThrow(pattern);
      expect(await head()).toBe(before);
    }
  });
});

describe('a protected branch', () => {
  it('takes the build through its gate: checks that pass land it, a failing one refuses it', async () => {
    await project({
      'sluice.yml': 'name: gated\ngates:\n  - branch: main\n',
      'seeds/raw.csv': 'id,amount\n1,10\n2,20\n',
      'models/amounts.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('raw') }}",
      // A check of the gate (checks/), not a test of the project: the build passes, the gate judges.
      'checks/amounts.yml':
        'version: 2\nmodels:\n  - name: amounts\n    columns:\n      - name: amount\n        tests: [{between: {max: 100}}]\n',
    });
    await repo.close();
    repo = await openRepository(dir, { committer: 'test' });
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('success');
    expect(await head()).toBe(out.landed?.id);

    writeFileSync(join(dir, 'seeds/raw.csv'), 'id,amount\n1,10\n2,2000\n');
    const before = await head();
    const err = await buildProject(repo, dir).then(
      () => undefined,
      (e: Error & { run?: { runBranch: string } }) => e,
    );
    expect(err).toBeInstanceOf(GateFailedError);
    expect(await head()).toBe(before);
    // The refused outputs stay on the run branch.
    const kept = err?.run?.runBranch as string;
    expect(await rows('SELECT max(amount) AS m FROM amounts', kept)).toEqual([{ m: '2000' }]);
  });
});

describe('bad input changes nothing', () => {
  const base = {
    'sluice.yml': 'name: bad\n',
    'seeds/s.csv': 'id,amount\n1,10\n2,20\n',
    'models/a.sql': "select id, amount from {{ ref('s') }}",
  };

  async function refused(files: Record<string, string>, pattern: RegExp): Promise<string> {
    await project({ ...base, ...files });
    const before = await head();
    const err = await buildProject(repo, dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(pattern);
    expect(await head()).toBe(before);
    expect(await branches()).toEqual(['main']);
    return err?.message ?? '';
  }

  it('a ref to an unknown model: the file and line', async () => {
    const msg = await refused(
      { 'models/b.sql': "select 1 as x\nunion all\nselect id from {{ ref('nope') }}" },
      /models\/b\.sql:3: ref to unknown model "nope"/,
    );
    expect(msg).toContain('models: a, b');
  });

  it('a cycle, named', async () => {
    await refused(
      {
        'models/a.sql': "select * from {{ ref('c') }}",
        'models/b.sql': "select * from {{ ref('a') }}",
        'models/c.sql': "select * from {{ ref('b') }}",
      },
      /dependency cycle: (a → c → b → a|b → a → c → b|c → b → a → c)/,
    );
  });

  it('a Jinja syntax error: the file and line', async () => {
    await refused({ 'models/b.sql': 'select 1\n{% if %}\nselect 2\n' }, /models\/b\.sql:2: Jinja/);
  });

  it('a contract mismatch: nothing written, the branch unchanged', async () => {
    await project({
      ...base,
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: a',
        '    config:',
        '      materialized: table',
        '      contract: {enforced: true}',
        '    columns:',
        '      - {name: id, data_type: bigint}',
        '      - {name: amount, data_type: varchar}',
      ].join('\n'),
    });
    const before = await head();
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('error');
    const a = out.run.results.find((r) => r.name === 'a');
    expect(a?.status).toBe('error');
    expect(a?.message).toMatch(
      /models\/a\.sql: contract: column amount is BIGINT, the contract says VARCHAR \(declared in models\/schema\.yml:3\)/,
    );
    expect(await head()).toBe(before);
    expect((await listTables(repo, out.run.runBranch)).has('a')).toBe(false);
  });

  it('a SQL error: the model fails naming its file, downstream skipped, the branch unchanged', async () => {
    await project({
      ...base,
      'models/a.sql': "select id, no_such_column from {{ ref('s') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    const before = await head();
    const out = await buildProject(repo, dir);
    expect(out.run.status).toBe('error');
    expect(out.run.results.find((r) => r.name === 'a')?.message).toMatch(
      /^models\/a\.sql: SQL: .*no_such_column/,
    );
    expect(out.run.results.find((r) => r.name === 'b')?.status).toBe('skipped');
    expect(await head()).toBe(before);
  });
});

describe('test memoization', () => {
  const spec = (type: CheckSpec['type'], extra: Partial<CheckSpec> = {}): CheckSpec => ({
    id: `t.${type}`,
    name: type,
    table: 't',
    type,
    params: {},
    severity: 'error',
    source: { file: 'x.yml', line: 1 },
    ...extra,
  });

  it('a where filter over the rows is reused like the test it filters; one reading the clock or another table runs again', async () => {
    await project({
      'sluice.yml': 'name: memo\n',
      'seeds/nums.csv': 'n\n1\n2\n3\n',
      'seeds/limits.csv': 'n\n2\n',
      // m reads limits too (so its tests run after limits is built), the same rows either way.
      'models/m.sql':
        "{{ config(materialized='table') }}\nselect n from {{ ref('nums') }} where n < (select 100 + count(*) from {{ ref('limits') }})",
      'models/m.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    columns:',
        '      - name: n',
        '        tests:',
        '          - not_null: {where: "n > 0"}',
        `          - between: {min: 0, where: "current_date > DATE '2000-01-01'"}`,
        '          - max: {max: 2, where: "n IN (SELECT n FROM limits)"}',
        '',
      ].join('\n'),
    });
    const tests = (out: Awaited<ReturnType<typeof buildProject>>) =>
      Object.fromEntries(
        out.run.results
          .filter((r) => r.kind === 'test')
          .map((r) => [r.name, r.message?.startsWith('reused') ? 'reused' : r.status]),
      );
    expect(tests(await buildProject(repo, dir))).toEqual({
      'not_null(n)': 'pass',
      'between(n)': 'pass',
      'max(n)': 'pass',
    });
    expect(tests(await buildProject(repo, dir))).toEqual({
      'not_null(n)': 'reused',
      'between(n)': 'pass',
      'max(n)': 'pass',
    });
    // m's rows are unchanged (its content version too), the table the subquery reads is not: a
    // memo keyed by m's version would say pass.
    const before = (await getTable(repo, 'main', 'm')).files.map((f) => f.address);
    writeFileSync(join(dir, 'seeds/limits.csv'), 'n\n3\n');
    const out = await buildProject(repo, dir);
    expect((await getTable(repo, 'main', 'm')).files.map((f) => f.address)).toEqual(before);
    expect(tests(out)).toEqual({ 'not_null(n)': 'reused', 'between(n)': 'pass', 'max(n)': 'fail' });
  });

  it('reuses only verdicts that depend on the tables alone', () => {
    expect(memoizable(spec('not_null', { column: 'a' }))).toBe(true);
    expect(memoizable(spec('relationships', { params: { to: "ref('u')", field: 'id' } }))).toBe(
      true,
    );
    // The clock, history, arbitrary SQL: always run.
    expect(memoizable(spec('freshness'))).toBe(false);
    expect(memoizable(spec('row_count_change'))).toBe(false);
    expect(memoizable(spec('anomaly'))).toBe(false);
    expect(memoizable(spec('sql'))).toBe(false);
    expect(memoizable(spec('not_null', { where: 'day > current_date - 7' }))).toBe(false);
    expect(memoizable(spec('between', { params: { max: 'now()' } }))).toBe(false);
  });
});
