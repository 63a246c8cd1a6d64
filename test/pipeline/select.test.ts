// Node selection in dbt's syntax, on the example project's graph (and a small one with sources):
// every selector form with the exact nodes it picks, set operations, exclusion, eager test
// selection, state:modified, and the refusals.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/common/errors.js';
import { compileProject } from '../../src/pipeline/graph.js';
import { loadProject } from '../../src/pipeline/project.js';
import { type SelectOptions, selectNodes } from '../../src/pipeline/select.js';
import type { ProjectGraph } from '../../src/pipeline/types.js';

const SHOP = join(dirname(fileURLToPath(import.meta.url)), '../../examples/shop');

// The example's nodes, by short name.
const RC = 'seed.shop.raw_customers';
const RO = 'seed.shop.raw_orders';
const RP = 'seed.shop.raw_payments';
const SC = 'model.shop.stg_customers';
const SO = 'model.shop.stg_orders';
const SP = 'model.shop.stg_payments';
const C = 'model.shop.customers';
const O = 'model.shop.orders';
const E = 'exposure.shop.weekly_revenue';
const t = (id: string) => `test.shop.${id}`;
/** Tests by the model they test (first parent). */
const T = {
  C: [
    'customers.customer_id.not_null',
    'customers.customer_id.unique',
    'customers.customer_lifetime_value.not_null',
    'customers.number_of_orders.not_null',
  ].map(t),
  O: [
    'orders.amount.not_null',
    'orders.customer_id.not_null',
    'orders.customer_id.relationships', // also depends on customers
    'orders.order_id.not_null',
    'orders.order_id.unique',
    'orders.status.accepted_values',
  ].map(t),
  SC: [
    'stg_customers.customer_id.not_null',
    'stg_customers.customer_id.unique',
    'stg_customers.email.unique',
  ].map(t),
  SO: [
    'stg_orders.customer_id.not_null',
    'stg_orders.order_id.not_null',
    'stg_orders.order_id.unique',
    'stg_orders.status.accepted_values',
  ].map(t),
  SP: [
    'stg_payments.order_id.not_null',
    'stg_payments.order_id.relationships', // also depends on stg_orders
    'stg_payments.payment_id.not_null',
    'stg_payments.payment_id.unique',
    'stg_payments.payment_method.accepted_values',
  ].map(t),
};
const ALL_TESTS = [...T.C, ...T.O, ...T.SC, ...T.SO, ...T.SP];
const O_REL = t('orders.customer_id.relationships');
const SP_REL = t('stg_payments.order_id.relationships');
const without = (xs: string[], ...drop: string[]) => xs.filter((x) => !drop.includes(x));

let graph: ProjectGraph;
beforeAll(() => {
  graph = compileProject(loadProject(SHOP)).graph;
});

/** The ids selected, sorted. */
const sel = (opts: SelectOptions): string[] =>
  selectNodes(graph, opts)
    .map((n) => n.uniqueId)
    .sort();
const select = (...s: string[]) => sel({ select: s });
const sorted = (...groups: (string | string[])[]) => groups.flat().sort();

