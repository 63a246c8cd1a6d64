// Great Expectations import: each expectation's mapping in both suite formats (0.x
// `expectation_type` + `kwargs`, 1.x `type` with `kwargs` or top-level arguments), the refusals
// (every unsupported expectation named in one error; pandas row conditions), and the parity test:
// a 20-expectation suite, imported and run, gives the same verdicts as hand-written YAML.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { CheckSpecError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { importGeSuite, pythonRegexToRe2 } from '../../src/quality/gx.js';
import { type CheckResult, runChecks } from '../../src/quality/run.js';
import { type CheckSpec, parseSpecText } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'ge-suite-orders.json');

type Exp = Record<string, unknown>;

/** A suite of expectations in GX 0.x form. */
const legacy = (...exps: [string, Exp][]): string =>
  JSON.stringify({
    expectation_suite_name: 'test',
    expectations: exps.map(([t, kwargs]) => ({ expectation_type: t, kwargs, meta: {} })),
  });

/** The same in GX 1.x form, kwargs nested. */
const v1 = (...exps: [string, Exp][]): string =>
  JSON.stringify({
    name: 'test',
    id: 'b4e1c0de',
    expectations: exps.map(([type, kwargs], i) => ({ type, kwargs, meta: {}, id: `e${i}` })),
    meta: { great_expectations_version: '1.3.0' },
    notes: null,
  });

/** The same as GX 1.x expectation classes serialise: arguments beside `type`, defaults as null. */
const v1Flat = (...exps: [string, Exp][]): string =>
  JSON.stringify({
    name: 'test',
    expectations: exps.map(([type, kwargs], i) => ({
      type,
      id: `e${i}`,
      meta: null,
      notes: null,
      description: null,
      result_format: 'BASIC',
      catch_exceptions: true,
      rendered_content: null,
      batch_id: null,
      row_condition: null,
      condition_parser: null,
      ...kwargs,
    })),
  });

const imp = (json: string, table = 'orders'): CheckSpec[] =>
  importGeSuite(json, { table, file: 'suite.json' }).specs;

/** What a spec checks, without where it was read from. */
const gist = (s: CheckSpec) => ({
  table: s.table,
  column: s.column,
  type: s.type,
  params: s.params,
  where: s.where,
  mostly: s.mostly,
  severity: s.severity,
});

/** One expectation imported from all three forms: they must agree; returns the one spec. */
function one(type: string, kwargs: Exp): ReturnType<typeof gist> {
  const forms = [legacy, v1, v1Flat].map((f) => imp(f([type, kwargs])).map(gist));
  expect(forms[0]).toHaveLength(1);
  expect(forms[1]).toEqual(forms[0]);
  expect(forms[2]).toEqual(forms[0]);
  return forms[0]?.[0] as ReturnType<typeof gist>;
}

/** The CheckSpecError an import raises. */
function refusal(json: string): CheckSpecError {
  try {
    importGeSuite(json, { table: 'orders', file: 'suite.json' });
  } catch (err) {
    expect(err).toBeInstanceOf(CheckSpecError);
    return err as CheckSpecError;
  }
  throw new Error('the import was expected to fail');
}

