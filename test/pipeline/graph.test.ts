// The project graph: the example project end to end (dependencies, materializations, the 22
// tests, the exposure, the order), config precedence, ephemeral and disabled models, aliases,
// sources and their tests, and the refusals (cycles, alias clashes, unknown refs and sources).
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledProject,
  childMap,
  compileProject,
  idOf,
  topoSort,
} from '../../src/pipeline/graph.js';
import { loadProject } from '../../src/pipeline/project.js';
import type { GraphNode } from '../../src/pipeline/types.js';
import { lines, projectDir, projectError } from './support.js';

const SHOP = join(dirname(fileURLToPath(import.meta.url)), '../../examples/shop');

const write = projectDir;

const compile = (files: Record<string, string>, from?: string): CompiledProject =>
  compileProject(loadProject(write(files, from)));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the example project', () => {
  let c: CompiledProject;
  const node = (id: string): GraphNode => {
    const n = c.graph.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  };
  beforeAll(() => {
    c = compileProject(loadProject(SHOP), { runStartedAt: new Date('2024-01-01T00:00:00Z') });
  });

  it('has every seed, model, test and the exposure, in a topological order', () => {
    expect(c.graph.project).toBe('shop');
    expect([...c.graph.nodes.keys()]).toEqual([
      'seed.shop.raw_customers',
      'model.shop.stg_customers',
      'seed.shop.raw_orders',
      'model.shop.stg_orders',
      'seed.shop.raw_payments',
      'model.shop.stg_payments',
      'model.shop.customers',
      'model.shop.orders',
      'exposure.shop.weekly_revenue',
      'test.shop.customers.customer_id.not_null',
      'test.shop.customers.customer_id.unique',
      'test.shop.customers.customer_lifetime_value.not_null',
      'test.shop.customers.number_of_orders.not_null',
      'test.shop.orders.amount.not_null',
      'test.shop.orders.customer_id.not_null',
      'test.shop.orders.customer_id.relationships',
      'test.shop.orders.order_id.not_null',
      'test.shop.orders.order_id.unique',
      'test.shop.orders.status.accepted_values',
      'test.shop.stg_customers.customer_id.not_null',
      'test.shop.stg_customers.customer_id.unique',
      'test.shop.stg_customers.email.unique',
      'test.shop.stg_orders.customer_id.not_null',
      'test.shop.stg_orders.order_id.not_null',
      'test.shop.stg_orders.order_id.unique',
      'test.shop.stg_orders.status.accepted_values',
      'test.shop.stg_payments.order_id.not_null',
      'test.shop.stg_payments.order_id.relationships',
      'test.shop.stg_payments.payment_id.not_null',
      'test.shop.stg_payments.payment_id.unique',
      'test.shop.stg_payments.payment_method.accepted_values',
    ]);
    // Every node comes after everything it depends on.
    const seen = new Set<string>();
    for (const n of c.graph.nodes.values()) {
      for (const d of n.dependsOn) expect(seen.has(d), `${n.uniqueId} after ${d}`).toBe(true);
      seen.add(n.uniqueId);
    }
    // Map keys are the nodes' ids.
    for (const [id, n] of c.graph.nodes) expect(n.uniqueId).toBe(id);
  });

  it('resolves every model’s references', () => {
    const deps = Object.fromEntries(
      [...c.graph.nodes.values()]
        .filter((n) => n.kind === 'model')
        .map((n) => [n.name, n.dependsOn]),
    );
    expect(deps).toEqual({
      stg_customers: ['seed.shop.raw_customers'],
      stg_orders: ['seed.shop.raw_orders'],
      stg_payments: ['seed.shop.raw_payments'],
      customers: ['model.shop.stg_customers', 'model.shop.stg_orders', 'model.shop.stg_payments'],
      orders: ['model.shop.stg_orders', 'model.shop.stg_payments'],
    });
    expect(c.models.get('customers')?.refs).toEqual([
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect(c.models.get('orders')?.sources).toEqual([]);
  });

  it('materializes staging as views and marts as tables; orders’ config() adds its tag', () => {
    const m = (name: string) => c.models.get(name)?.config;
    expect(m('stg_customers')).toEqual({
      materialized: 'view',
      tags: [],
      contractEnforced: false,
      enabled: true,
    });
    expect(m('stg_orders')?.materialized).toBe('view');
    expect(m('stg_payments')?.materialized).toBe('view');
    expect(m('customers')).toEqual({
      materialized: 'table',
      tags: [],
      contractEnforced: false,
      enabled: true,
    });
    expect(m('orders')).toEqual({
      materialized: 'table',
      tags: ['finance'],
      contractEnforced: false,
      enabled: true,
    });
    expect(node('model.shop.orders').tags).toEqual(['finance']);
    expect(node('model.shop.orders').materialized).toBe('table');
    expect(node('model.shop.stg_orders').materialized).toBe('view');
  });

  it('renders the SQL: vars, loops, refs as quoted relations', () => {
    const pay = node('model.shop.stg_payments');
    expect(pay).toEqual({
      uniqueId: 'model.shop.stg_payments',
      kind: 'model',
      name: 'stg_payments',
      path: 'models/staging/stg_payments.sql',
      dependsOn: ['seed.shop.raw_payments'],
      tags: [],
      description: "One row per payment, amounts converted from cents to the project's currency.",
      materialized: 'view',
      relation: 'stg_payments',
      columns: [
        { name: 'payment_id', description: "The payment's id." },
        { name: 'order_id', description: 'The order the payment is for.' },
        { name: 'payment_method', description: 'How the customer paid.' },
        { name: 'amount', description: 'The amount paid, in currency units (not cents).' },
        { name: 'currency', description: 'The currency of the amount (the `currency` var).' },
      ],
      rawCode: c.project.models.get('stg_payments')?.sql,
      compiledCode: [
        'select',
        '  id as payment_id,',
        '  order_id,',
        '  payment_method,',
        '  -- the seed stores cents; decimal keeps sums exact',
        '  cast(amount / 100.0 as decimal(12, 2)) as amount,',
        "  'EUR' as currency",
        'from "raw_payments"',
        '',
      ].join('\n'),
      meta: { fingerprint_sql: sha(c.models.get('stg_payments')?.sql ?? '') },
    });
    const orders = c.models.get('orders')?.sql ?? '';
    expect(orders).toContain('select * from "stg_orders"');
    for (const method of ['credit_card', 'bank_transfer', 'gift_card', 'coupon']) {
      expect(orders).toContain(
        `sum(case when payment_method = '${method}' then amount else 0 end) as ${method}_amount`,
      );
      expect(orders).toContain(`coalesce(order_payments.${method}_amount, 0) as ${method}_amount,`);
    }
    // loop.last: no comma after the last sum.
    expect(orders).toContain('as coupon_amount\n    from payments');
    expect(orders).not.toContain('{{');
    expect(orders).not.toContain('{%');
  });

  it('describes the seeds as tables', () => {
    expect(node('seed.shop.raw_orders')).toEqual({
      uniqueId: 'seed.shop.raw_orders',
      kind: 'seed',
      name: 'raw_orders',
      path: 'seeds/raw_orders.csv',
      dependsOn: [],
      tags: [],
      materialized: 'table',
      relation: 'raw_orders',
      columns: [],
      meta: {},
    });
  });

  it('attaches the 22 tests to the models they test', () => {
    const tests = [...c.graph.nodes.values()].filter((n) => n.kind === 'test');
    expect(tests).toHaveLength(22);
    expect(c.checks).toHaveLength(22);
    expect(Object.fromEntries([...c.tests].map(([k, v]) => [k, v.map((x) => x.id)]))).toEqual({
      'model.shop.customers': [
        'customers.customer_id.unique',
        'customers.customer_id.not_null',
        'customers.number_of_orders.not_null',
        'customers.customer_lifetime_value.not_null',
      ],
      'model.shop.orders': [
        'orders.order_id.unique',
        'orders.order_id.not_null',
        'orders.customer_id.not_null',
        'orders.customer_id.relationships',
        'orders.status.accepted_values',
        'orders.amount.not_null',
      ],
      'model.shop.stg_customers': [
        'stg_customers.customer_id.unique',
        'stg_customers.customer_id.not_null',
        'stg_customers.email.unique',
      ],
      'model.shop.stg_orders': [
        'stg_orders.order_id.unique',
        'stg_orders.order_id.not_null',
        'stg_orders.customer_id.not_null',
        'stg_orders.status.accepted_values',
      ],
      'model.shop.stg_payments': [
        'stg_payments.payment_id.unique',
        'stg_payments.payment_id.not_null',
        'stg_payments.order_id.not_null',
        'stg_payments.order_id.relationships',
        'stg_payments.payment_method.accepted_values',
      ],
    });
    for (const t of tests) {
      const check = String(t.meta.check);
      expect(t.uniqueId).toBe(`test.shop.${check}`);
      const model = `model.shop.${check.split('.')[0]}`;
      if (t.meta.type === 'relationships') continue;
      expect(t.dependsOn).toEqual([model]);
    }
  });

  it('a relationships test depends on both models', () => {
    expect(node('test.shop.orders.customer_id.relationships')).toEqual({
      uniqueId: 'test.shop.orders.customer_id.relationships',
      kind: 'test',
      name: 'relationships(customer_id → customers.customer_id)',
      path: 'models/marts/schema.yml',
      dependsOn: ['model.shop.orders', 'model.shop.customers'],
      tags: ['finance'],
      columns: [],
      meta: {
        check: 'orders.customer_id.relationships',
        severity: 'error',
        type: 'relationships',
        column: 'customer_id',
      },
    });
    expect(node('test.shop.stg_payments.order_id.relationships').dependsOn).toEqual([
      'model.shop.stg_payments',
      'model.shop.stg_orders',
    ]);
    // A test takes its model's tags.
    expect(node('test.shop.orders.amount.not_null').tags).toEqual(['finance']);
    expect(node('test.shop.customers.customer_id.unique').tags).toEqual([]);
  });

  it('the exposure depends on orders and customers', () => {
    expect(node('exposure.shop.weekly_revenue')).toEqual({
      uniqueId: 'exposure.shop.weekly_revenue',
      kind: 'exposure',
      name: 'weekly_revenue',
      path: 'models/marts/schema.yml',
      dependsOn: ['model.shop.orders', 'model.shop.customers'],
      tags: [],
      description:
        'Weekly revenue by payment method, and repeat-customer share, for the finance team.',
      columns: [],
      meta: {
        type: 'dashboard',
        owner: { name: 'Finance', email: 'finance@shop.example' },
        url: 'https://bi.shop.example/weekly-revenue',
      },
    });
  });

  it('childMap reverses dependsOn', () => {
    const kids = childMap(c.graph);
    expect(kids.get('model.shop.stg_orders')).toEqual([
      'model.shop.customers',
      'model.shop.orders',
      'test.shop.stg_orders.customer_id.not_null',
      'test.shop.stg_orders.order_id.not_null',
      'test.shop.stg_orders.order_id.unique',
      'test.shop.stg_orders.status.accepted_values',
      'test.shop.stg_payments.order_id.relationships',
    ]);
    expect(kids.get('model.shop.customers')).toEqual([
      'exposure.shop.weekly_revenue',
      'test.shop.customers.customer_id.not_null',
      'test.shop.customers.customer_id.unique',
      'test.shop.customers.customer_lifetime_value.not_null',
      'test.shop.customers.number_of_orders.not_null',
      'test.shop.orders.customer_id.relationships',
    ]);
    expect(kids.get('exposure.shop.weekly_revenue')).toEqual([]);
  });

  it('compiles the same way twice', () => {
    const again = compileProject(loadProject(SHOP), {
      runStartedAt: new Date('2024-01-01T00:00:00Z'),
    });
    expect([...again.graph.nodes.keys()]).toEqual([...c.graph.nodes.keys()]);
    expect([...again.models.values()].map((m) => m.sql)).toEqual(
      [...c.models.values()].map((m) => m.sql),
    );
  });

  it('config() overrides the folder: orders stays a table when marts are views', () => {
    const k = compile(
      {
        'sluice.yml': lines(
          'name: shop',
          'vars:',
          '  currency: EUR',
          '  payment_methods: [card]',
          'materialized:',
          '  marts: view',
        ),
      },
      SHOP,
    );
    expect(k.models.get('orders')?.config.materialized).toBe('table');
    expect(k.models.get('customers')?.config.materialized).toBe('view');
    expect(k.models.get('stg_orders')?.config.materialized).toBe('view');
  });
});

