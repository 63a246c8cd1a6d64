// A dbt project as dbt users write it — dbt Labs' jaffle_shop for DuckDB, with only a
// dbt_project.yml (un-prefixed folder `materialized:`, config-version, profile, clean-targets …),
// `tests:` and `data_tests:`, a docs block, a Jinja for loop — runs on Sluice without edits, and
// each model's output equals DuckDB running the rendered SQL directly over the seeds.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withDuck } from '../../src/engine/duckdb.js';
import { withSqlSession } from '../../src/engine/session.js';
import { listTables } from '../../src/engine/tables.js';
import { buildProject } from '../../src/pipeline/build.js';
import { compileProject } from '../../src/pipeline/graph.js';
import { loadProject } from '../../src/pipeline/project.js';
import { selectNodes } from '../../src/pipeline/select.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/jaffle_shop_duckdb');
const SEEDS = ['raw_customers', 'raw_orders', 'raw_payments'];
const MODELS = ['stg_customers', 'stg_orders', 'stg_payments', 'customers', 'orders'];
const METHODS = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'];

let root: string;
let dir: string;
let repo: Repository | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-dbt-'));
  dir = join(root, 'jaffle_shop');
  cpSync(FIXTURE, dir, { recursive: true });
});
afterEach(async () => {
  await repo?.close();
  repo = undefined;
  rmSync(root, { recursive: true, force: true });
});

const sorted = (xs: Record<string, Json>[]) => xs.map((r) => JSON.stringify(r)).sort();

