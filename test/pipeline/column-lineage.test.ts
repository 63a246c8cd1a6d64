// Column-level lineage from DuckDB's own parse tree: every resolution rule, checked with exact,
// sorted source lists (a wrong resolution changes a list), and output names checked against the
// names DuckDB gives a table built from the same query.
import nunjucks from 'nunjucks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckSession, withDuck } from '../../src/engine/duckdb.js';
import {
  type ColumnLineage,
  type ColumnSource,
  columnLineage,
} from '../../src/pipeline/column-lineage.js';

/** The inputs, with the types the name check creates them with. */
const TABLES: Record<string, [string, string][]> = {
  stg_orders: [
    ['id', 'INTEGER'],
    ['customer_id', 'INTEGER'],
    ['status', 'VARCHAR'],
    ['ordered_at', 'DATE'],
  ],
  stg_payments: [
    ['id', 'INTEGER'],
    ['order_id', 'INTEGER'],
    ['payment_method', 'VARCHAR'],
    ['amount', 'DECIMAL(10,2)'],
  ],
  stg_customers: [
    ['id', 'INTEGER'],
    ['first_name', 'VARCHAR'],
    ['last_name', 'VARCHAR'],
    ['address', 'STRUCT(city VARCHAR, zip VARCHAR)'],
  ],
  raw_events: [
    ['Event_Id', 'INTEGER'],
    ['customer_id', 'INTEGER'],
    ['tags', 'VARCHAR[]'],
  ],
};
const INPUTS = new Map(Object.entries(TABLES).map(([t, cols]) => [t, cols.map(([c]) => c)]));

/** `src('stg_orders.id', …)`: sources in the order written (tests write them sorted). */
const src = (...refs: string[]): ColumnSource[] =>
  refs.map((ref) => {
    const [relation, column] = ref.split('.') as [string, string];
    return { relation, column };
  });

let duck: DuckSession;
const lineage = (sql: string, inputs = INPUTS): Promise<ColumnLineage> =>
  columnLineage(duck, sql, inputs);
const entries = (l: ColumnLineage): [string, ColumnSource[]][] => [...l.columns];

beforeAll(async () => {
  duck = await DuckSession.open({ threads: 1, memoryLimit: '256MB' });
});
afterAll(() => duck.close());