describe('config precedence: folder < properties < config()', () => {
  it('resolves materialization, tags, unique_key, contract and alias', () => {
    const c = compile({
      'sluice.yml': lines('name: p', 'materialized: {marts: table}'),
      'seeds/raw.csv': 'id\n1\n',
      'models/marts/folder_only.sql': "select * from {{ ref('raw') }}",
      'models/marts/props.sql': "select * from {{ ref('raw') }}",
      'models/marts/call.sql': lines(
        "{{ config(materialized='incremental', tags=['c', 'a'], unique_key='id', contract={'enforced': false}) }}",
        "select * from {{ ref('raw') }}",
      ),
      'models/marts/schema.yml': lines(
        'version: 2',
        'models:',
        '  - name: props',
        '    tags: [b]',
        '    config:',
        '      materialized: view',
        '      alias: props_v2',
        '      contract: {enforced: true}',
        '      unique_key: [k1, k2]',
        '  - name: call',
        '    tags: [b]',
        '    config:',
        '      materialized: view',
        '      tags: [a]',
        '      contract: {enforced: true}',
        '      unique_key: k',
      ),
    });
    expect(c.models.get('folder_only')?.config).toEqual({
      materialized: 'table',
      tags: [],
      contractEnforced: false,
      enabled: true,
    });
    expect(c.models.get('props')?.config).toEqual({
      materialized: 'view',
      tags: ['b'],
      uniqueKey: ['k1', 'k2'],
      contractEnforced: true,
      alias: 'props_v2',
      enabled: true,
    });
    expect(c.models.get('props')?.table).toBe('props_v2');
    expect(c.graph.nodes.get('model.p.props')?.relation).toBe('props_v2');
    expect(c.models.get('call')?.config).toEqual({
      materialized: 'incremental',
      tags: ['a', 'b', 'c'],
      uniqueKey: ['id'],
      contractEnforced: false,
      enabled: true,
    });
  });

  it("dbt_project.yml's folder-level +tags add up down the tree; the innermost +enabled applies", () => {
    const c = compile({
      'dbt_project.yml': lines(
        'name: p',
        'models:',
        '  p:',
        '    +tags: [all]',
        '    +schema: analytics', // means nothing on a branch: accepted
        '    marts:',
        '      +tags: finance',
        '      +materialized: table',
        '      legacy:',
        '        +enabled: false',
        '        keep:',
        '          enabled: true',
      ),
      'seeds/raw.csv': 'id\n1\n',
      'models/stg.sql': "select * from {{ ref('raw') }}",
      'models/marts/revenue.sql': "{{ config(tags=['own']) }}\nselect * from {{ ref('stg') }}",
      'models/marts/legacy/old.sql': "select * from {{ ref('stg') }}",
      'models/marts/legacy/keep/kept.sql': "select * from {{ ref('stg') }}",
      'models/marts/legacy/back.sql': "{{ config(enabled=true) }}\nselect * from {{ ref('stg') }}",
    });
    expect(c.models.get('stg')?.config.tags).toEqual(['all']);
    expect(c.models.get('revenue')?.config).toMatchObject({
      materialized: 'table',
      tags: ['all', 'finance', 'own'],
    });
    expect(c.models.has('old')).toBe(false); // disabled by its folder
    expect(c.models.get('kept')?.config.tags).toEqual(['all', 'finance']);
    expect(c.models.has('back')).toBe(true); // its own config() wins over the folder
    const bad = projectError(() =>
      compile({ 'dbt_project.yml': lines('name: p', 'models:', '  p:', '    +enabled: maybe') }),
    );
    expect(bad.data).toMatchObject({ file: 'dbt_project.yml', line: 4 });
    expect(bad.data.reason).toBe('models.p.+enabled: true or false');
  });

  it('renders target.name from the options', () => {
    const c = compileProject(
      loadProject(
        write({ 'sluice.yml': 'name: p\n', 'models/t.sql': "select '{{ target.name }}' as t" }),
      ),
      { target: 'feature/x' },
    );
    expect(c.models.get('t')?.sql).toBe("select 'feature/x' as t");
    const d = compile({ 'sluice.yml': 'name: p\n', 'models/t.sql': '{{ target.name }}' });
    expect(d.models.get('t')?.sql).toBe('main');
  });
});

