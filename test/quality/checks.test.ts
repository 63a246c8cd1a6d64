// Each check type: pass, fail, warn (severity and thresholds), mostly, where, NULLs and empty
// tables; counts compared with a hand-written DuckDB query over the same table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { type CheckResult, runChecks } from '../../src/quality/run.js';
import { parseSpecText } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;

const ORDERS = [
  'id,customer,status,amount,code,placed_at',
  '1,c1,new,10.5,AB-1,2026-11-20 10:00:00+00',
  '2,c1,paid,20,AB-2,2026-11-20 11:00:00+00',
  '3,c2,paid,,AB-3,2026-11-20 12:00:00+00',
  '4,c9,shipped,40,XX,2026-11-21 08:00:00+00',
  '5,,weird,-5,AB-5,2026-11-21 09:00:00+00',
  '5,c3,new,60,AB-6,',
].join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-quality-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  const f = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, `${text}\n`);
    return p;
  };
  await ingest(repo, f('orders.csv', ORDERS), { table: 'orders' });
  await ingest(repo, f('customers.csv', 'id,name\nc1,Ada\nc2,Grace\nc3,Edsger'), {
    table: 'customers',
  });
  await ingest(repo, f('empty.csv', 'id,v'), {
    table: 'empty',
    schema: [
      { name: 'id', type: 'BIGINT' },
      { name: 'v', type: 'VARCHAR' },
    ],
  });
  await repo.commit('main', { message: 'tables' });
});
afterAll(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-11-21T10:00:00Z');

async function check(yaml: string): Promise<CheckResult[]> {
  const specs = parseSpecText(yaml, 'checks/t.yml');
  return (await runChecks(repo, specs, { now: NOW })).results;
}

/** One column test on orders. */
async function one(column: string, test: string): Promise<CheckResult> {
  const [r] = await check(
    `version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: ${column}\n        tests:\n          - ${test}\n`,
  );
  return r as CheckResult;
}

const sql = async (q: string): Promise<number> =>
  Number(
    Object.values(
      (await withSqlSession(repo, {}, (s) => s.duck.query(q))).rows[0] as Record<string, unknown>,
    )[0],
  );

describe('row checks agree with hand-written queries', () => {
  it('not_null: failures are NULLs; mostly over all rows; where filters first', async () => {
    const r = await one('customer', 'not_null');
    expect(r).toMatchObject({ status: 'fail', unexpectedCount: 1, elementCount: 6 });
    expect(r.unexpectedCount).toBe(await sql('SELECT count(*) FROM orders WHERE customer IS NULL'));
    expect(r.sample).toEqual([expect.objectContaining({ id: '5', customer: null })]);
    expect((await one('customer', 'not_null: {mostly: 0.8}')).status).toBe('pass');
    expect((await one('customer', 'not_null: {mostly: 0.9}')).status).toBe('fail');
    expect((await one('customer', 'not_null: {where: "status <> \'weird\'"}')).status).toBe('pass');
    expect((await one('customer', 'not_null: {severity: warn}')).status).toBe('warn');
    expect(
      (await one('customer', 'not_null: {config: {error_if: ">1", warn_if: ">0"}}')).status,
    ).toBe('warn');
    expect((await one('id', 'not_null')).status).toBe('pass');
  });

  it('unique: duplicate rows counted (NULLs ignored), one GROUP BY per key set', async () => {
    const r = await one('id', 'unique');
    expect(r).toMatchObject({ status: 'fail', unexpectedCount: 2, observed: 1, elementCount: 6 });
    expect(r.unexpectedCount).toBe(
      await sql(
        'SELECT coalesce(sum(n), 0) FROM (SELECT id, count(*) n FROM orders GROUP BY id HAVING count(*) > 1)',
      ),
    );
    expect(r.sample?.map((x) => x.id)).toEqual(['5', '5']);
    expect((await one('customer', 'unique')).unexpectedCount).toBe(2); // c1 twice; NULL not counted
    const [multi] = await check(
      'version: 2\nmodels:\n  - name: orders\n    tests:\n      - unique: {columns: [id, customer]}\n',
    );
    expect(multi?.status).toBe('pass');
  });

  it('accepted_values, between (inclusive and strict), regex, length', async () => {
    const av = await one('status', 'accepted_values: {values: [new, paid, shipped]}');
    expect(av).toMatchObject({ status: 'fail', unexpectedCount: 1, elementCount: 6 });
    expect(av.unexpectedCount).toBe(
      await sql("SELECT count(*) FROM orders WHERE status NOT IN ('new','paid','shipped')"),
    );
    const b = await one('amount', 'between: {min: 0, max: 60}');
    expect(b).toMatchObject({ unexpectedCount: 1, elementCount: 5 }); // NULL amount is not checked
    expect((await one('amount', 'between: {min: 0, max: 60, strict: true}')).unexpectedCount).toBe(
      2,
    );
    expect((await one('amount', 'between: {min: -10, max: 100}')).status).toBe('pass');
    expect((await one('code', "regex: {pattern: '^AB-[0-9]+$'}")).unexpectedCount).toBe(1);
    expect((await one('code', 'length: {min: 3}')).unexpectedCount).toBe(
      await sql('SELECT count(*) FROM orders WHERE length(code) < 3'),
    );
  });

  it('relationships: an anti-join against the referenced table', async () => {
    const r = await one('customer', "relationships: {to: ref('customers'), field: id}");
    expect(r).toMatchObject({ status: 'fail', unexpectedCount: 1 });
    expect(r.unexpectedCount).toBe(
      await sql(
        'SELECT count(*) FROM orders o WHERE customer IS NOT NULL AND customer NOT IN (SELECT id FROM customers)',
      ),
    );
    expect(r.sample?.map((x) => x.customer)).toEqual(['c9']);
  });
});

describe('aggregate, table and custom checks', () => {
  it('row_count, mean, sum, min, max, stddev, median, quantile against bounds', async () => {
    const res = await check(
      [
        'version: 2',
        'models:',
        '  - name: orders',
        '    tests:',
        '      - row_count: {min: 1, max: 10}',
        '      - row_count: {min: 7}',
        '    columns:',
        '      - name: amount',
        '        tests:',
        '          - mean: {min: 20, max: 30}',
        '          - sum: {max: 100}',
        '          - min: {min: 0}',
        '          - max: {max: 60}',
        '          - stddev: {max: 100}',
        '          - median: {min: 20, max: 20}',
        '          - quantile: {q: 0.9, max: 50, severity: warn}',
      ].join('\n'),
    );
    expect(res.map((r) => [r.name, r.status])).toEqual([
      ['row_count', 'pass'],
      ['row_count', 'fail'],
      ['mean(amount)', 'pass'],
      ['sum(amount)', 'fail'],
      ['min(amount)', 'fail'],
      ['max(amount)', 'pass'],
      ['stddev(amount)', 'pass'],
      ['median(amount)', 'pass'],
      ['quantile(amount, 0.9)', 'warn'],
    ]);
    expect(res[2]?.observed).toBe(await sql('SELECT avg(amount) FROM orders'));
    // The median and the 0.9 quantile share one quantile_cont over the column: each check gets
    // its own element of the list back.
    expect(res[7]?.observed).toBe(await sql('SELECT quantile_cont(amount, 0.5) FROM orders'));
    expect(res[8]?.observed).toBe(await sql('SELECT quantile_cont(amount, 0.9) FROM orders'));
    expect(res[7]?.observed).not.toBe(res[8]?.observed);
    // An aggregate looked at the column's non-NULL values; row_count at every row.
    expect(res[2]?.elementCount).toBe(5);
    expect(res[0]?.elementCount).toBe(6);
  });

  it('quantiles of one column in one scan, with a filter, in any order', async () => {
    const specs = parseSpecText(
      [
        'version: 2',
        'models:',
        '  - name: orders',
        '    columns:',
        '      - name: amount',
        '        tests:',
        '          - quantile: {q: 0.75, max: 1000}',
        '          - median: {max: 1000}',
        '          - quantile: {q: 0.1, max: 1000, where: "amount > 0"}',
        '          - quantile: {q: 0.25, max: 1000}',
        '          - median: {max: 1000, where: "amount > 0"}',
        '      - name: id',
        '        tests: [{median: {max: 1000}}]',
      ].join('\n'),
      'checks/t.yml',
    );
    const run = await runChecks(repo, specs, { now: NOW });
    expect(run.queries).toBe(2); // one scan per filter
    const want = [
      'SELECT quantile_cont(amount, 0.75) FROM orders',
      'SELECT quantile_cont(amount, 0.5) FROM orders',
      'SELECT quantile_cont(amount, 0.1) FROM orders WHERE amount > 0',
      'SELECT quantile_cont(amount, 0.25) FROM orders',
      'SELECT quantile_cont(amount, 0.5) FROM orders WHERE amount > 0',
      'SELECT quantile_cont(id, 0.5) FROM orders',
    ];
    for (const [i, q] of want.entries())
      expect([i, run.results[i]?.observed]).toEqual([i, await sql(q)]);
    expect(run.results.map((r) => r.elementCount)).toEqual([5, 5, 4, 5, 4, 6]);
  });

  it('empty tables: counts pass, row_count fails its minimum, aggregates have nothing to judge', async () => {
    const res = await check(
      'version: 2\nmodels:\n  - name: empty\n    tests:\n      - row_count: {min: 1}\n    columns:\n      - name: id\n        tests: [not_null, unique, {mean: {min: 5}}]\n',
    );
    expect(res.map((r) => r.status)).toEqual(['fail', 'pass', 'pass', 'pass']);
    expect(res[1]).toMatchObject({ elementCount: 0, unexpectedCount: 0 });
  });

  it('freshness, schema and custom SQL', async () => {
    const res = await check(
      [
        'version: 2',
        'models:',
        '  - name: orders',
        '    tests:',
        '      - schema: {columns: {id: BIGINT, amount: DOUBLE}, forbidden: [ssn]}',
        '      - schema: {columns: [id], allow_extra: false, severity: warn}',
        '      - sql: {query: "SELECT * FROM orders WHERE amount < 0"}',
        '    columns:',
        '      - name: placed_at',
        '        tests:',
        '          - freshness: {warn_after: {count: 30, period: minute}, error_after: {count: 1, period: day}}',
        '          - freshness: {error_after: {count: 30, period: minute}}',
      ].join('\n'),
    );
    expect(res.map((r) => [r.name, r.status])).toEqual([
      ['schema', 'pass'],
      ['schema', 'warn'],
      ['sql', 'fail'],
      ['freshness(placed_at)', 'warn'],
      ['freshness(placed_at)', 'fail'],
    ]);
    expect(res[2]?.sample).toEqual([expect.objectContaining({ id: '5', amount: -5 })]);
  });
});

describe('compiled into few queries', () => {
  it('all row and aggregate checks of a table and filter are one scan', async () => {
    const specs = parseSpecText(
      [
        'version: 2',
        'models:',
        '  - name: orders',
        '    tests: [{row_count: {min: 1}}]',
        '    columns:',
        '      - name: id',
        '        tests: [not_null, unique, {between: {min: 0}}]',
        '      - name: status',
        '        tests: [not_null, {accepted_values: {values: [new, paid, shipped, weird]}}]',
        '      - name: amount',
        '        tests: [{mean: {min: 0}}, {max: {max: 1000}}, {between: {min: -100}}]',
        '      - name: code',
        '        tests: [{length: {max: 10}}, {regex: {pattern: "^[A-Z]"}}]',
      ].join('\n'),
      'checks/t.yml',
    );
    const run = await runChecks(repo, specs);
    expect(run.results).toHaveLength(11);
    // One aggregate scan, one GROUP BY (unique id), one sample query (the failing unique).
    expect(run.queries).toBe(3);
    expect(run.status).toBe('fail');
  });
});

describe('a wide scan goes in batches of bounded width', () => {
  /** 600 between checks on amount (2 expressions each): 1,200 expressions, MAX_SCAN_WEIGHT 500. */
  const many = (extra: string[]): string =>
    [
      'version: 2',
      'models:',
      '  - name: orders',
      '    columns:',
      '      - name: amount',
      '        tests:',
      ...Array.from({ length: 600 }, (_, k) => `          - between: {min: ${-1000 - k}}`),
      ...extra,
    ].join('\n');

  it('hundreds of checks are a few scans, with the verdicts of one', async () => {
    const run = await runChecks(repo, parseSpecText(many([]), 'checks/t.yml'));
    expect(run.results).toHaveLength(600);
    expect(run.results.every((r) => r.status === 'pass' && r.elementCount === 5)).toBe(true);
    expect(run.queries).toBe(3);
  });

  it('a failing expression runs only its batch apart', async () => {
    const extra = ['      - name: code', '        tests: [{regex: {pattern: "("}}]'];
    const run = await runChecks(repo, parseSpecText(many(extra), 'checks/t.yml'));
    expect(run.results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([
      'regex(code)',
    ]);
    expect(run.results.filter((r) => r.status === 'pass')).toHaveLength(600);
    expect(run.queries).toBeLessThan(300);
  });
});

describe('options a check cannot honour are refused, not ignored', () => {
  it('mostly or thresholds on an aggregate, where or a percent on custom SQL', () => {
    const spec = (t: string) => () =>
      parseSpecText(`version: 2\nmodels:\n  - name: orders\n${t}`, 'checks/x.yml');
    expect(
      spec(
        '    columns:\n      - name: amount\n        tests:\n          - mean: {max: 1, mostly: 0.5}\n',
      ),
    ).toThrow(/x\.yml:7: mean does not take mostly/);
    expect(spec('    tests:\n      - row_count: {min: 1, error_if: ">5"}\n')).toThrow(
      /row_count does not take error_if/,
    );
    expect(spec('    tests:\n      - sql: {query: "SELECT 1", where: "x > 1"}\n')).toThrow(
      /sql does not take where/,
    );
    expect(spec('    tests:\n      - sql: {query: "SELECT 1", warn_if: ">5%"}\n')).toThrow(
      /sql does not take a percent warn_if/,
    );
    expect(spec('    tests:\n      - sql: {query: "SELECT 1", warn_if: ">5"}\n')).not.toThrow();
  });
});

describe('bad specs name the file and line before any query runs', () => {
  const bad = async (yaml: string) => {
    try {
      await runChecks(repo, parseSpecText(yaml, 'checks/bad.yml'));
    } catch (err) {
      return err as { code: string; data: { file: string; line: number } };
    }
    throw new Error('expected an error');
  };
  it('unknown check, unknown column, wrong parameter type, malformed YAML', async () => {
    expect(
      await bad(
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n          - not_nul\n',
      ),
    ).toMatchObject({
      code: 'CheckSpecError',
      data: { file: 'checks/bad.yml', line: 7 },
    });
    expect(
      await bad(
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: nope\n        tests: [not_null]\n',
      ),
    ).toMatchObject({
      code: 'CheckSpecError',
      data: { line: 6 },
    });
    expect(
      await bad(
        'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n          - between: {min: [1]}\n',
      ),
    ).toMatchObject({
      code: 'CheckSpecError',
      data: { line: 7 },
    });
    expect(await bad('version: 2\nmodels:\n  - name: orders\n    columns: [\n')).toMatchObject({
      code: 'CheckSpecError',
    });
    expect(
      await bad('version: 2\nmodels:\n  - name: nope\n    tests: [{row_count: {min: 1}}]\n'),
    ).toMatchObject({
      code: 'CheckSpecError',
      data: { line: 4 },
    });
  });
});
