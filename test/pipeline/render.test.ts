// Rendering a model's template with dbt's context (ref, source, config, var, env_var,
// is_incremental, this, target, exceptions), the template language's own statements, errors as
// ProjectErrors with the model's file and line, and the CTEs ephemeral models become.
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectError } from '../../src/common/errors.js';
import type { ModelFile, Project, Reference } from '../../src/pipeline/project.js';
import {
  ephemeralName,
  modelError,
  type RenderContext,
  type Rendered,
  relationName,
  renderModel,
  stripSemicolon,
  withEphemerals,
} from '../../src/pipeline/render.js';

function project(vars: Record<string, unknown> = {}, file = 'sluice.yml'): Project {
  return {
    dir: '/nowhere',
    config: {
      name: 'p',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      vars,
      materialized: new Map(),
      file,
    },
    models: new Map(),
    seeds: new Map(),
    properties: new Map(),
    sources: new Map(),
    exposures: new Map(),
    propertyFiles: [],
    singularTests: new Map(),
    files: new Map(),
  };
}

const modelOf = (sql: string, name = 'm'): ModelFile => ({
  name,
  path: `models/marts/${name}.sql`,
  folder: 'marts',
  sql,
});

/** References resolve as graph.ts does: known models and seeds, one ephemeral, one source. */
function relation(ref: Reference): string {
  if (ref.kind === 'ref') {
    if (['stg_orders', 'stg_payments', 'raw_orders'].includes(ref.name))
      return relationName(ref.name);
    if (ref.name === 'eph') return relationName(ephemeralName('eph'));
    throw new ProjectError(`unknown ${ref.name}`, {
      file: '',
      reason: `ref to unknown model ${JSON.stringify(ref.name)}`,
    });
  }
  if (ref.source === 'raw' && ref.table === 'orders') return relationName('raw_orders_v2');
  throw new ProjectError('unknown source', {
    file: '',
    reason: `unknown source ${ref.source}.${ref.table}`,
  });
}

const ctx = (over: Partial<RenderContext> = {}): RenderContext => ({
  relation,
  isIncremental: false,
  self: '"m"',
  target: { name: 'dev', schema: 'main', type: 'duckdb', threads: 4 },
  runStartedAt: new Date('2024-05-01T12:30:00.000Z'),
  ...over,
});

const render = (
  sql: string,
  opts: { vars?: Record<string, unknown>; ctx?: Partial<RenderContext> } = {},
): Rendered => renderModel(project(opts.vars), modelOf(sql), ctx(opts.ctx));

/** The ProjectError rendering throws. */
function renderError(
  sql: string,
  opts: { vars?: Record<string, unknown>; ctx?: Partial<RenderContext> } = {},
): ProjectError {
  try {
    render(sql, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectError);
    return err as ProjectError;
  }
  throw new Error('expected a ProjectError, rendering succeeded');
}

const savedEnv = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
});

describe('ref and source', () => {
  it('render quoted relations and are recorded in call order', () => {
    const r = render(
      [
        "select * from {{ ref('stg_orders') }}",
        'join {{ ref("stg_payments") }} using (order_id)',
        "join {{ source('raw', 'orders') }} r on true",
        "join {{ ref('stg_orders') }} again on true",
        "join {{ ref('eph') }} e on true",
      ].join('\n'),
    );
    expect(r.sql).toBe(
      [
        'select * from "stg_orders"',
        'join "stg_payments" using (order_id)',
        'join "raw_orders_v2" r on true',
        'join "stg_orders" again on true',
        'join "__dbt__cte__eph" e on true',
      ].join('\n'),
    );
    expect(r.refs).toEqual(['stg_orders', 'stg_payments', 'stg_orders', 'eph']);
    expect(r.sources).toEqual([{ source: 'raw', table: 'orders' }]);
    expect(r.config).toEqual({});
  });

  it("ref('package', 'model') resolves the model's name", () => {
    const r = render("select * from {{ ref('shop', 'stg_orders') }}");
    expect(r.sql).toBe('select * from "stg_orders"');
    expect(r.refs).toEqual(['stg_orders']);
  });

  it('an unknown ref is an error on the line of its call', () => {
    const e = renderError(
      ['select *', "from {{ ref('stg_orders') }}", "join {{ ref( 'nope' ) }} using (id)"].join(
        '\n',
      ),
    );
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 3,
      reason: 'ref to unknown model "nope"',
    });
    expect(e.message).toBe('models/marts/m.sql:3: ref to unknown model "nope"');
  });

  it('an unknown source is an error on the line of its call', () => {
    const e = renderError(['select 1', '', "from {{ source('raw', 'missing') }}"].join('\n'));
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 3,
      reason: 'unknown source raw.missing',
    });
  });

  it('ref() without a name and source() without a table are refused', () => {
    expect(renderError('x\n{{ ref() }}').data).toEqual({
      file: 'models/marts/m.sql',
      line: 2,
      reason: 'ref() needs a model name',
    });
    const e = renderError("\n\n{{ source('raw') }}");
    expect(e.data.reason).toBe("source() needs a source and a table: source('raw', 'orders')");
    expect(e.data.line).toBe(3);
  });
});