describe('each expectation maps to its check, in both suite formats', () => {
  it('not null, unique, in set (with mostly)', () => {
    expect(one('expect_column_values_to_not_be_null', { column: 'id' })).toMatchObject({
      column: 'id',
      type: 'not_null',
      params: {},
      severity: 'error',
    });
    expect(
      one('expect_column_values_to_not_be_null', { column: 'id', mostly: 0.95 }),
    ).toMatchObject({ type: 'not_null', mostly: 0.95 });
    expect(one('expect_column_values_to_be_unique', { column: 'id' })).toMatchObject({
      column: 'id',
      type: 'unique',
      params: {},
    });
    expect(
      one('expect_column_values_to_be_in_set', {
        column: 'status',
        value_set: ['new', 'paid', 1, true],
        mostly: 0.5,
      }),
    ).toMatchObject({
      type: 'accepted_values',
      params: { values: ['new', 'paid', 1, true] },
      mostly: 0.5,
    });
    // mostly 1 is GX's default: the same as none.
    expect(
      one('expect_column_values_to_be_unique', { column: 'id', mostly: 1 }).mostly,
    ).toBeUndefined();
  });

  it('between keeps strict_min / strict_max; dates stay strings', () => {
    expect(
      one('expect_column_values_to_be_between', {
        column: 'amount',
        min_value: 0,
        max_value: 100,
        strict_min: true,
        strict_max: false,
        mostly: 0.9,
      }),
    ).toMatchObject({
      type: 'between',
      params: { min: 0, max: 100, strict_min: true },
      mostly: 0.9,
    });
    const only = one('expect_column_values_to_be_between', {
      column: 'placed_at',
      min_value: '2026-01-01',
      max_value: null,
      strict_max: true,
    });
    expect(only.params).toEqual({ min: '2026-01-01' });
  });

  it('regex (search semantics, Python → RE2) and regex lists', () => {
    expect(
      one('expect_column_values_to_match_regex', { column: 'code', regex: '^AB-\\d+\\Z' }),
    ).toMatchObject({ type: 'regex', params: { pattern: '^AB-\\d+\\z' } });
    expect(
      one('expect_column_values_to_match_regex_list', {
        column: 'code',
        regex_list: ['^AB', '^CD'],
        match_on: 'any',
      }).params,
    ).toEqual({ pattern: '(?:^AB)|(?:^CD)' });
  });

  it('value lengths: bounds (strict ones moved in by one) and equal', () => {
    expect(
      one('expect_column_value_lengths_to_be_between', {
        column: 'code',
        min_value: 2,
        max_value: 8,
      }),
    ).toMatchObject({ type: 'length', params: { min: 2, max: 8 } });
    expect(
      one('expect_column_value_lengths_to_be_between', {
        column: 'code',
        min_value: 2,
        max_value: 8,
        strict_min: true,
        strict_max: true,
        mostly: 0.5,
      }),
    ).toMatchObject({ params: { min: 3, max: 7 }, mostly: 0.5 });
    expect(
      one('expect_column_value_lengths_to_equal', { column: 'country', value: 2 }).params,
    ).toEqual({ min: 2, max: 2 });
  });

  it('row count (between and equal)', () => {
    expect(
      one('expect_table_row_count_to_be_between', { min_value: 1, max_value: null }),
    ).toMatchObject({ column: undefined, type: 'row_count', params: { min: 1 } });
    expect(
      one('expect_table_row_count_to_be_between', {
        min_value: 1,
        max_value: 10,
        strict_max: true,
      }).params,
    ).toEqual({ min: 1, max: 10, strict_max: true });
    expect(one('expect_table_row_count_to_equal', { value: 6 }).params).toEqual({ min: 6, max: 6 });
  });

  it('column min / max / mean / median / sum / stdev', () => {
    const cases: [string, string][] = [
      ['expect_column_min_to_be_between', 'min'],
      ['expect_column_max_to_be_between', 'max'],
      ['expect_column_mean_to_be_between', 'mean'],
      ['expect_column_median_to_be_between', 'median'],
      ['expect_column_sum_to_be_between', 'sum'],
      ['expect_column_stdev_to_be_between', 'stddev'],
    ];
    for (const [gx, type] of cases) {
      expect(
        one(gx, { column: 'amount', min_value: 1, max_value: 5, strict_min: true }),
      ).toMatchObject({ column: 'amount', type, params: { min: 1, max: 5, strict_min: true } });
    }
  });

  it('columns match set (exact_match defaults to true), column exists, compound unique', () => {
    expect(
      one('expect_table_columns_to_match_set', { column_set: ['id', 'amount'] }),
    ).toMatchObject({ type: 'schema', params: { columns: ['id', 'amount'], allow_extra: false } });
    expect(
      one('expect_table_columns_to_match_set', { column_set: ['id'], exact_match: false }).params,
    ).toEqual({ columns: ['id'], allow_extra: true });
    expect(
      one('expect_table_columns_to_match_set', { column_set: ['id'], exact_match: null }).params,
    ).toEqual({ columns: ['id'], allow_extra: false });
    expect(one('expect_column_to_exist', { column: 'id' })).toMatchObject({
      type: 'schema',
      params: { columns: ['id'] },
    });
    expect(
      one('expect_compound_columns_to_be_unique', {
        column_list: ['id', 'customer'],
        mostly: 0.9,
      }),
    ).toMatchObject({
      column: undefined,
      type: 'unique',
      params: { columns: ['id', 'customer'] },
      mostly: 0.9,
    });
  });

  it('SQL row conditions become where; 1.x severities become severity', () => {
    expect(
      one('expect_column_values_to_not_be_null', {
        column: 'customer',
        row_condition: "status <> 'weird'",
        condition_parser: 'spark',
      }).where,
    ).toBe("status <> 'weird'");
    const specs = imp(
      JSON.stringify({
        name: 's',
        expectations: [
          { type: 'expect_column_values_to_not_be_null', column: 'a', severity: 'warning' },
          {
            type: 'expect_column_values_to_not_be_null',
            kwargs: { column: 'b' },
            severity: 'info',
          },
          { type: 'expect_column_values_to_not_be_null', column: 'c', severity: 'critical' },
        ],
      }),
    );
    expect(specs.map((s) => s.severity)).toEqual(['warn', 'warn', 'error']);
  });

  it('writes dbt-style YAML, naming the expectation each test came from', () => {
    const { yaml, specs } = importGeSuite(
      legacy(
        ['expect_column_values_to_not_be_null', { column: 'id' }],
        ['expect_table_row_count_to_be_between', { min_value: 1 }],
        ['expect_column_values_to_be_in_set', { column: 'status', value_set: ['yes', 'no'] }],
      ),
      { table: 'orders', file: 'suite.json', out: 'checks/orders.yml' },
    );
    expect(yaml).toContain('version: 2\nmodels:\n  - name: orders\n    tests:\n');
    expect(yaml).toContain('# expectations[1]: expect_table_row_count_to_be_between\n');
    expect(yaml).toContain('      - row_count: {min: 1}\n');
    expect(yaml).toContain('          - not_null\n');
    // Strings YAML 1.1 would read as booleans are quoted, for every reader.
    expect(yaml).toContain('accepted_values: {values: ["yes", "no"]}');
    expect(specs.map((s) => s.id)).toEqual([
      'orders.row_count',
      'orders.id.not_null',
      'orders.status.accepted_values',
    ]);
    expect(specs[0]?.source.file).toBe('checks/orders.yml');
    expect(parseSpecText(yaml, 'checks/orders.yml')).toEqual(specs);
  });
});