describe('ephemeral, aliased and disabled models', () => {
  const files = {
    'sluice.yml': 'name: p\n',
    'seeds/raw.csv': 'id\n1\n',
    'models/base.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('raw') }}",
    'models/mid.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('base') }}",
    'models/top.sql': "select * from {{ ref('mid') }} join {{ ref('named') }} using (id)",
    'models/named.sql': "{{ config(alias='named_v2') }}select 1 as id, '{{ this }}' as me",
    'models/off.sql': "{{ config(enabled=false) }}select * from {{ ref('nowhere') }}",
    'models/off_too.sql': 'select 1',
    'models/schema.yml': lines(
      'version: 2',
      'models:',
      '  - name: off_too',
      '    config: {enabled: false}',
      '    columns:',
      '      - name: id',
      '        tests: [not_null]',
      '  - name: base',
      '    columns:',
      '      - name: id',
      '        tests: [unique]',
    ),
  };

  it('an ephemeral ref renders as its CTE name; an alias as its table', () => {
    const c = compile(files);
    expect(c.models.get('mid')?.sql).toBe('select * from "__dbt__cte__base"');
    expect(c.models.get('top')?.sql).toBe(
      'select * from "__dbt__cte__mid" join "named_v2" using (id)',
    );
    expect(c.models.get('named')?.sql).toBe(`select 1 as id, '"named_v2"' as me`);
    expect(c.graph.nodes.get('model.p.top')?.dependsOn).toEqual(['model.p.mid', 'model.p.named']);
    expect(c.graph.nodes.get('model.p.mid')?.dependsOn).toEqual(['model.p.base']);
    expect(c.graph.nodes.get('model.p.base')?.materialized).toBe('ephemeral');
    expect(c.graph.nodes.get('model.p.base')?.relation).toBe('base');
    expect(c.graph.nodes.get('model.p.named')?.relation).toBe('named_v2');
  });

  it('disabled models (config() or properties) are left out, with their tests', () => {
    const c = compile(files);
    expect([...c.models.keys()].sort()).toEqual(['base', 'mid', 'named', 'top']);
    expect(c.graph.nodes.has('model.p.off')).toBe(false);
    expect(c.graph.nodes.has('model.p.off_too')).toBe(false);
    expect(c.graph.nodes.has('test.p.off_too.id.not_null')).toBe(false);
    // The check is still one of the project's (sluice check runs it on an existing table).
    expect(c.checks.map((x) => x.id)).toEqual(['off_too.id.not_null', 'base.id.unique']);
    expect(c.graph.nodes.get('test.p.base.id.unique')?.dependsOn).toEqual(['model.p.base']);
  });

  it('a ref to a disabled model is an error on the ref’s line', () => {
    const e = projectError(() =>
      compile({ ...files, 'models/uses_off.sql': "select 1\nfrom {{ ref('off') }}" }),
    );
    expect(e.data).toEqual({
      file: 'models/uses_off.sql',
      line: 2,
      reason: 'ref to model off, which is disabled (enabled: false)',
    });
  });
});