describe('var and env_var', () => {
  const vars = { currency: 'EUR', methods: ['card', 'cash'], zero: 0, empty: '' };

  it('var reads the project’s vars, else the default', () => {
    const r = render(
      [
        "{{ var('currency') }}",
        "{{ var('zero') }}|{{ var('empty', 'd') }}|",
        "{{ var('missing', 'USD') }}",
        "{{ var('currency', 'USD') }}",
        "{% for m in var('methods') %}{{ m }};{% endfor %}",
      ].join('\n'),
      { vars },
    );
    expect(r.sql).toBe(['EUR', '0||', 'USD', 'EUR', 'card;cash;'].join('\n'));
  });

  it('a var neither defined nor defaulted is an error naming the var and its line', () => {
    const e = renderError(
      ['select', "  {{ var('currency') }},", "  {{ var('region') }}"].join('\n'),
      {
        vars,
      },
    );
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 3,
      reason: 'var "region" is not defined in sluice.yml and has no default',
    });
  });

  it('the error names the project file the vars come from', () => {
    try {
      renderModel(project({}, 'dbt_project.yml'), modelOf("{{ var('x') }}"), ctx());
      expect.unreachable();
    } catch (err) {
      expect((err as ProjectError).data.reason).toBe(
        'var "x" is not defined in dbt_project.yml and has no default',
      );
    }
  });

  it('names inherited from Object (constructor, toString) are not vars', () => {
    const e = renderError("{{ var('constructor') }}");
    expect(e.data.reason).toBe('var "constructor" is not defined in sluice.yml and has no default');
    expect(render("{{ var('toString', 'd') }}").sql).toBe('d');
  });

  it('env_var reads the environment, else the default, else fails on its line', () => {
    process.env.SLUICE_TEST_SCHEMA = 'analytics';
    expect(render("{{ env_var('SLUICE_TEST_SCHEMA') }}").sql).toBe('analytics');
    expect(render("{{ env_var('SLUICE_TEST_UNSET', 'dflt') }}").sql).toBe('dflt');
    const e = renderError(
      ["{{ env_var('SLUICE_TEST_SCHEMA') }}", "{{ env_var('SLUICE_TEST_UNSET') }}"].join('\n'),
    );
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 2,
      reason: 'environment variable SLUICE_TEST_UNSET is not set and has no default',
    });
  });
});