describe('column lineage: names and resolution', () => {
  it('traces qualified refs through a table alias, and names columns by alias or column', async () => {
    const l = await lineage(
      'select o.id, o.status as order_status, "stg_orders".customer_id from "stg_orders" as o, "stg_orders"',
    );
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id')],
      ['order_status', src('stg_orders.status')],
      ['customer_id', src('stg_orders.customer_id')],
    ]);
    expect(l.used).toEqual(src('stg_orders.customer_id', 'stg_orders.id', 'stg_orders.status'));
    expect(l.unresolved).toEqual([]);
  });

  it('matches identifiers case-insensitively and keeps the spelling DuckDB gives', async () => {
    const l = await lineage('select EVENT_ID, "customer_ID", E.Tags from RAW_EVENTS e');
    expect(entries(l)).toEqual([
      ['Event_Id', src('raw_events.Event_Id')],
      ['customer_id', src('raw_events.customer_id')],
      ['tags', src('raw_events.tags')],
    ]);
  });

  it('resolves an unqualified ref to the one relation having the column', async () => {
    const l = await lineage(
      'select first_name, status, c.id from stg_orders o join stg_customers c on o.customer_id = c.id',
    );
    expect(entries(l)).toEqual([
      ['first_name', src('stg_customers.first_name')],
      ['status', src('stg_orders.status')],
      ['id', src('stg_customers.id')],
    ]);
    // The join condition is read, though it makes no output.
    expect(l.used).toEqual(
      src(
        'stg_customers.first_name',
        'stg_customers.id',
        'stg_orders.customer_id',
        'stg_orders.status',
      ),
    );
  });

  it('counts where, group by, having, qualify, order by and windows in used only', async () => {
    const l = await lineage(`
      select customer_id, count(*) as n, row_number() over (partition by customer_id order by max(ordered_at)) as rn
      from stg_orders
      where status <> 'returned'
      group by customer_id
      having min(id) > 0
      qualify rn = 1
      order by n desc`);
    expect(entries(l)).toEqual([
      ['customer_id', src('stg_orders.customer_id')],
      ['n', []],
      ['rn', src('stg_orders.customer_id', 'stg_orders.ordered_at')],
    ]);
    expect(l.used).toEqual(
      src('stg_orders.customer_id', 'stg_orders.id', 'stg_orders.ordered_at', 'stg_orders.status'),
    );
    expect(l.unresolved).toEqual([]);
  });

  it('ORDER BY prefers select-list names, and ORDER BY ALL reads only the select list', async () => {
    const byAlias = await lineage('select status as id from stg_orders order by id');
    expect(entries(byAlias)).toEqual([['id', src('stg_orders.status')]]);
    expect(byAlias.used).toEqual(src('stg_orders.status'));
    const all = await lineage('select distinct on (customer_id) id from stg_orders order by all');
    expect(all.used).toEqual(src('stg_orders.customer_id', 'stg_orders.id'));
  });

  it('names unaliased expressions as DuckDB does, and count(*) has no sources', async () => {
    const l = await lineage(
      'select amount + 1, count(*), sum(amount), ordered_at::date, 9007199254740993 from stg_payments, stg_orders group by all',
    );
    expect(entries(l)).toEqual([
      ['(amount + 1)', src('stg_payments.amount')],
      ['count_star()', []],
      ['sum(amount)', src('stg_payments.amount')],
      ['CAST(ordered_at AS "DATE")', src('stg_orders.ordered_at')],
      ['9007199254740993', []],
    ]);
    expect(l.unresolved).toEqual([]);
  });

  it('reads a struct field as its column, named by the field', async () => {
    const l = await lineage('select address.city, c.address.zip as zip from stg_customers c');
    expect(entries(l)).toEqual([
      ['city', src('stg_customers.address')],
      ['zip', src('stg_customers.address')],
    ]);
  });

  it('gives duplicate output names DuckDB’s suffixes', async () => {
    const l = await lineage('select o.id, p.id, p.id as ID from stg_orders o, stg_payments p');
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id')],
      ['id_1', src('stg_payments.id')],
      ['ID_2', src('stg_payments.id')],
    ]);
  });

  it('resolves select-list aliases used later in the select list and in WHERE', async () => {
    const l = await lineage(
      'select amount * 100 as cents, cents + 1 as cents_plus from stg_payments where cents > 0',
    );
    expect(entries(l)).toEqual([
      ['cents', src('stg_payments.amount')],
      ['cents_plus', src('stg_payments.amount')],
    ]);
    expect(l.used).toEqual(src('stg_payments.amount'));
  });

  it('does not take lambda parameters for columns', async () => {
    const l = await lineage(
      'select list_transform(tags, customer_id -> upper(customer_id)) as t from raw_events',
    );
    expect(entries(l)).toEqual([['t', src('raw_events.tags')]]);
  });
});

describe('column lineage: stars', () => {
  it('expands * and t.* in order, with EXCLUDE, REPLACE and RENAME', async () => {
    const l = await lineage(`
      select * exclude (payment_method) replace (amount * 100 as amount) rename (order_id as oid),
             o.* exclude (ordered_at)
      from stg_payments p join stg_orders o on p.order_id = o.id`);
    expect(entries(l)).toEqual([
      ['id', src('stg_payments.id')],
      ['oid', src('stg_payments.order_id')],
      ['amount', src('stg_payments.amount')],
      ['id_1', src('stg_orders.id')],
      ['customer_id', src('stg_orders.customer_id')],
      ['status', src('stg_orders.status')],
      ['ordered_at', src('stg_orders.ordered_at')],
      ['id_2', src('stg_orders.id')],
      ['customer_id_1', src('stg_orders.customer_id')],
      ['status_1', src('stg_orders.status')],
    ]);
    // What a star expands to is read; the excluded payment_method is not read at all.
    expect(l.used).toEqual(
      src(
        'stg_orders.customer_id',
        'stg_orders.id',
        'stg_orders.ordered_at',
        'stg_orders.status',
        'stg_payments.amount',
        'stg_payments.id',
        'stg_payments.order_id',
      ),
    );
  });

  it('expands a star over a CTE or a subquery to its outputs, recursively', async () => {
    const l = await lineage(`
      with paid as (select order_id, amount * 2 as doubled from stg_payments)
      select * from (select p.*, o.status from paid p join stg_orders o on o.id = p.order_id) sub`);
    expect(entries(l)).toEqual([
      ['order_id', src('stg_payments.order_id')],
      ['doubled', src('stg_payments.amount')],
      ['status', src('stg_orders.status')],
    ]);
  });

  it('applies column aliases of a derived table', async () => {
    const l = await lineage('select x.k, x.v from (select id, status from stg_orders) as x(k, v)');
    expect(entries(l)).toEqual([
      ['k', src('stg_orders.id')],
      ['v', src('stg_orders.status')],
    ]);
  });

  it('expands COLUMNS(regex) over the columns it matches', async () => {
    const l = await lineage("select columns('_id$') from stg_payments, raw_events");
    expect(entries(l)).toEqual([
      ['order_id', src('stg_payments.order_id')],
      ['customer_id', src('raw_events.customer_id')],
    ]);
  });
});