describe('refusals', () => {
  it('a cycle names its models in order (each reads the next) and their files', () => {
    const e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/a.sql': "select * from {{ ref('c') }}",
        'models/b.sql': "select * from {{ ref('a') }}",
        'models/c.sql': "select * from {{ ref('b') }}",
        'models/d.sql': "select * from {{ ref('a') }}",
      }),
    );
    expect(e.data).toEqual({ file: 'models/a.sql', reason: 'dependency cycle: a → c → b → a' });
    expect(e.message).toBe(
      'models/a.sql: dependency cycle: a → c → b → a (models/a.sql, models/c.sql, models/b.sql)',
    );
  });

  it('a model reading itself is a cycle', () => {
    const e = projectError(() =>
      compile({ 'sluice.yml': 'name: p\n', 'models/a.sql': "select * from {{ ref('a') }}" }),
    );
    expect(e.data).toEqual({ file: 'models/a.sql', reason: 'dependency cycle: a → a' });
  });

  it('two models writing one table (an alias clash) are refused', () => {
    const e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/x.sql': "{{ config(alias='y') }}select 1",
        'models/y.sql': 'select 2',
      }),
    );
    expect(e.data).toEqual({ file: 'models/y.sql', reason: 'table y is also written by model x' });
    expect(e.message).toBe('models/y.sql: table y is also written by model x');
    const f = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'seeds/raw.csv': 'a\n1\n',
        'models/x.sql': "{{ config(alias='raw') }}select 1",
      }),
    );
    expect(f.data).toEqual({
      file: 'models/x.sql',
      reason: 'table raw is also written by seed raw',
    });
  });

  it('an ephemeral model writes no table, so its name clashes with nothing', () => {
    const c = compile({
      'sluice.yml': 'name: p\n',
      'models/x.sql': "{{ config(alias='y', materialized='ephemeral') }}select 1",
      'models/y.sql': "select * from {{ ref('x') }}",
    });
    expect(c.models.get('y')?.sql).toBe('select * from "__dbt__cte__x"');
  });

  it('an unknown ref names the models and seeds there are', () => {
    const e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'seeds/raw.csv': 'a\n1\n',
        'models/a.sql': 'select 1',
        'models/b.sql': "select *\nfrom {{ ref('a') }}\njoin {{ ref('zzz') }} using (a)",
      }),
    );
    expect(e.data).toEqual({
      file: 'models/b.sql',
      line: 3,
      reason: 'ref to unknown model "zzz" (models: a, b; seeds: raw)',
    });
  });

  it('an unknown source names the sources there are', () => {
    const e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/sources.yml': lines('sources:', '  - name: raw', '    tables: [{name: orders}]'),
        'models/a.sql': "select 1\nfrom {{ source('raw', 'orderz') }}",
      }),
    );
    expect(e.data).toEqual({
      file: 'models/a.sql',
      line: 2,
      reason:
        'source("raw", "orderz") is not declared in any properties file (sources: raw.orders)',
    });
  });

  it('an exposure on an unknown model or source is refused on its line', () => {
    let e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/a.sql': 'select 1',
        'models/x.yml': lines(
          'exposures:',
          '  - name: dash',
          '    type: dashboard',
          '    owner: {name: x}',
          "    depends_on: [ref('a'), ref('b')]",
        ),
      }),
    );
    expect(e.data).toEqual({
      file: 'models/x.yml',
      line: 2,
      reason: 'exposure dash depends on unknown model b',
    });
    e = projectError(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/x.yml': lines(
          'exposures:',
          '  - name: dash',
          '    type: dashboard',
          '    owner: {name: x}',
          '    depends_on:',
          "      - source('raw', 'nope')",
        ),
      }),
    );
    expect(e.data.reason).toBe('exposure dash depends on unknown source raw.nope');
  });

  it('a template error fails the compile', () => {
    const e = projectError(() =>
      compile({ 'sluice.yml': 'name: p\n', 'models/a.sql': 'select\n{{ var("missing") }}' }),
    );
    expect(e.data).toEqual({
      file: 'models/a.sql',
      line: 2,
      reason: 'var "missing" is not defined in sluice.yml and has no default',
    });
  });
});