describe('jaffle_shop (dbt_project.yml only)', () => {
  it('is a dbt project and nothing else: no sluice.yml, un-prefixed folder config', () => {
    expect(existsSync(join(dir, 'sluice.yml'))).toBe(false);
    expect(readFileSync(join(dir, 'dbt_project.yml'), 'utf8')).not.toContain('+materialized');
    const project = loadProject(dir);
    expect(project.config).toMatchObject({
      name: 'jaffle_shop',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      file: 'dbt_project.yml',
    });
    expect(Object.fromEntries(project.config.materialized)).toEqual({
      '': 'table',
      staging: 'view',
    });
  });

  it('compiles: the for loop renders one column per payment method, the doc() description resolves', () => {
    const compiled = compileProject(loadProject(dir));
    // What `sluice compile -s +orders` prints: the models orders needs, in order, with their
    // materializations (seeds are not compiled).
    expect(
      selectNodes(compiled.graph, { select: ['+orders'] })
        .filter((n) => n.kind === 'model')
        .map((n) => [n.name, n.materialized]),
    ).toEqual([
      ['stg_orders', 'view'],
      ['stg_payments', 'view'],
      ['orders', 'table'],
    ]);
    const orders = compiled.models.get('orders')?.sql ?? '';
    for (const m of METHODS) {
      expect(orders).toContain(
        `sum(case when payment_method = '${m}' then amount else 0 end) as ${m}_amount,`,
      );
      expect(orders).toContain(`order_payments.${m}_amount,`);
    }
    expect(orders).not.toMatch(/\{[{%#]/);
    expect(orders).toContain('select * from "stg_orders"');
    // `-%}` trims: the four sums are consecutive lines, then total_amount.
    expect(orders).toMatch(
      /as credit_card_amount,\n\s+sum\(case when payment_method = 'coupon'[^\n]*\n[^\n]*\n[^\n]*gift_card_amount,\n\s+sum\(amount\) as total_amount/,
    );
    // The Jinja comment (`{#- … #}`) is gone from the staging models.
    const stg = compiled.models.get('stg_customers')?.sql ?? '';
    expect(stg).not.toContain('Normally we would select');
    expect(stg).toContain('select * from "raw_customers"');
    // `description: '{{ doc("orders_status") }}'` is the docs block's text.
    const status = compiled.graph.nodes
      .get('model.jaffle_shop.orders')
      ?.columns.find((c) => c.name === 'status');
    expect(status?.description).toMatch(/^Orders can be one of the following statuses:/);
    expect(status?.description).toContain('| return_pending |');
    expect(status?.description).not.toContain('{{');
    expect(compiled.graph.nodes.get('model.jaffle_shop.customers')?.description).toMatch(
      /^This table has basic information about a customer/,
    );
  });

  it('builds without edits: 3 seeds, staging views, mart tables, 20 tests passed, each output equal to DuckDB running the rendered SQL', async () => {
    const r = await initRepository(dir, { committer: 'test' });
    repo = r;
    const out = await buildProject(r, dir);
    expect(out.run.status).toBe('success');
    expect(out.warnings).toEqual([]);
    const built = out.run.results.filter((x) => x.kind !== 'test');
    expect(Object.fromEntries(built.map((x) => [x.name, x.status]))).toEqual(
      Object.fromEntries([...SEEDS, ...MODELS].map((n) => [n, 'success'])),
    );
    // In DAG order: each model after what it reads.
    const at = (n: string) => built.findIndex((x) => x.name === n);
    expect(at('raw_orders')).toBeLessThan(at('stg_orders'));
    expect(at('stg_payments')).toBeLessThan(at('orders'));
    expect(at('stg_orders')).toBeLessThan(at('customers'));
    // The 20 tests of the two schema.yml files (12 with `tests:`, 8 with `data_tests:`).
    const tests = out.run.results.filter((x) => x.kind === 'test');
    expect(tests).toHaveLength(20);
    expect(tests.filter((t) => t.uniqueId.includes('.stg_'))).toHaveLength(8);
    expect(tests.filter((t) => t.status !== 'pass').map((t) => [t.name, t.message])).toEqual([]);
    expect(tests.map((t) => t.name)).toContain(
      'relationships(customer_id → customers.customer_id)',
    );
    expect(out.landed).toBeDefined();

    // Staging (folder `staging: materialized: view`) are stored views; the marts (the project
    // level `materialized: table`) are tables with files.
    const tables = await listTables(r, 'main');
    for (const v of ['stg_customers', 'stg_orders', 'stg_payments']) {
      expect([v, tables.get(v)?.manifest.view?.sql !== undefined]).toEqual([v, true]);
      expect(tables.get(v)?.files).toEqual([]);
    }
    for (const t of ['customers', 'orders']) {
      expect([t, tables.get(t)?.manifest.view]).toEqual([t, undefined]);
      expect(tables.get(t)?.files.length).toBeGreaterThan(0);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.jaffle_shop.stg_orders'].config.materialized).toBe('view');
    expect(manifest.nodes['model.jaffle_shop.orders'].config.materialized).toBe('table');
    // The docs block is the column's description in the manifest; the .md is snapshotted.
    expect(manifest.nodes['model.jaffle_shop.orders'].columns.status.description).toMatch(
      /^Orders can be one of the following statuses:/,
    );
    // …and the docs blocks are listed under docs, as dbt lists them.
    expect(Object.keys(manifest.docs).sort()).toEqual([
      'doc.jaffle_shop.__overview__',
      'doc.jaffle_shop.orders_status',
    ]);
    expect(manifest.docs['doc.jaffle_shop.orders_status']).toMatchObject({
      name: 'orders_status',
      resource_type: 'doc',
      package_name: 'jaffle_shop',
      path: 'docs.md',
      original_file_path: 'models/docs.md',
    });
    expect(manifest.docs['doc.jaffle_shop.orders_status'].block_contents).toMatch(
      /^Orders can be one of the following statuses:/,
    );
    const snap = Buffer.from(await r.getObject('main', '_sluice/project/models/docs.md'));
    expect(snap.toString()).toBe(readFileSync(join(dir, 'models/docs.md'), 'utf8'));

    // The reference: DuckDB alone, seeds from the CSVs, models from the SQL compile renders.
    const compiled = compileProject(loadProject(dir));
    const expected = new Map<string, string[]>();
    await withDuck({}, async (duck) => {
      for (const s of SEEDS)
        await duck.run(
          `CREATE TABLE "${s}" AS SELECT * FROM read_csv('${join(dir, 'seeds', `${s}.csv`)}')`,
        );
      for (const name of MODELS) {
        await duck.run(`CREATE TABLE "${name}" AS ${compiled.models.get(name)?.sql}`);
        expected.set(name, sorted((await duck.query(`SELECT * FROM "${name}"`)).rows));
      }
    });
    const got = await withSqlSession(r, { refs: ['main'] }, async (s) => {
      const o = new Map<string, string[]>();
      for (const name of MODELS)
        o.set(name, sorted((await s.duck.query(`SELECT * FROM "${name}"`)).rows));
      return o;
    });
    for (const name of MODELS) {
      expect((expected.get(name) ?? []).length).toBeGreaterThan(0);
      expect([name, got.get(name)]).toEqual([name, expected.get(name)]);
    }
    expect(got.get('orders')).toHaveLength(50);
    expect(got.get('customers')).toHaveLength(30);
  });

  it('what Sluice does not support is refused clearly, before anything is written: a project macro', async () => {
    // The newer jaffle-shop converts cents with a macro of its own.
    writeFileSync(
      join(dir, 'macros/cents_to_dollars.sql'),
      [
        '{% macro cents_to_dollars(column_name) -%}',
        '    ({{ column_name }} / 100)::numeric(16, 2)',
        '{%- endmacro %}',
        '',
      ].join('\n'),
    );
    const stg = join(dir, 'models/staging/stg_payments.sql');
    writeFileSync(
      stg,
      readFileSync(stg, 'utf8').replace(
        'amount / 100 as amount',
        "{{ cents_to_dollars('amount') }} as amount",
      ),
    );
    const r = await initRepository(dir, { committer: 'test' });
    repo = r;
    const before = (await r.getBranch('main')).head;
    const err = await buildProject(r, dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      'models/staging/stg_payments.sql:19: cents_to_dollars() is a macro (macros/cents_to_dollars.sql:1): macros are not supported yet — put its SQL in the model',
    );
    expect((await r.getBranch('main')).head).toBe(before);
  });
});