function refused(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return err as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('on the example graph', () => {
  it('no selection selects everything, in the graph’s order', () => {
    const all = selectNodes(graph).map((n) => n.uniqueId);
    expect(all).toEqual([...graph.nodes.keys()]);
    expect(all).toHaveLength(31);
    expect(selectNodes(graph, { select: ['', '  '] }).map((n) => n.uniqueId)).toEqual(all);
  });

  it('returns nodes in the graph’s order', () => {
    expect(selectNodes(graph, { select: ['+orders'] }).map((n) => n.uniqueId)).toEqual(
      [...graph.nodes.keys()].filter((id) =>
        sorted(RO, SO, RP, SP, O, T.SO, T.SP, T.O).includes(id),
      ),
    );
  });

  it('a name selects the node and (eagerly) its tests', () => {
    expect(select('orders')).toEqual(sorted(O, T.O));
    expect(select('raw_orders')).toEqual([RO]);
    expect(select('weekly_revenue')).toEqual([E]);
    // By unique id too.
    expect(select('model.shop.customers')).toEqual(sorted(C, T.C, O_REL));
  });

  it('a relationships test comes with either of the models it tests', () => {
    expect(select('customers')).toEqual(sorted(C, T.C, O_REL));
    expect(select('stg_orders')).toEqual(sorted(SO, T.SO, SP_REL));
  });

  it('+name: everything upstream', () => {
    expect(select('+orders')).toEqual(sorted(RO, RP, SO, SP, O, T.SO, T.SP, T.O));
    expect(select('+customers')).toEqual(
      sorted(RC, RO, RP, SC, SO, SP, C, T.SC, T.SO, T.SP, T.C, O_REL),
    );
  });

  it('name+: everything downstream', () => {
    expect(select('orders+')).toEqual(sorted(O, E, T.O));
    expect(select('raw_orders+')).toEqual(sorted(RO, SO, C, O, E, T.SO, SP_REL, T.C, T.O));
    expect(select('+orders+')).toEqual(sorted(RO, RP, SO, SP, O, E, T.SO, T.SP, T.O));
  });

  it('N+name and name+N: that many generations', () => {
    expect(select('1+orders')).toEqual(sorted(SO, SP, O, T.SO, T.SP, T.O));
    expect(select('2+orders')).toEqual(sorted(RO, RP, SO, SP, O, T.SO, T.SP, T.O));
    expect(select('0+orders')).toEqual(sorted(O, T.O));
    expect(select('stg_orders+1')).toEqual(sorted(SO, C, O, T.SO, SP_REL, T.C, T.O));
    expect(select('raw_orders+1')).toEqual(sorted(RO, SO, T.SO, SP_REL));
    expect(select('1+stg_orders+1')).toEqual(sorted(RO, SO, C, O, T.SO, SP_REL, T.C, T.O));
  });

  it('tag:', () => {
    expect(select('tag:finance')).toEqual(sorted(O, T.O));
    expect(select('tag:nothing')).toEqual([]);
  });

  it('path: a folder or a file', () => {
    // The staging models, and the tests their properties file declares.
    expect(select('path:models/staging')).toEqual(sorted(SC, SO, SP, T.SC, T.SO, T.SP));
    expect(select('path:models/staging/')).toEqual(select('path:models/staging'));
    expect(select('path:models/marts/orders.sql')).toEqual(sorted(O, T.O));
    expect(select('path:seeds')).toEqual(sorted(RC, RO, RP));
    // Whole path segments only.
    expect(select('path:models/stag')).toEqual([]);
    // The marts folder holds the exposure's file too.
    expect(select('path:models/marts')).toEqual(sorted(C, O, E, T.C, T.O));
  });

  it('exposure:', () => {
    expect(select('exposure:weekly_revenue')).toEqual([E]);
    expect(select('exposure:*')).toEqual([E]);
    expect(select('+exposure:weekly_revenue')).toEqual(
      sorted(RC, RO, RP, SC, SO, SP, C, O, E, ALL_TESTS),
    );
    expect(select('exposure:other')).toEqual([]);
  });

  it('resource_type:', () => {
    expect(select('resource_type:seed')).toEqual(sorted(RC, RO, RP));
    expect(select('resource_type:model')).toEqual(sorted(SC, SO, SP, C, O, ALL_TESTS));
    expect(select('resource_type:exposure')).toEqual([E]);
    expect(select('resource_type:source')).toEqual([]);
    // Naming tests turns eager selection off: just the tests.
    expect(select('resource_type:test')).toEqual(sorted(ALL_TESTS));
  });

  it('test_type: every test here is generic', () => {
    expect(select('test_type:generic')).toEqual(sorted(ALL_TESTS));
    expect(select('test_type:schema')).toEqual(sorted(ALL_TESTS));
    expect(select('test_type:singular')).toEqual([]);
    expect(refused(() => select('test_type:model')).data.reason).toBe(
      'test_type is generic or singular',
    );
  });

  it('a test by its name, its id or its check id', () => {
    expect(select('orders.order_id.unique')).toEqual([t('orders.order_id.unique')]);
    expect(select('test.shop.orders.order_id.unique')).toEqual([t('orders.order_id.unique')]);
    // Names are labels several tests share.
    expect(select('not_null(order_id)')).toEqual(
      sorted(
        t('orders.order_id.not_null'),
        t('stg_orders.order_id.not_null'),
        t('stg_payments.order_id.not_null'),
      ),
    );
  });

  it('space is a union, and so are repeated options', () => {
    expect(select('stg_orders stg_payments')).toEqual(sorted(SO, SP, T.SO, T.SP));
    expect(select('stg_orders', 'stg_payments')).toEqual(select('stg_orders stg_payments'));
    expect(select('  orders   tag:finance ')).toEqual(sorted(O, T.O));
  });

  it('comma is an intersection', () => {
    expect(select('+orders,+customers')).toEqual(sorted(RO, RP, SO, SP, T.SO, T.SP));
    expect(select('tag:finance,resource_type:model')).toEqual(sorted(O, T.O));
    expect(select('path:models/marts,resource_type:model')).toEqual(sorted(C, O, T.C, T.O));
    expect(select('orders,customers')).toEqual([]);
    expect(select('orders+,resource_type:exposure')).toEqual([E]);
  });

  it('--exclude removes nodes, and the tests of excluded nodes', () => {
    expect(sel({ select: ['+orders'], exclude: ['stg_payments'] })).toEqual(
      sorted(RO, RP, SO, O, T.SO, T.O),
    );
    // A test with one excluded parent goes too (orders' relationships to customers).
    expect(sel({ exclude: ['customers'] })).toEqual(
      without([...graph.nodes.keys()].sort(), C, ...T.C, O_REL),
    );
    expect(sel({ select: ['orders'], exclude: ['resource_type:test'] })).toEqual([O]);
    expect(sel({ select: ['orders'], exclude: ['orders.status.accepted_values'] })).toEqual(
      without(sorted(O, T.O), t('orders.status.accepted_values')),
    );
    expect(sel({ select: ['tag:finance'], exclude: ['tag:finance'] })).toEqual([]);
    expect(sel({ exclude: ['path:models/staging+'] })).toEqual(sorted(RC, RO, RP));
    expect(
      sel({
        select: ['+exposure:weekly_revenue'],
        exclude: ['resource_type:seed resource_type:test'],
      }),
    ).toEqual(sorted(SC, SO, SP, C, O, E));
  });

  it('state:modified and state:modified+ with the given set', () => {
    const modified = new Set([SO]);
    expect(sel({ select: ['state:modified'], modified })).toEqual(sorted(SO, T.SO, SP_REL));
    expect(sel({ select: ['state:modified+'], modified })).toEqual(
      sorted(SO, C, O, E, T.SO, SP_REL, T.C, T.O),
    );
    expect(sel({ select: ['+state:modified'], modified })).toEqual(sorted(RO, SO, T.SO, SP_REL));
    expect(sel({ select: ['state:modified'], modified: new Set() })).toEqual([]);
    expect(
      sel({ select: ['state:modified+'], exclude: ['orders'], modified: new Set([SP]) }),
    ).toEqual(sorted(SP, C, E, T.SP, T.C));
    // Only models count as modified.
    expect(sel({ select: ['state:modified'], modified: new Set([RO, E]) })).toEqual([]);
  });

  it('state: needs a modified set and knows only modified', () => {
    let e = refused(() => select('state:modified'));
    expect(e.data).toEqual({ argument: 'select', reason: 'state:modified needs --state REF' });
    e = refused(() => sel({ select: ['state:new'], modified: new Set() }));
    expect(e.data.reason).toBe('only state:modified is known');
  });

  it('an unknown name is an InvalidArgumentError', () => {
    const e = refused(() => select('nope'));
    expect(e.message).toBe('selector "nope": no node of that name');
    expect(e.data).toEqual({ argument: 'select', reason: 'no node of that name' });
    expect(refused(() => select('orders nope')).message).toBe(
      'selector "nope": no node of that name',
    );
    expect(refused(() => sel({ exclude: ['+nope'] })).data.reason).toBe('no node of that name');
  });

  it('an unknown method is an InvalidArgumentError naming the known ones', () => {
    const e = refused(() => select('colour:red'));
    expect(e.message).toBe(
      'selector "colour:red": unknown method colour (known: tag, path, exposure, source, resource_type, test_type, state)',
    );
  });

  it('an empty part of an intersection is refused', () => {
    const e = refused(() => select('orders,'));
    expect(e.data).toEqual({ argument: 'select', reason: 'empty' });
    expect(e.message).toBe('selector "orders," is empty');
  });
});

describe('sources and names with digits', () => {
  let g: ProjectGraph;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-select-'));
    const files: Record<string, string> = {
      'sluice.yml': 'name: p\n',
      'models/sources.yml': [
        'sources:',
        '  - name: raw',
        '    tables:',
        '      - name: orders',
        '      - name: events',
        '  - name: crm',
        '    tables:',
        '      - name: accounts',
        '',
      ].join('\n'),
      'models/stg_orders_v2.sql': "select * from {{ source('raw', 'orders') }}",
      'models/orders2.sql': "select * from {{ ref('stg_orders_v2') }}",
      'models/accounts.sql': "select * from {{ source('crm', 'accounts') }}",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    g = compileProject(loadProject(dir)).graph;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const s = (...select: string[]) =>
    selectNodes(g, { select })
      .map((n) => n.uniqueId)
      .sort();

  it('source: a whole source or one table; source.table by name', () => {
    expect(s('source:raw')).toEqual(['source.p.raw.events', 'source.p.raw.orders']);
    expect(s('source:raw.orders')).toEqual(['source.p.raw.orders']);
    expect(s('source:crm+')).toEqual(['model.p.accounts', 'source.p.crm.accounts']);
    expect(s('raw.orders')).toEqual(['source.p.raw.orders']);
    expect(s('source.p.raw.events')).toEqual(['source.p.raw.events']);
    expect(s('resource_type:source')).toEqual([
      'source.p.crm.accounts',
      'source.p.raw.events',
      'source.p.raw.orders',
    ]);
    expect(s('source:nope')).toEqual([]);
  });

  it('digits at the end of a name are part of the name', () => {
    expect(s('stg_orders_v2')).toEqual(['model.p.stg_orders_v2']);
    expect(s('orders2')).toEqual(['model.p.orders2']);
    expect(s('stg_orders_v2+')).toEqual(['model.p.orders2', 'model.p.stg_orders_v2']);
    expect(s('+orders2')).toEqual([
      'model.p.orders2',
      'model.p.stg_orders_v2',
      'source.p.raw.orders',
    ]);
    expect(s('1+orders2')).toEqual(['model.p.orders2', 'model.p.stg_orders_v2']);
    expect(s('source:raw.orders+1')).toEqual(['model.p.stg_orders_v2', 'source.p.raw.orders']);
  });
});