describe('sources, seeds and their tests', () => {
  const files = {
    'sluice.yml': 'name: p\n',
    'seeds/countries.csv': 'code\nDE\n',
    'models/orders.sql': "select * from {{ source('raw', 'orders') }}",
    'models/customers.sql': "select * from {{ source('raw', 'customers') }}",
    'models/sources.yml': lines(
      'version: 2',
      'sources:',
      '  - name: raw',
      '    loaded_at_field: _loaded',
      '    freshness: {warn_after: {count: 1, period: day}}',
      '    tables:',
      '      - name: orders',
      '        identifier: raw_orders_v2',
      '        description: Orders as loaded.',
      '        columns:',
      '          - name: id',
      '            tests: [not_null]',
      '          - name: customer_id',
      "            tests: [{relationships: {to: \"source('raw', 'customers')\", field: id}}]",
      '      - name: customers',
      'models:',
      '  - name: orders',
      '    columns:',
      '      - name: id',
      '        tests: [unique]',
      'seeds:',
      '  - name: countries',
      '    description: ISO countries.',
      '    tags: [ref_data]',
      '    columns:',
      '      - name: code',
      '        tests: [unique]',
    ),
  };

  it('a source node carries its source, loaded_at_field and freshness', () => {
    const c = compile(files);
    expect(c.graph.nodes.get('source.p.raw.orders')).toEqual({
      uniqueId: 'source.p.raw.orders',
      kind: 'source',
      name: 'orders',
      path: 'models/sources.yml',
      dependsOn: [],
      tags: [],
      description: 'Orders as loaded.',
      relation: 'raw_orders_v2',
      columns: [{ name: 'id' }, { name: 'customer_id' }],
      meta: {
        source: 'raw',
        loaded_at_field: '_loaded',
        freshness: { warnAfter: { count: 1, period: 'day' } },
      },
    });
    expect(c.models.get('orders')?.sql).toBe('select * from "raw_orders_v2"');
    expect(c.models.get('orders')?.sources).toEqual([{ source: 'raw', table: 'orders' }]);
    expect(c.graph.nodes.get('model.p.orders')?.dependsOn).toEqual(['source.p.raw.orders']);
  });

  it('a source’s tests attach to the source (not to a model of the same name)', () => {
    const c = compile(files);
    expect(c.graph.nodes.get('test.p.orders.id.not_null')?.dependsOn).toEqual([
      'source.p.raw.orders',
    ]);
    expect(c.graph.nodes.get('test.p.orders.customer_id.relationships')?.dependsOn).toEqual([
      'source.p.raw.orders',
      'source.p.raw.customers',
    ]);
    // The model orders' own test stays the model's.
    expect(c.graph.nodes.get('test.p.orders.id.unique')?.dependsOn).toEqual(['model.p.orders']);
    // A source's check reads the source's table.
    const byId = new Map(c.checks.map((x) => [x.id, x]));
    expect(byId.get('orders.id.not_null')?.table).toBe('raw_orders_v2');
    expect(byId.get('orders.id.unique')?.table).toBe('orders');
    expect(c.tests.get('source.p.raw.orders')?.map((x) => x.id)).toEqual([
      'orders.id.not_null',
      'orders.customer_id.relationships',
    ]);
    expect(c.tests.get('model.p.orders')?.map((x) => x.id)).toEqual(['orders.id.unique']);
  });

  it('a seed takes its properties and its tests', () => {
    const c = compile(files);
    expect(c.graph.nodes.get('seed.p.countries')).toEqual({
      uniqueId: 'seed.p.countries',
      kind: 'seed',
      name: 'countries',
      path: 'seeds/countries.csv',
      dependsOn: [],
      tags: ['ref_data'],
      description: 'ISO countries.',
      materialized: 'table',
      relation: 'countries',
      columns: [{ name: 'code' }],
      meta: {},
    });
    expect(c.graph.nodes.get('test.p.countries.code.unique')?.dependsOn).toEqual([
      'seed.p.countries',
    ]);
    expect(c.graph.nodes.get('test.p.countries.code.unique')?.tags).toEqual(['ref_data']);
  });

  it('repeated check ids across files are numbered', () => {
    const c = compile({
      'sluice.yml': 'name: p\n',
      'models/a.sql': 'select 1 as id',
      'models/one.yml': lines(
        'models:',
        '  - name: a',
        '    columns:',
        '      - name: id',
        '        tests: [not_null]',
      ),
      'models/two.yml': lines(
        'sources:',
        '  - name: raw',
        '    tables:',
        '      - name: a',
        '        columns:',
        '          - name: id',
        '            tests: [not_null]',
      ),
    });
    expect(c.checks.map((x) => x.id)).toEqual(['a.id.not_null', 'a.id.not_null#2']);
    expect(c.graph.nodes.get('test.p.a.id.not_null')?.dependsOn).toEqual(['model.p.a']);
    expect(c.graph.nodes.get('test.p.a.id.not_null#2')?.dependsOn).toEqual(['source.p.raw.a']);
  });

  it('tests: and data_tests: (dbt ≥ 1.8) are read alike, parameters bare or under arguments: (dbt ≥ 1.10)', () => {
    const c = compile({
      'sluice.yml': 'name: p\n',
      'models/customers.sql': 'select 1 as customer_id',
      'models/orders.sql': "select 1 as order_id, 1 as customer_id, 'placed' as status",
      'models/schema.yml': lines(
        'models:',
        '  - name: orders',
        '    data_tests:',
        '      - row_count: {arguments: {min: 1}}',
        '    columns:',
        '      - name: order_id',
        '        data_tests: [unique, not_null]',
        '      - name: status',
        '        data_tests:',
        '          - accepted_values:',
        '              arguments:',
        "                values: ['placed', 'shipped']",
        '              config:',
        '                severity: warn',
        '      - name: customer_id',
        '        tests:',
        '          - relationships:',
        "              to: ref('customers')",
        '              field: customer_id',
      ),
    });
    const byId = new Map(c.checks.map((x) => [x.id, x]));
    expect([...byId.keys()]).toEqual([
      'orders.row_count',
      'orders.order_id.unique',
      'orders.order_id.not_null',
      'orders.status.accepted_values',
      'orders.customer_id.relationships',
    ]);
    expect(byId.get('orders.row_count')?.params).toEqual({ min: 1 });
    expect(byId.get('orders.status.accepted_values')).toMatchObject({
      params: { values: ['placed', 'shipped'] },
      severity: 'warn',
    });
    expect(c.graph.nodes.get('test.p.orders.customer_id.relationships')?.dependsOn).toEqual([
      'model.p.orders',
      'model.p.customers',
    ]);
    // arguments: of the wrong shape is refused on its test's line.
    expect(() =>
      compile({
        'sluice.yml': 'name: p\n',
        'models/schema.yml': lines(
          'models:',
          '  - name: a',
          '    columns:',
          '      - name: id',
          '        data_tests:',
          '          - accepted_values: {arguments: [placed]}',
        ),
      }),
    ).toThrow(/models\/schema\.yml:6: arguments: must be a mapping/);
  });

  it('tests of a table no model builds are checks, not graph nodes', () => {
    const c = compile({
      'sluice.yml': 'name: p\n',
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': lines(
        'models:',
        '  - name: ingested',
        '    columns:',
        '      - name: id',
        '        tests: [not_null]',
      ),
    });
    expect(c.checks.map((x) => x.id)).toEqual(['ingested.id.not_null']);
    expect([...c.graph.nodes.keys()]).toEqual(['model.p.a']);
    expect(c.tests.size).toBe(0);
  });

  it('an exposure may depend on a source and a seed', () => {
    const c = compile({
      ...files,
      'models/exposures.yml': lines(
        'exposures:',
        '  - name: nb',
        '    type: notebook',
        '    owner: {email: a@b.c}',
        '    maturity: low',
        '    label: NB',
        '    depends_on:',
        "      - source('raw', 'customers')",
        "      - ref('countries')",
      ),
    });
    expect(c.graph.nodes.get('exposure.p.nb')).toEqual({
      uniqueId: 'exposure.p.nb',
      kind: 'exposure',
      name: 'nb',
      path: 'models/exposures.yml',
      dependsOn: ['source.p.raw.customers', 'seed.p.countries'],
      tags: [],
      columns: [],
      meta: { type: 'notebook', owner: { email: 'a@b.c' }, maturity: 'low', label: 'NB' },
    });
  });
});