describe('column lineage: joins and set operations', () => {
  it('JOIN … USING merges the shared column from both sides', async () => {
    const l = await lineage(`
      select *, id, o.id as order_id
      from stg_orders o join (select id, amount from stg_payments) p using (id)`);
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id', 'stg_payments.id')],
      ['customer_id', src('stg_orders.customer_id')],
      ['status', src('stg_orders.status')],
      ['ordered_at', src('stg_orders.ordered_at')],
      ['amount', src('stg_payments.amount')],
      ['id_1', src('stg_orders.id', 'stg_payments.id')],
      ['order_id', src('stg_orders.id')],
    ]);
    expect(l.unresolved).toEqual([]);
  });

  it('NATURAL JOIN merges every shared column', async () => {
    const l = await lineage(
      'select * from stg_customers c natural join (select id, customer_id from stg_orders) o',
    );
    expect(entries(l)).toEqual([
      ['id', src('stg_customers.id', 'stg_orders.id')],
      ['first_name', src('stg_customers.first_name')],
      ['last_name', src('stg_customers.last_name')],
      ['address', src('stg_customers.address')],
      ['customer_id', src('stg_orders.customer_id')],
    ]);
  });

  it('an ambiguous unqualified ref takes both sides and is reported', async () => {
    const l = await lineage('select id from stg_orders, stg_payments');
    expect(entries(l)).toEqual([['id', src('stg_orders.id', 'stg_payments.id')]]);
    expect(l.unresolved).toEqual([
      { column: 'id', reason: 'id is ambiguous (stg_orders, stg_payments)' },
    ]);
  });

  it('set operations: names from the left branch, sources by position from every branch', async () => {
    const l = await lineage(`
      select id as key, status from stg_orders
      union all
      select order_id, payment_method from stg_payments
      except
      select id, first_name from stg_customers`);
    expect(entries(l)).toEqual([
      ['key', src('stg_customers.id', 'stg_orders.id', 'stg_payments.order_id')],
      [
        'status',
        src('stg_customers.first_name', 'stg_orders.status', 'stg_payments.payment_method'),
      ],
    ]);
  });

  it('UNION BY NAME matches branches by name, adding the right’s new columns', async () => {
    const l = await lineage(`
      select id, status from stg_orders
      union all by name
      select amount, ID from stg_payments`);
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id', 'stg_payments.id')],
      ['status', src('stg_orders.status')],
      ['amount', src('stg_payments.amount')],
    ]);
  });
});

describe('column lineage: expressions and subqueries', () => {
  it('aggregates, windows, CASE, CAST and arithmetic take every column ref inside', async () => {
    const l = await lineage(`
      select
        payment_method,
        sum(amount * 2) filter (where status <> 'returned') as filtered,
        sum(case when status = 'paid' then cast(amount as double) else -1 end) as paid_amount,
        max(coalesce(order_id, 0) + id) as mixed,
        avg(sum(amount)) over (partition by payment_method order by max(id) rows between 1 preceding and current row) as moving,
        count(*) as n
      from stg_payments join stg_orders using (id)
      group by payment_method`);
    expect(entries(l)).toEqual([
      ['payment_method', src('stg_payments.payment_method')],
      ['filtered', src('stg_orders.status', 'stg_payments.amount')],
      ['paid_amount', src('stg_orders.status', 'stg_payments.amount')],
      ['mixed', src('stg_orders.id', 'stg_payments.id', 'stg_payments.order_id')],
      [
        'moving',
        src(
          'stg_orders.id',
          'stg_payments.amount',
          'stg_payments.id',
          'stg_payments.payment_method',
        ),
      ],
      ['n', []],
    ]);
    expect(l.unresolved).toEqual([]);
  });

  it('a correlated scalar subquery, IN and EXISTS: their column refs are sources', async () => {
    const l = await lineage(`
      select
        o.id,
        (select sum(p.amount) from stg_payments p where p.order_id = o.id) as paid,
        o.customer_id in (select id from stg_customers) as known_customer,
        exists (select 1 from raw_events e where e.customer_id = o.customer_id) as active
      from stg_orders o`);
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id')],
      ['paid', src('stg_orders.id', 'stg_payments.amount', 'stg_payments.order_id')],
      ['known_customer', src('stg_customers.id', 'stg_orders.customer_id')],
      ['active', src('raw_events.customer_id', 'stg_orders.customer_id')],
    ]);
  });

  it('a subquery in WHERE is read but makes no output', async () => {
    const l = await lineage(
      'select id from stg_orders where id in (select order_id from stg_payments where amount > 0)',
    );
    expect(entries(l)).toEqual([['id', src('stg_orders.id')]]);
    expect(l.used).toEqual(src('stg_orders.id', 'stg_payments.amount', 'stg_payments.order_id'));
  });
});