describe('config()', () => {
  it('records materialized, tags, unique_key, alias and contract, rendering nothing', () => {
    const r = render(
      [
        '{{ config(',
        "    materialized='incremental',",
        "    tags=['finance', 'daily'],",
        "    unique_key='order_id',",
        "    alias='orders_v2',",
        "    contract={'enforced': true},",
        "    incremental_strategy='merge'",
        ') }}',
        'select 1',
      ].join('\n'),
    );
    expect(r.sql).toBe('\nselect 1');
    expect(r.config).toEqual({
      materialized: 'incremental',
      tags: ['finance', 'daily'],
      uniqueKey: ['order_id'],
      alias: 'orders_v2',
      contractEnforced: true,
    });
  });

  it('merges several calls, later keys winning; a single tag is a list', () => {
    const r = render(
      [
        "{{ config(materialized='table', tags='a') }}",
        "{{ config(materialized='view', unique_key=['a', 'b'], enabled=false) }}",
      ].join('\n'),
    );
    expect(r.config).toEqual({
      materialized: 'view',
      tags: ['a'],
      uniqueKey: ['a', 'b'],
      enabled: false,
    });
  });

  it('understands Jinja’s True / False / None', () => {
    const r = render(
      "{{ config(enabled=False, contract={'enforced': True}) }}{{ 'x' if None is none else 'y' }}",
    );
    expect(r.config).toEqual({ enabled: false, contractEnforced: true });
    expect(r.sql).toBe('x');
  });

  it('config.get reads what config() set', () => {
    const r = render(
      "{{ config(materialized='ephemeral') }}{{ config.get('materialized') }}|{{ config.get('alias', 'none') }}",
    );
    expect(r.sql).toBe('ephemeral|none');
    // dbt's own key names, and keys Sluice does not use itself.
    const k = render(
      "{{ config(unique_key='id', on_schema_change='fail') }}{{ config.get('unique_key') }}|{{ config.get('on_schema_change') }}|{{ config.get('uniqueKey', 'no') }}",
    );
    expect(k.sql).toBe('id|fail|no');
  });

  it('a bad materialized value is an error on the config line', () => {
    const e = renderError(
      ['-- header', "{{ config(materialized='tabel') }}", 'select 1'].join('\n'),
    );
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 2,
      reason: 'config(materialized=…): one of table, view, incremental, ephemeral',
    });
    expect(e.message).toBe(
      'models/marts/m.sql:2: config(materialized=…): one of table, view, incremental, ephemeral',
    );
  });

  it('bad tags, unique_key and alias are errors', () => {
    expect(renderError('{{ config(tags=3) }}').data.reason).toBe(
      'config(tags=…): a string or a list of strings',
    );
    expect(renderError("{{ config(unique_key=['a', 1]) }}").data.reason).toBe(
      'config(unique_key=…): a string or a list of strings',
    );
    expect(renderError("{{ config(alias='has-dash') }}").data.reason).toBe(
      'config(alias=…): a name',
    );
  });
});

describe('context', () => {
  it('is_incremental() takes the branch the build decides', () => {
    const sql = [
      'select * from {{ ref("stg_orders") }}',
      '{% if is_incremental() %}',
      'where updated_at > (select max(updated_at) from {{ this }})',
      '{% endif %}',
    ].join('\n');
    expect(render(sql).sql).toBe('select * from "stg_orders"\n');
    expect(render(sql, { ctx: { isIncremental: true, self: '"orders_v2"' } }).sql).toBe(
      'select * from "stg_orders"\n\nwhere updated_at > (select max(updated_at) from "orders_v2")\n',
    );
  });

  it('this, target and run_started_at', () => {
    const r = render(
      '{{ this }}|{{ target.name }}|{{ target.schema }}|{{ target.type }}|{{ target.threads }}|{{ run_started_at }}',
    );
    expect(r.sql).toBe('"m"|dev|main|duckdb|4|2024-05-01T12:30:00.000Z');
  });

  it('set, for with loop.last, if and whitespace control', () => {
    const r = render(
      [
        "{% set methods = ['card', 'cash', 'coupon'] %}",
        'select',
        '  {% for m in methods -%}',
        "  sum(case when method = '{{ m }}' then amount end) as {{ m }}_amount{% if not loop.last %},{% endif %}",
        '  {% endfor -%}',
        'from payments',
        '{%- set n = methods | length %}',
        '-- {{ n }} methods',
      ].join('\n'),
    );
    expect(r.sql).toBe(
      [
        '',
        'select',
        "  sum(case when method = 'card' then amount end) as card_amount,",
        "  sum(case when method = 'cash' then amount end) as cash_amount,",
        "  sum(case when method = 'coupon' then amount end) as coupon_amount",
        '  from payments',
        '-- 3 methods',
      ].join('\n'),
    );
  });

  it('macros, filters and comments are the template language’s own', () => {
    const r = render(
      [
        '{# a comment #}{% macro cents(col) %}{{ col }} / 100.0{% endmacro -%}',
        'select {{ cents("amount") }} as amount, {{ "X" | lower }} as x, {{ "1" | as_number + 1 }} as two',
      ].join('\n'),
    );
    expect(r.sql).toBe('select amount / 100.0 as amount, x as x, 2 as two');
  });

  it('undefined variables render empty (Jinja’s default)', () => {
    expect(render('a{{ nothing }}b').sql).toBe('ab');
  });
});