describe('what cannot be imported is named, never dropped', () => {
  it('every unsupported expectation, by index and type, in one error', () => {
    const err = refusal(
      legacy(
        ['expect_column_values_to_not_be_null', { column: 'id' }],
        ['expect_column_values_to_be_null', { column: 'notes' }],
        ['expect_column_kl_divergence_to_be_less_than', { column: 'amount', threshold: 0.1 }],
        ['expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b'] }],
        ['expect_select_column_values_to_be_unique_within_record', { column_list: ['a', 'b'] }],
      ),
    );
    expect(err.message).toMatch(/^suite\.json: 4 of 5 expectation\(s\) cannot be imported/);
    expect(err.message).toContain('expectations[1] expect_column_values_to_be_null (column notes)');
    expect(err.message).toContain(
      'expectations[2] expect_column_kl_divergence_to_be_less_than (column amount): no Sluice check',
    );
    expect(err.message).toContain(
      'expectations[3] expect_table_columns_to_match_ordered_list (columns a, b)',
    );
    expect(err.message).toContain(
      'expectations[4] expect_select_column_values_to_be_unique_within_record',
    );
    expect(err.message).not.toContain('expectations[0]');
    expect(err.data).toMatchObject({ file: 'suite.json' });
    expect(err.data.reason).toContain('expectations[1]');
  });

  it('pandas and GX-syntax row conditions are refused, naming the expectation', () => {
    for (const parser of ['pandas', 'great_expectations', 'great_expectations__experimental__']) {
      const err = refusal(
        v1([
          'expect_column_values_to_be_in_set',
          {
            column: 'status',
            value_set: ['new'],
            row_condition: 'country=="DE"',
            condition_parser: parser,
          },
        ]),
      );
      expect(err.message).toContain(
        `expectations[0] expect_column_values_to_be_in_set (column status): row_condition "country==\\"DE\\"" (condition_parser "${parser}") cannot be translated`,
      );
    }
    expect(
      refusal(
        legacy([
          'expect_column_values_to_not_be_null',
          { column: 'a', row_condition: 'b > 1' }, // no parser named
        ]),
      ).message,
    ).toContain('condition_parser null');
  });

  it('malformed expectations: missing column, wrong kwargs, unknown arguments, bad values', () => {
    const err = refusal(
      JSON.stringify({
        expectations: [
          { expectation_type: 'expect_column_values_to_not_be_null', kwargs: {} },
          { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'a' } },
          { kwargs: { column: 'a' } },
          'expect_column_values_to_be_unique',
          { type: 'expect_column_values_to_be_unique', kwargs: [] },
          { type: 'expect_column_values_to_be_unique', kwargs: { column: 'a', threshold: 2 } },
          { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'a', value_set: [] } },
          {
            type: 'expect_column_mean_to_be_between',
            kwargs: { column: 'a', min_value: 1, mostly: 0.5 },
          },
          { type: 'expect_column_values_to_be_unique', kwargs: { column: 'a', mostly: 1.5 } },
          { type: 'expect_column_values_to_match_regex', kwargs: { column: 'a', regex: '^(?!x)' } },
          {
            type: 'expect_column_values_to_be_between',
            kwargs: { column: 'a', min_value: { $PARAMETER: 'lower' } },
          },
          { type: 'expect_column_values_to_not_be_null', column: 'a', severity: 'fatal' },
        ],
      }),
    );
    const lines = err.message.split('\n').slice(1);
    expect(lines).toEqual([
      '  expectations[0] expect_column_values_to_not_be_null: missing column',
      '  expectations[1] expect_column_values_to_be_between (column a): give min_value, max_value or both',
      '  expectations[2] (no type) (column a): no type (or expectation_type)',
      '  expectations[3] (no type): an expectation must be an object',
      '  expectations[4] expect_column_values_to_be_unique: kwargs must be an object',
      '  expectations[5] expect_column_values_to_be_unique (column a): unsupported argument(s): threshold',
      '  expectations[6] expect_column_values_to_be_in_set (column a): value_set is empty (every value would fail)',
      '  expectations[7] expect_column_mean_to_be_between (column a): mostly does not apply to expect_column_mean_to_be_between (it is not a per-row expectation)',
      '  expectations[8] expect_column_values_to_be_unique (column a): mostly must be a number from 0 to 1, not 1.5',
      '  expectations[9] expect_column_values_to_match_regex (column a): regex "^(?!x)": lookarounds are not supported by SQL regexes',
      '  expectations[10] expect_column_values_to_be_between (column a): suite parameters ($PARAMETER) are resolved by GX at run time; put the values in',
      '  expectations[11] expect_column_values_to_not_be_null (column a): severity "fatal": expected critical, warning or info',
    ]);
    expect(err.message.split('\n')[0]).toBe(
      'suite.json: 12 of 12 expectation(s) cannot be imported, so none were:',
    );
  });

  it('malformed JSON and files that are not suites', () => {
    expect(refusal('{"expectations": [').message).toMatch(/^suite\.json(:\d+)?: malformed JSON/);
    expect(refusal('{\n  "expectations": [\n    ,\n  ]\n}').data.reason).toMatch(/^malformed JSON/);
    expect(refusal('[]').message).toBe(
      'suite.json: expected a Great Expectations suite: an object with expectations: [...]',
    );
    expect(refusal('{"name": "s"}').message).toContain('expectations: [...] is missing');
  });

  it('Python regexes: what RE2 lacks is refused, \\Z becomes \\z', () => {
    expect(pythonRegexToRe2('^[A-Z]{2}-\\d+\\Z')).toBe('^[A-Z]{2}-\\d+\\z');
    expect(pythonRegexToRe2('(?i)^ab(?P<n>c)[(?=]\\\\Z')).toBe('(?i)^ab(?P<n>c)[(?=]\\\\Z');
    expect(pythonRegexToRe2('[]\\Z]')).toBe('[]\\Z]');
    for (const bad of ['a(?=b)', 'a(?<!b)', '(a)\\1', '(?P<x>a)(?P=x)', '(?>a)', '(?x) a b']) {
      expect(() => pythonRegexToRe2(bad)).toThrow(/not supported/);
    }
  });
});