describe('column lineage: CTEs and shadowing', () => {
  it('nested CTEs resolve to base relations', async () => {
    const l = await lineage(`
      with a as (select id, amount from stg_payments),
           b as (select id as payment_id, amount * 2 as amt2 from a),
           c as (select payment_id, amt2 + 1 as amt3 from b)
      select payment_id, amt3 from c`);
    expect(entries(l)).toEqual([
      ['payment_id', src('stg_payments.id')],
      ['amt3', src('stg_payments.amount')],
    ]);
  });

  it('a CTE shadows a table of the same name, and its own body reads the table', async () => {
    const l = await lineage(`
      with stg_orders as (select id, status as customer_id from stg_orders)
      select customer_id from stg_orders`);
    expect(entries(l)).toEqual([['customer_id', src('stg_orders.status')]]);
    expect(l.used).toEqual(src('stg_orders.id', 'stg_orders.status'));
  });

  it('a subquery alias shadows a table name', async () => {
    const l = await lineage(
      'select stg_payments.amount from (select status as amount from stg_orders) as stg_payments',
    );
    expect(entries(l)).toEqual([['amount', src('stg_orders.status')]]);
  });

  it('an inlined ephemeral model (__dbt__cte__name) is a CTE', async () => {
    const l = await lineage(`
      with __dbt__cte__int_customers as (
        select id, first_name || ' ' || last_name as full_name from "stg_customers"
      )
      select c.full_name, o.status from "stg_orders" o join __dbt__cte__int_customers c on c.id = o.customer_id`);
    expect(entries(l)).toEqual([
      ['full_name', src('stg_customers.first_name', 'stg_customers.last_name')],
      ['status', src('stg_orders.status')],
    ]);
  });

  it('a recursive CTE takes sources from its anchor and its recursive part', async () => {
    const l = await lineage(`
      with recursive chain(id, depth) as (
        select id, 0 from stg_orders
        union all
        select p.order_id, chain.depth + 1 from chain join stg_payments p on p.id = chain.id
      )
      select id, depth from chain`);
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id', 'stg_payments.order_id')],
      ['depth', []],
    ]);
    expect(l.used).toEqual(src('stg_orders.id', 'stg_payments.id', 'stg_payments.order_id'));
  });
});

describe('column lineage: what cannot be traced', () => {
  it('a relation that is not an input: its star and its columns are unresolved', async () => {
    const l = await lineage(
      "select o.id, x.*, x.y, r.col from stg_orders o, other_model x, read_csv('f.csv') r",
    );
    expect(entries(l)).toEqual([
      ['id', src('stg_orders.id')],
      ['y', []],
      ['col', []],
    ]);
    expect(l.unresolved).toEqual([
      { column: 'y', reason: 'x.y: "other_model" is not an input, so its columns are unknown' },
      { column: 'col', reason: 'r.col: table function read_csv has columns that are not known' },
      { column: 'x.*', reason: 'x: "other_model" is not an input, so its columns are unknown' },
    ]);
    expect(l.used).toEqual(src('stg_orders.id'));
  });

  it('VALUES columns are named but unresolved', async () => {
    const l = await lineage(
      "select v.code, o.id from (values ('a', 1)) v(code, n) join stg_orders o on o.id = v.n",
    );
    expect(entries(l)).toEqual([
      ['code', []],
      ['id', src('stg_orders.id')],
    ]);
    expect(l.unresolved).toEqual([{ column: 'code', reason: 'comes from a VALUES list' }]);
  });

  it('an unknown column is unresolved; a missing input relation name is too', async () => {
    const l = await lineage('select nope, stg_orders.nada from stg_orders');
    expect(entries(l)).toEqual([
      ['nope', []],
      ['nada', []],
    ]);
    expect(l.unresolved).toEqual([
      { column: 'nope', reason: 'nope: no such column in scope' },
      { column: 'nada', reason: 'stg_orders.nada: "stg_orders" has no column "nada"' },
    ]);
  });

  it('throws a plain Error with DuckDB’s message on a parse error', async () => {
    await withDuck({ threads: 1 }, async (session) => {
      const err = await columnLineage(session, 'select id, from where', INPUTS).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).constructor).toBe(Error);
      expect((err as Error).message).toBe('syntax error at or near "where"');
    });
  });
});