describe('errors', () => {
  it('a Jinja syntax error names the file and the line', () => {
    const e = renderError(['select', '  1', '{{ ref( }}', 'from x'].join('\n'));
    expect(e.data.file).toBe('models/marts/m.sql');
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toBe('Jinja: unexpected token: }}');
  });

  it('an unknown block tag names its line', () => {
    const e = renderError(['select 1', '{% if true %}', 'x', '{% endfor %}'].join('\n'));
    expect(e.data.line).toBe(4);
    expect(e.data.reason).toMatch(/^Jinja: .*endfor/);
  });

  it('an unclosed block is an error naming the file', () => {
    const e = renderError(['select 1', '{% if true %}', 'x'].join('\n'));
    expect(e.data.file).toBe('models/marts/m.sql');
    expect(e.data.reason).toBe('Jinja: parseIf: expected elif, else, or endif, got end of file');
  });

  it('calling something undefined is an error on its line, saying what is not supported', () => {
    const e = renderError(['select', '  1', '', '{{ dbt_utils.star("x") }}'].join('\n'));
    expect(e.data.line).toBe(4);
    expect(e.data.reason).toBe(
      'dbt_utils.star(): packages are not supported yet (dbt_utils is not defined)',
    );
    const f = renderError(['select', '{{ nothing_here() }}'].join('\n'));
    expect(f.data.line).toBe(2);
    expect(f.data.reason).toMatch(
      /^nothing_here\(\) is not defined \(macros are not supported yet; the context has ref, source, config, var, env_var, is_incremental, this, target, /,
    );
    expect(renderError("select {{ dbt.safe_cast('a', 'int') }}").data.reason).toBe(
      "dbt.safe_cast() is not supported (dbt's built-in macros are not available)",
    );
    expect(renderError("select {{ adapter.quote('a') }}").data.reason).toBe(
      'adapter.quote() is not supported (the context has no adapter.quote)',
    );
    expect(renderError("{{ exceptions.nope('a') }}").data.reason).toBe(
      'exceptions.nope() is not supported (the context has no exceptions.nope)',
    );
  });

  it('calling a macro of the macro paths names where it is defined', () => {
    const p = project();
    p.macros = new Map([['cents_to_dollars', { file: 'macros/cents.sql', line: 3 }]]);
    let err: unknown;
    try {
      renderModel(
        p,
        modelOf(['select', "  {{ cents_to_dollars('amount') }} as amount"].join('\n')),
        ctx(),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).data).toEqual({
      file: 'models/marts/m.sql',
      line: 2,
      reason:
        'cents_to_dollars() is a macro (macros/cents.sql:3): macros are not supported yet — put its SQL in the model',
    });
  });

  it('an unknown filter is an error on its line', () => {
    const e = renderError(['select', '  1,', "  {{ 'a' | no_such_filter }}"].join('\n'));
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toBe('Jinja: Error: filter not found: no_such_filter');
  });

  it('exceptions.raise_compiler_error fails with its message and line', () => {
    const sql = [
      'select 1',
      '{% if var("mode", "ok") != "ok" %}',
      '  {{ exceptions.raise_compiler_error("mode must be ok, not " ~ var("mode")) }}',
      '{% endif %}',
    ].join('\n');
    expect(render(sql).sql).toBe('select 1\n');
    const e = renderError(sql, { vars: { mode: 'bad' } });
    expect(e.data).toEqual({
      file: 'models/marts/m.sql',
      line: 3,
      reason: 'mode must be ok, not bad',
    });
    expect(e.message).toBe('models/marts/m.sql:3: mode must be ok, not bad');
  });

  it('the first failed call is the error, not what the template language made of it', () => {
    const e = renderError("{{ ref('nope') }}{{ ref('also_nope') }}");
    expect(e.data.reason).toBe('ref to unknown model "nope"');
  });

  it('modelError names the file and, when known, the line', () => {
    const m = modelOf('x', 'orders');
    expect(modelError(m, 'bad').message).toBe('models/marts/orders.sql: bad');
    expect(modelError(m, 'bad').data).toEqual({ file: 'models/marts/orders.sql', reason: 'bad' });
    expect(modelError(m, 'bad', 7).message).toBe('models/marts/orders.sql:7: bad');
  });
});

describe('withEphemerals', () => {
  const cte: [string, string][] = [['eph', 'select 1 as id;']];

  it('leaves a query alone when no ephemeral is read', () => {
    expect(withEphemerals('select 1', [])).toBe('select 1');
  });

  it('adds a WITH in front of a query without one', () => {
    expect(withEphemerals('select * from "__dbt__cte__eph"', cte)).toBe(
      'WITH "__dbt__cte__eph" AS (\nselect 1 as id\n)\nselect * from "__dbt__cte__eph"',
    );
  });

  it('joins a query’s own WITH, dependencies first', () => {
    const sql = 'with a as (select * from "__dbt__cte__two")\nselect * from a';
    expect(
      withEphemerals(sql, [
        ['one', 'select 1 as id'],
        ['two', 'select * from "__dbt__cte__one"\n;\n'],
      ]),
    ).toBe(
      [
        'with "__dbt__cte__one" AS (',
        'select 1 as id',
        '),',
        '"__dbt__cte__two" AS (',
        'select * from "__dbt__cte__one"',
        '',
        '),',
        'a as (select * from "__dbt__cte__two")',
        'select * from a',
      ].join('\n'),
    );
  });

  it('keeps WITH RECURSIVE (any case) and puts the CTEs after it', () => {
    expect(
      withEphemerals(
        'WITH Recursive t(n) AS (select 1 union all select n + 1 from t) select 1',
        cte,
      ),
    ).toBe(
      'WITH Recursive "__dbt__cte__eph" AS (\nselect 1 as id\n),\nt(n) AS (select 1 union all select n + 1 from t) select 1',
    );
  });

  it('keeps leading comments and blank lines in front', () => {
    const sql =
      '\n-- orders, by day\n/* a block\n   comment */\n  with a as (select 1) select * from a';
    expect(withEphemerals(sql, cte)).toBe(
      '\n-- orders, by day\n/* a block\n   comment */\n  with "__dbt__cte__eph" AS (\nselect 1 as id\n),\na as (select 1) select * from a',
    );
    expect(withEphemerals('-- note\nselect 1', cte)).toBe(
      '-- note\nWITH "__dbt__cte__eph" AS (\nselect 1 as id\n)\nselect 1',
    );
  });

  it('does not take a name starting with "with" for the keyword', () => {
    expect(withEphemerals('withdrawals', cte)).toBe(
      'WITH "__dbt__cte__eph" AS (\nselect 1 as id\n)\nwithdrawals',
    );
  });

  it('an ephemeral ending in a semicolon and a comment still fits in a CTE', () => {
    expect(withEphemerals('select 1', [['eph', 'select 2 -- two\n;  -- done\n']])).toBe(
      'WITH "__dbt__cte__eph" AS (\nselect 2 -- two\n  -- done\n\n)\nselect 1',
    );
  });
});

describe('stripSemicolon', () => {
  it('removes a trailing semicolon, and only that', () => {
    expect(stripSemicolon('select 1;')).toBe('select 1');
    expect(stripSemicolon('select 1 ;\n\n ')).toBe('select 1 ');
    expect(stripSemicolon('select 1')).toBe('select 1');
    expect(stripSemicolon("select ';' as s")).toBe("select ';' as s");
    expect(stripSemicolon('select 1; select 2')).toBe('select 1; select 2');
  });

  it('removes a semicolon followed only by comments, keeping the comments', () => {
    expect(stripSemicolon('select 1; -- the end')).toBe('select 1 -- the end');
    expect(stripSemicolon('select 1;\n/* done */\n')).toBe('select 1\n/* done */\n');
  });
});