// ---- parity: an imported suite gives the verdicts of the equivalent hand-written YAML ---------

const ORDERS = [
  'order_id,customer_id,status,amount,quantity,email,code,country',
  '1,c1,new,10.5,1,ada@example.com,AB-1,DE',
  '2,c1,paid,20,2,grace@example.com,AB-2,DE',
  '3,c2,paid,,1,edsger@example,AB-3,FR',
  '4,c3,shipped,40,3,barbara@example.com,XX,FR',
  '5,,weird,-5,1,,AB-5,NL',
  '6,c3,new,60,10,alan@example.com,AB-6,DE',
  '7,c4,paid,75.25,2,john@example.com,AB-7,',
  '8,c4,shipped,99.99,1,donald@example.com,AB-8,NL',
  '9,c5,paid,15,4,ken@example.com,AB-9,DE',
  '10,c5,new,30,1,dennis@example.com,AB-10,FR',
].join('\n');

/** The fixture suite written by hand, the way a dbt user would; `name: eNN` is expectation NN. */
const HAND_WRITTEN = `version: 2
models:
  - name: orders
    tests:
      - row_count: {min: 5, max: 100, name: e00}
      - schema: {columns: [order_id, amount, status], name: e01}
      - dbt_utils.unique_combination_of_columns:
          combination_of_columns: [country, status]
          config: {mostly: 0.7}
          name: e06
    columns:
      - name: order_id
        tests:
          - not_null: {name: e02}
          - unique: {name: e04}
      - name: customer_id
        tests:
          - not_null: {mostly: 0.85, name: e03}
          - unique: {name: e05}
      - name: status
        tests:
          - accepted_values: {values: [new, paid, shipped], where: "country = 'DE'", name: e07}
      - name: amount
        tests:
          - between: {min: 0, max: 100, name: e08}
          - between: {min: -10, max: 99.99, strict_max: true, name: e09}
          - mean: {min: 20, max: 50, name: e14}
          - median: {min: 20, max: 40, name: e15}
          - max: {max: 99.99, strict_max: true, name: e17}
          - stddev: {max: 10, name: e19}
      - name: quantity
        tests:
          - between: {min: 0, max: 10, strict: true, mostly: 0.9, name: e10}
          - min: {min: 1, strict_min: true, name: e16}
          - sum: {min: 20, max: 30, name: e18}
      - name: code
        tests:
          - regex: {pattern: '^AB-\\d+$', name: e11}
      - name: email
        tests:
          - regex: {pattern: '@example\\.com', mostly: 0.8, name: e12}
      - name: country
        tests:
          - length: {min: 2, max: 2, name: e13}
`;