describe('column lineage: a dbt mart', () => {
  const METHODS = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'];
  // As the model is written: the Jinja loop makes one column per payment method.
  const MODEL = `
with orders as (
    select * from "stg_orders"
),
payments as (
    select * from "stg_payments"
),
order_payments as (
    select
        order_id,
        {% for payment_method in payment_methods -%}
        sum(case when payment_method = '{{ payment_method }}' then amount else 0 end) as {{ payment_method }}_amount,
        {% endfor -%}
        sum(amount) as total_amount
    from payments
    group by order_id
),
final as (
    select
        orders.id as order_id,
        orders.customer_id,
        orders.ordered_at as order_date,
        orders.status,
        {% for payment_method in payment_methods -%}
        order_payments.{{ payment_method }}_amount,
        {% endfor -%}
        order_payments.total_amount as amount
    from orders
    left join order_payments on orders.id = order_payments.order_id
)
select * from final`;
  const rendered = nunjucks.renderString(MODEL, { payment_methods: METHODS });

  it('traces every column of the rendered model', async () => {
    const l = await lineage(rendered);
    const perMethod = METHODS.map((m): [string, ColumnSource[]] => [
      `${m}_amount`,
      src('stg_payments.amount', 'stg_payments.payment_method'),
    ]);
    expect(entries(l)).toEqual([
      ['order_id', src('stg_orders.id')],
      ['customer_id', src('stg_orders.customer_id')],
      ['order_date', src('stg_orders.ordered_at')],
      ['status', src('stg_orders.status')],
      ...perMethod,
      ['amount', src('stg_payments.amount')],
    ]);
    // `select *` in the staging CTEs reads every column.
    expect(l.used).toEqual(
      src(
        'stg_orders.customer_id',
        'stg_orders.id',
        'stg_orders.ordered_at',
        'stg_orders.status',
        'stg_payments.amount',
        'stg_payments.id',
        'stg_payments.order_id',
        'stg_payments.payment_method',
      ),
    );
    expect(l.unresolved).toEqual([]);
  });

  it('names every output as DuckDB does when it builds the table', async () => {
    for (const [table, cols] of Object.entries(TABLES)) {
      await duck.run(
        `CREATE OR REPLACE TEMP TABLE ${table} (${cols.map(([c, t]) => `"${c}" ${t}`).join(', ')})`,
      );
    }
    const queries = [
      rendered,
      'select o.id, p.id, p.id as ID, * from stg_orders o, stg_payments p',
      'select amount + 1, count(*), sum(amount), ordered_at::date, interval 3 day, amount::decimal(12, 4) from stg_payments, stg_orders group by all',
      'select *, id from stg_orders join stg_payments using (id)',
      'select * exclude (payment_method) replace (amount * 100 as amount) rename (order_id as oid), o.* exclude (ordered_at) from stg_payments p join stg_orders o on p.order_id = o.id',
      "select columns('_id$') from stg_payments, raw_events",
      "select address.city, upper(first_name), first_name || 'x', case when id > 1 then 'big' end from stg_customers",
      'select id as k from stg_orders union by name select order_id as k, amount from stg_payments',
    ];
    for (const sql of queries) {
      await duck.run(`CREATE OR REPLACE TEMP TABLE lineage_names AS ${sql}`);
      const actual = (await duck.describe('lineage_names')).map((c) => c.name);
      expect([...(await lineage(sql)).columns.keys()], sql).toEqual(actual);
    }
  });
});