describe('topoSort and ids', () => {
  const n = (uniqueId: string, dependsOn: string[] = []): GraphNode => ({
    uniqueId,
    kind: 'model',
    name: uniqueId,
    path: `models/${uniqueId}.sql`,
    dependsOn,
    tags: [],
    columns: [],
    meta: {},
  });

  it('orders any graph so every node follows its dependencies; unknown ids are ignored', () => {
    const nodes = new Map(
      [n('d', ['b', 'c']), n('c', ['a']), n('b', ['a', 'elsewhere']), n('a')].map((x) => [
        x.uniqueId,
        x,
      ]),
    );
    expect([...topoSort(nodes).keys()]).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a cycle', () => {
    const nodes = new Map([n('x', ['y']), n('y', ['x'])].map((v) => [v.uniqueId, v]));
    const e = projectError(() => topoSort(nodes));
    expect(e.data).toEqual({ file: 'models/x.sql', reason: 'dependency cycle: x → y → x' });
  });

  it('ids are dbt’s', () => {
    expect(idOf.model('p', 'a')).toBe('model.p.a');
    expect(idOf.seed('p', 'a')).toBe('seed.p.a');
    expect(idOf.test('p', 'a.b.unique')).toBe('test.p.a.b.unique');
    expect(idOf.source('p', 's', 't')).toBe('source.p.s.t');
    expect(idOf.exposure('p', 'e')).toBe('exposure.p.e');
  });
});