/** The verdicts worked out by hand from ORDERS, by expectation index. */
const EXPECTED = [
  'pass', // 0 row count 10 in [5, 100]
  'pass', // 1 order_id, amount, status among the columns
  'pass', // 2 order_id never NULL
  'pass', // 3 customer_id NULL once: 9/10 ≥ 0.85
  'pass', // 4 order_id unique
  'fail', // 5 customer_id repeats
  'fail', // 6 (country, status): 4 of 9 rows duplicated, 5/9 < 0.7
  'pass', // 7 DE orders are new or paid
  'fail', // 8 amount -5 < 0
  'fail', // 9 amount 99.99 is not < 99.99
  'pass', // 10 quantity 10 is not < 10, but 9/10 ≥ 0.9
  'fail', // 11 code XX
  'pass', // 12 one email off example.com: 8/9 ≥ 0.8
  'pass', // 13 countries have two letters (NULL not checked)
  'pass', // 14 mean amount 38.4
  'pass', // 15 median amount 30
  'fail', // 16 min quantity 1 is not > 1
  'fail', // 17 max amount 99.99 is not < 99.99
  'pass', // 18 sum quantity 26
  'fail', // 19 stddev amount ~ 35
];

describe('parity with hand-written YAML', () => {
  let dir: string;
  let repo: Repository;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-gx-'));
    repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, `${ORDERS}\n`);
    await ingest(repo, csv, { table: 'orders' });
    await repo.commit('main', { message: 'orders' });
  });
  afterAll(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The expectation index of each imported spec: the `# expectations[N]` comment above it. */
  function indexOf(yaml: string, spec: CheckSpec): number {
    const lines = yaml.split('\n');
    for (let l = spec.source.line - 2; l >= 0; l--) {
      const m = /# expectations\[(\d+)\]/.exec(lines[l] ?? '');
      if (m) return Number(m[1]);
    }
    throw new Error(`no expectation comment above line ${spec.source.line}`);
  }

  const verdict = (r: CheckResult) => ({
    status: r.status,
    observed: r.observed,
    elementCount: r.elementCount,
    unexpectedCount: r.unexpectedCount,
  });

  it('a 20-expectation suite imports and gives the same verdict per check', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    expect((JSON.parse(text) as { expectations: unknown[] }).expectations).toHaveLength(20);
    const { yaml, specs } = importGeSuite(text, { table: 'orders', file: FIXTURE });
    expect(specs).toHaveLength(20);

    const imported = await runChecks(repo, specs);
    const byIndex = new Map<number, CheckResult>();
    imported.results.forEach((r, i) => {
      byIndex.set(indexOf(yaml, specs[i] as CheckSpec), r);
    });
    expect([...byIndex.keys()].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);

    const hand = await runChecks(repo, parseSpecText(HAND_WRITTEN, 'checks/orders.yml'));
    expect(hand.results).toHaveLength(20);
    const handByIndex = new Map(hand.results.map((r) => [Number(r.name.slice(1)), r]));

    for (let i = 0; i < 20; i++) {
      const a = byIndex.get(i) as CheckResult;
      const b = handByIndex.get(i) as CheckResult;
      expect({ i, ...verdict(a) }).toEqual({ i, ...verdict(b) });
      expect({ i, status: a.status }).toEqual({ i, status: EXPECTED[i] });
    }
    expect(imported.summary).toEqual({ pass: 12, warn: 0, fail: 8, error: 0 });
    expect(hand.summary).toEqual(imported.summary);
  });

  it('the same suite in GX 1.x form imports to the same checks', () => {
    const suite = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      expectation_suite_name: string;
      expectations: { expectation_type: string; kwargs: Exp; meta: Exp }[];
    };
    const legacySpecs = imp(JSON.stringify(suite)).map(gist);
    const nested = {
      name: suite.expectation_suite_name,
      expectations: suite.expectations.map((e, i) => ({
        type: e.expectation_type,
        kwargs: e.kwargs,
        meta: e.meta,
        id: `id-${i}`,
      })),
    };
    const flat = {
      name: suite.expectation_suite_name,
      expectations: suite.expectations.map((e, i) => ({
        type: e.expectation_type,
        id: `id-${i}`,
        meta: e.meta,
        row_condition: null,
        condition_parser: null,
        ...e.kwargs,
      })),
    };
    expect(imp(JSON.stringify(nested)).map(gist)).toEqual(legacySpecs);
    expect(imp(JSON.stringify(flat)).map(gist)).toEqual(legacySpecs);
  });
});
