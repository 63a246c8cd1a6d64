// The check matrix: every check type × pass, fail, warn (severity and warn_if / error_if,
// counts and percents), mostly, where, NULLs and empty tables; counts and aggregates compared
// with a hand-written DuckDB query over the same view. row_count_change and anomaly read
// history and are covered by history.test.ts.
//
// Dimensions that do not apply (asserted nowhere, on purpose):
// - aggregates (mean, sum, min, max, stddev, median, quantile) and row_count: `mostly` (no rows
//   pass or fail one by one) and warn_if / error_if (there is no failing count to compare; run.ts
//   ignores both for these kinds today, although the docs say every test takes them);
// - freshness: `mostly` and warn_if / error_if (its levels are warn_after / error_after); a
//   `where` can only make the newest value older, so it turns a pass into a failure, not back;
// - schema: `where`, NULLs, `mostly` (it reads the manifest, not rows);
// - sql: `where` and `mostly` (the query decides which rows fail and returns only those; a
//   spec's `where` is not applied to it, and `mostly` counts only the rows returned), NULLs
//   (the query's own semantics), percent thresholds (the rows checked are the rows returned).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { CHECKS, type CheckType } from '../../src/quality/checks.js';
import { type CheckResult, runChecks } from '../../src/quality/run.js';
import { parseSpecText } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;

// Row 5 is NULL in every value column (ukey is NULL in rows 4 and 5); row 10 (grp x) is the one
// bad row of every value check, so `where: "grp <> 'x'"` turns their failures into passes.
const M = [
  'id,grp,val,code,status,ref,ukey,ts',
  '1,a,10,AB-1,new,r1,u1,2026-11-21 09:00:00+00',
  '2,a,20,AB-2,paid,r1,u2,2026-11-21 08:00:00+00',
  '3,a,30,AB-3,shipped,r2,u3,2026-11-21 07:00:00+00',
  '4,a,40,AB-4,new,r2,,2026-11-20 10:00:00+00',
  '5,a,,,,,,',
  '6,b,50,AB-6,paid,r3,u6,2026-11-20 09:00:00+00',
  '7,b,60,AB-7,paid,r3,u7,2026-11-20 08:00:00+00',
  '8,b,70,AB-8,shipped,r3,u8,2026-11-20 07:00:00+00',
  '9,b,80,AB-9,new,r3,u9,2026-11-20 06:00:00+00',
  '10,x,999,zz,bogus,r9,u1,2026-10-01 00:00:00+00',
].join('\n');

const SCHEMA = [
  { name: 'id', type: 'BIGINT' },
  { name: 'grp', type: 'VARCHAR' },
  { name: 'val', type: 'BIGINT' },
  { name: 'code', type: 'VARCHAR' },
  { name: 'status', type: 'VARCHAR' },
  { name: 'ref', type: 'VARCHAR' },
  { name: 'ukey', type: 'VARCHAR' },
  { name: 'ts', type: 'TIMESTAMPTZ' },
];

const NOW = new Date('2026-11-21T10:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-matrix-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  const f = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, `${text}\n`);
    return p;
  };
  await ingest(repo, f('m.csv', M), { table: 'm' });
  // The referenced table has a NULL key: a NOT IN would then match nothing; an anti-join must not.
  await ingest(repo, f('refs.csv', 'id,name\nr1,one\nr2,two\nr3,three\n,nobody'), {
    table: 'refs',
  });
  await ingest(repo, f('empty.csv', SCHEMA.map((c) => c.name).join(',')), {
    table: 'empty',
    schema: SCHEMA,
  });
  await repo.commit('main', { message: 'matrix tables' });
});
afterAll(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One test of a spec: on a table (`m` by default), at a column or at table level. */
interface Variant {
  table?: string;
  column?: string;
  test: string;
}

/** `type: {a, b}` from the non-empty parts, or the bare name. */
const t = (type: string, ...parts: string[]): string => {
  const ps = parts.filter((p) => p !== '');
  return ps.length ? `${type}: {${ps.join(', ')}}` : type;
};

/** Runs every variant in one runChecks call; results by variant name. */
async function runAll(variants: Record<string, Variant>): Promise<Record<string, CheckResult>> {
  const names = Object.keys(variants);
  const lines = ['version: 2', 'models:'];
  for (const n of names) {
    const v = variants[n] as Variant;
    lines.push(`  - name: ${v.table ?? 'm'}`);
    if (v.column === undefined) lines.push('    tests:', `      - ${v.test}`);
    else
      lines.push(
        '    columns:',
        `      - name: ${v.column}`,
        '        tests:',
        `          - ${v.test}`,
      );
  }
  const specs = parseSpecText(lines.join('\n'), 'checks/matrix.yml');
  const run = await runChecks(repo, specs, { now: NOW });
  expect(run.results).toHaveLength(names.length);
  return Object.fromEntries(names.map((n, i) => [n, run.results[i] as CheckResult]));
}

/** Hand-written queries, all in one session: the first value of each query's first row. */
async function hand(queries: Record<string, string>): Promise<Record<string, Json>> {
  return withSqlSession(repo, {}, async (s) => {
    const out: Record<string, Json> = {};
    for (const [k, sql] of Object.entries(queries)) {
      const row = (await s.duck.query(sql)).rows[0] as Record<string, Json>;
      out[k] = Object.values(row)[0] as Json;
    }
    return out;
  });
}

const TESTED = new Set<string>([
  'not_null',
  'unique',
  'accepted_values',
  'relationships',
  'between',
  'regex',
  'length',
  'row_count',
  'mean',
  'sum',
  'min',
  'max',
  'stddev',
  'median',
  'quantile',
  'freshness',
  'schema',
  'sql',
]);

it('the matrix covers every check type but the history ones', () => {
  const all = Object.keys(CHECKS).filter((k) => k !== 'row_count_change' && k !== 'anomaly');
  expect([...TESTED].sort()).toEqual(all.sort());
});

// ---------------------------------------------------------------------------------------------
// Checks that count failing rows.

interface CountCase {
  type: CheckType;
  column: string;
  /** Parameters of the failing check (inside the braces). */
  params: string;
  /** A variant that passes on the whole table. */
  pass: Variant;
  /** Hand-written: failing rows of `table` under filter `w`. */
  unexpected: (table: string, w: string) => string;
  /** Hand-written: rows the check looks at (non-null values; every row for not_null). */
  element: (table: string, w: string) => string;
  expected: { element: number; unexpected: number };
  /** A `mostly` just met, and one just missed. */
  mostly: [number, number];
  /** A filter that turns the failure into a pass. */
  where: string;
  /** A filter that keeps only rows whose value is NULL. */
  nullOnly: string;
  /** not_null: NULLs are the failures. */
  nullsFail?: boolean;
}

const nonNull = (col: string) => (table: string, w: string) =>
  `SELECT count(${col}) FROM ${table} WHERE ${w}`;
const failing = (col: string, pred: string) => (table: string, w: string) =>
  `SELECT count(*) FROM ${table} WHERE ${col} IS NOT NULL AND (${pred}) AND (${w})`;

const COUNT_CASES: CountCase[] = [
  {
    type: 'not_null',
    column: 'val',
    params: '',
    pass: { column: 'id', test: 'not_null' },
    unexpected: (table, w) => `SELECT count(*) FROM ${table} WHERE val IS NULL AND (${w})`,
    element: (table, w) => `SELECT count(*) FROM ${table} WHERE ${w}`,
    expected: { element: 10, unexpected: 1 },
    mostly: [0.9, 0.91],
    where: 'id <> 5',
    nullOnly: 'id = 5',
    nullsFail: true,
  },
  {
    type: 'unique',
    column: 'ukey',
    params: '',
    pass: { column: 'id', test: 'unique' },
    unexpected: (table, w) =>
      `SELECT coalesce(sum(n), 0) FROM (SELECT ukey, count(*) AS n FROM ${table} WHERE ukey IS NOT NULL AND (${w}) GROUP BY ukey HAVING count(*) > 1)`,
    element: nonNull('ukey'),
    expected: { element: 8, unexpected: 2 },
    mostly: [0.75, 0.76],
    where: "grp <> 'x'",
    // Two NULL keys: not a duplicate.
    nullOnly: 'id IN (4, 5)',
  },
  {
    type: 'accepted_values',
    column: 'status',
    params: 'values: [new, paid, shipped]',
    pass: { column: 'status', test: t('accepted_values', 'values: [new, paid, shipped, bogus]') },
    unexpected: failing('status', "status NOT IN ('new', 'paid', 'shipped')"),
    element: nonNull('status'),
    expected: { element: 9, unexpected: 1 },
    mostly: [0.88, 0.89],
    where: "grp <> 'x'",
    nullOnly: 'id = 5',
  },
  {
    type: 'relationships',
    column: 'ref',
    params: "to: ref('refs'), field: id",
    pass: { column: 'ref', test: t('relationships', 'to: m, field: ref') },
    // NOT EXISTS, not NOT IN: refs.id holds a NULL.
    unexpected: (table, w) =>
      `SELECT count(*) FROM ${table} AS t WHERE t.ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refs WHERE refs.id = t.ref) AND (${w})`,
    element: nonNull('ref'),
    expected: { element: 9, unexpected: 1 },
    mostly: [0.88, 0.89],
    where: "grp <> 'x'",
    nullOnly: 'id = 5',
  },
  {
    type: 'between',
    column: 'val',
    params: 'min: 0, max: 100',
    pass: { column: 'val', test: t('between', 'min: 10, max: 999') },
    unexpected: failing('val', 'val < 0 OR val > 100'),
    element: nonNull('val'),
    expected: { element: 9, unexpected: 1 },
    mostly: [0.88, 0.89],
    where: "grp <> 'x'",
    nullOnly: 'id = 5',
  },
  {
    type: 'regex',
    column: 'code',
    params: "pattern: '^AB-[0-9]$'",
    pass: { column: 'code', test: t('regex', "pattern: '^[A-Za-z]'") },
    unexpected: failing('code', "NOT regexp_full_match(code, 'AB-[0-9]')"),
    element: nonNull('code'),
    expected: { element: 9, unexpected: 1 },
    mostly: [0.88, 0.89],
    where: "grp <> 'x'",
    nullOnly: 'id = 5',
  },
  {
    type: 'length',
    column: 'code',
    params: 'min: 4, max: 4',
    pass: { column: 'code', test: t('length', 'min: 2, max: 4') },
    unexpected: failing('code', 'length(code) <> 4'),
    element: nonNull('code'),
    expected: { element: 9, unexpected: 1 },
    mostly: [0.88, 0.89],
    where: "grp <> 'x'",
    nullOnly: 'id = 5',
  },
];

describe.each(COUNT_CASES)('$type', (c) => {
  let r: Record<string, CheckResult>;
  let h: Record<string, Json>;
  const { element: e, unexpected: u } = c.expected;
  const pct = (100 * u) / e;
  const below = Math.ceil(pct) - 1; // the share of failures is above this percent
  const at = Math.ceil(pct); // … and not above this one
  const on = (...parts: string[]): Variant => ({
    column: c.column,
    test: t(c.type, c.params, ...parts),
  });

  beforeAll(async () => {
    r = await runAll({
      fail: on(),
      pass: c.pass,
      severityWarn: on('severity: warn'),
      errorIfAbove: on(`error_if: ">${u}"`),
      errorIfAtLeast: on(`error_if: ">=${u}"`),
      errorIfPctBelow: on(`error_if: ">${below}%"`),
      errorIfPctAt: on(`error_if: ">${at}%"`),
      bothAbove: on(`error_if: ">${u}"`, `warn_if: ">${u}"`),
      pctBothAt: on(`error_if: ">${at}%"`, `warn_if: ">${at}%"`),
      warnSeverityErrorIf: on('severity: warn', 'error_if: ">=1"'),
      warnSeverityWarnIf: on('severity: warn', `warn_if: ">${u}"`),
      configBlock: on(`config: {error_if: ">${u}", warn_if: ">0"}`),
      mostlyMet: on(`mostly: ${c.mostly[0]}`),
      mostlyMissed: on(`mostly: ${c.mostly[1]}`),
      mostlyMissedWarn: on(`mostly: ${c.mostly[1]}`, 'severity: warn'),
      where: on(`where: "${c.where}"`),
      nullOnly: on(`where: "${c.nullOnly}"`),
      empty: { ...on(), table: 'empty' },
      emptyMostly: { ...on(`mostly: ${c.mostly[1]}`), table: 'empty' },
    });
    h = await hand({
      u: c.unexpected('m', 'true'),
      e: c.element('m', 'true'),
      rows: 'SELECT count(*) FROM m',
      uWhere: c.unexpected('m', c.where),
      eWhere: c.element('m', c.where),
      uNull: c.unexpected('m', c.nullOnly),
      eNull: c.element('m', c.nullOnly),
      uEmpty: c.unexpected('empty', 'true'),
      eEmpty: c.element('empty', 'true'),
    });
  });

  it('fail: counts equal the hand-written query', () => {
    expect(r.fail).toMatchObject({
      status: 'fail',
      elementCount: Number(h.e),
      unexpectedCount: Number(h.u),
    });
    expect([Number(h.e), Number(h.u)]).toEqual([e, u]);
    expect(r.fail?.unexpectedPercent).toBeCloseTo(pct, 9);
    expect(r.fail?.sample?.length).toBe(u);
  });

  it('pass', () => {
    expect(r.pass).toMatchObject({ status: 'pass', unexpectedCount: 0 });
  });

  it('warn: severity warn, warn_if / error_if by count and by percent', () => {
    expect(r.severityWarn?.status).toBe('warn');
    expect(r.errorIfAbove?.status).toBe('warn');
    expect(r.errorIfAtLeast?.status).toBe('fail');
    expect(r.errorIfPctBelow?.status).toBe('fail');
    expect(r.errorIfPctAt?.status).toBe('warn');
    expect(r.bothAbove?.status).toBe('pass');
    expect(r.pctBothAt?.status).toBe('pass');
    // With severity warn, error_if is not consulted; warn_if (default != 0) decides.
    expect(r.warnSeverityErrorIf?.status).toBe('warn');
    expect(r.warnSeverityWarnIf?.status).toBe('pass');
    expect(r.configBlock?.status).toBe('warn');
  });

  it('mostly: just met passes, just missed fails (or warns)', () => {
    expect(r.mostlyMet?.status).toBe('pass');
    expect(r.mostlyMissed?.status).toBe('fail');
    expect(r.mostlyMissedWarn?.status).toBe('warn');
    expect(r.mostlyMet).toMatchObject({ elementCount: e, unexpectedCount: u });
  });

  it('where: filters first, turning the failure into a pass', () => {
    expect(r.where).toMatchObject({
      status: 'pass',
      elementCount: Number(h.eWhere),
      unexpectedCount: Number(h.uWhere),
    });
    expect(Number(h.uWhere)).toBe(0);
    expect(Number(h.eWhere)).toBeGreaterThan(0);
  });

  it(c.nullsFail ? 'NULLs: counted as failures' : 'NULLs: neither fail nor count', () => {
    expect(r.nullOnly).toMatchObject({
      elementCount: Number(h.eNull),
      unexpectedCount: Number(h.uNull),
    });
    if (c.nullsFail) {
      expect(r.nullOnly?.status).toBe('fail');
      expect(Number(h.uNull)).toBeGreaterThan(0);
      expect(r.fail?.elementCount).toBe(Number(h.rows));
      expect(r.fail?.sample?.every((row) => row[c.column] === null)).toBe(true);
    } else {
      expect(r.nullOnly).toMatchObject({ status: 'pass', elementCount: 0, unexpectedCount: 0 });
      expect(r.fail?.elementCount).toBeLessThan(Number(h.rows));
      expect(r.fail?.sample?.some((row) => row[c.column] === null)).toBe(false);
    }
  });

  it('empty table: passes with nothing checked', () => {
    for (const v of [r.empty, r.emptyMostly])
      expect(v).toMatchObject({
        status: 'pass',
        elementCount: Number(h.eEmpty),
        unexpectedCount: Number(h.uEmpty),
      });
    expect([Number(h.eEmpty), Number(h.uEmpty)]).toEqual([0, 0]);
  });
});

describe('relationships: the referenced side', () => {
  it('an empty referenced table fails every non-null value', async () => {
    const r = await runAll({
      v: { column: 'ref', test: t('relationships', 'to: empty, field: ref') },
    });
    const h = await hand({
      u: 'SELECT count(*) FROM m WHERE ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM empty WHERE empty.ref = m.ref)',
    });
    expect(r.v).toMatchObject({ status: 'fail', unexpectedCount: Number(h.u), elementCount: 9 });
    expect(Number(h.u)).toBe(9);
  });
});

// ---------------------------------------------------------------------------------------------
// Aggregates over a column's values.

interface AggCase {
  type: CheckType;
  /** Parameters every variant carries (quantile's q). */
  extra: string;
  /** Hand-written: the aggregate of val. */
  expr: string;
  pass: string;
  fail: string;
  /** A filter that turns the failure into a pass. */
  where: string;
}

const AGG_CASES: AggCase[] = [
  {
    type: 'mean',
    extra: '',
    expr: 'avg(val)',
    pass: 'min: 150, max: 152',
    fail: 'max: 100',
    where: "grp <> 'x'",
  },
  {
    type: 'sum',
    extra: '',
    expr: 'sum(val)',
    pass: 'min: 1359, max: 1359',
    fail: 'max: 1000',
    where: "grp <> 'x'",
  },
  {
    type: 'min',
    extra: '',
    expr: 'min(val)',
    pass: 'min: 10',
    fail: 'min: 15',
    where: "grp <> 'a'",
  },
  {
    type: 'max',
    extra: '',
    expr: 'max(val)',
    pass: 'max: 999',
    fail: 'max: 100',
    where: "grp <> 'x'",
  },
  {
    type: 'stddev',
    extra: '',
    expr: 'stddev_samp(val)',
    pass: 'max: 1000',
    fail: 'max: 100',
    where: "grp <> 'x'",
  },
  // The filtered median is exactly 45: bounds are inclusive.
  {
    type: 'median',
    extra: '',
    expr: 'median(val)',
    pass: 'min: 50, max: 50',
    fail: 'max: 45',
    where: "grp <> 'x'",
  },
  {
    type: 'quantile',
    extra: 'q: 0.9',
    expr: 'quantile_cont(val, 0.9)',
    pass: 'min: 200',
    fail: 'max: 100',
    where: "grp <> 'x'",
  },
];

const near = (observed: Json | undefined, expected: Json): void => {
  expect(observed).not.toBeNull();
  expect(observed).not.toBeUndefined();
  expect(Number(observed)).toBeCloseTo(Number(expected), 9);
};

describe.each(AGG_CASES)('$type', (c) => {
  let r: Record<string, CheckResult>;
  let h: Record<string, Json>;
  const on = (...parts: string[]): Variant => ({
    column: 'val',
    test: t(c.type, c.extra, ...parts),
  });

  beforeAll(async () => {
    r = await runAll({
      pass: on(c.pass),
      fail: on(c.fail),
      severityWarn: on(c.fail, 'severity: warn'),
      where: on(c.fail, `where: "${c.where}"`),
      nullOnly: on(c.fail, 'where: "id = 5"'),
      empty: { ...on(c.fail), table: 'empty' },
    });
    h = await hand({
      all: `SELECT ${c.expr} FROM m`,
      nonNull: `SELECT ${c.expr} FROM m WHERE val IS NOT NULL`,
      where: `SELECT ${c.expr} FROM m WHERE ${c.where}`,
      nullOnly: `SELECT ${c.expr} FROM m WHERE id = 5`,
      empty: `SELECT ${c.expr} FROM empty`,
    });
  });

  it('pass and fail: the observed value equals the hand-written aggregate', () => {
    expect(r.pass?.status).toBe('pass');
    expect(r.fail?.status).toBe('fail');
    near(r.pass?.observed, h.all as Json);
    near(r.fail?.observed, h.all as Json);
  });

  it('warn: severity warn', () => {
    expect(r.severityWarn?.status).toBe('warn');
    near(r.severityWarn?.observed, h.all as Json);
  });

  it('where: filters first, turning the failure into a pass', () => {
    expect(r.where?.status).toBe('pass');
    near(r.where?.observed, h.where as Json);
  });

  it('NULLs: ignored; a column of NULLs only has nothing to measure and passes', () => {
    near(r.fail?.observed, h.nonNull as Json);
    expect(h.nullOnly).toBeNull();
    expect(r.nullOnly).toMatchObject({ status: 'pass', observed: null });
    expect(r.nullOnly?.message).toMatch(/no values/);
  });

  it('empty table: nothing to measure, passes saying so', () => {
    expect(h.empty).toBeNull();
    expect(r.empty).toMatchObject({ status: 'pass', observed: null });
    expect(r.empty?.message).toMatch(/no values/);
  });
});

// ---------------------------------------------------------------------------------------------
// Table-level and special checks.

describe('row_count', () => {
  let r: Record<string, CheckResult>;
  let h: Record<string, Json>;
  beforeAll(async () => {
    r = await runAll({
      pass: { test: t('row_count', 'min: 10, max: 10') },
      fail: { test: t('row_count', 'max: 9') },
      severityWarn: { test: t('row_count', 'max: 9', 'severity: warn') },
      where: { test: t('row_count', 'max: 9', `where: "grp <> 'x'"`) },
      emptyMin: { table: 'empty', test: t('row_count', 'min: 1') },
      emptyMax: { table: 'empty', test: t('row_count', 'max: 5') },
    });
    h = await hand({
      all: 'SELECT count(*) FROM m',
      where: "SELECT count(*) FROM m WHERE grp <> 'x'",
      empty: 'SELECT count(*) FROM empty',
      nullRows: 'SELECT count(*) FROM m WHERE val IS NULL',
    });
  });

  it('pass and fail: the observed count equals count(*)', () => {
    expect(r.pass).toMatchObject({ status: 'pass', observed: Number(h.all) });
    expect(r.fail).toMatchObject({ status: 'fail', observed: Number(h.all) });
  });
  it('warn: severity warn', () => {
    expect(r.severityWarn?.status).toBe('warn');
  });
  it('where: counts the filtered rows', () => {
    expect(r.where).toMatchObject({ status: 'pass', observed: Number(h.where) });
  });
  it('NULLs: rows with NULLs count', () => {
    expect(Number(h.nullRows)).toBe(1);
    expect(r.pass?.observed).toBe(10);
  });
  it('empty table: measures 0', () => {
    expect(Number(h.empty)).toBe(0);
    expect(r.emptyMin).toMatchObject({ status: 'fail', observed: 0 });
    expect(r.emptyMax).toMatchObject({ status: 'pass', observed: 0 });
  });
});

describe('freshness', () => {
  let r: Record<string, CheckResult>;
  let h: Record<string, Json>;
  const f = (...parts: string[]): Variant => ({ column: 'ts', test: t('freshness', ...parts) });
  beforeAll(async () => {
    // The newest ts is 09:00, an hour before NOW.
    r = await runAll({
      pass: f('error_after: {count: 2, period: hour}'),
      fail: f('error_after: {count: 30, period: minute}'),
      warnAfter: f(
        'warn_after: {count: 30, period: minute}',
        'error_after: {count: 1, period: day}',
      ),
      severityWarn: f('error_after: {count: 30, period: minute}', 'severity: warn'),
      where: f('error_after: {count: 1, period: day}', `where: "grp = 'x'"`),
      nullOnly: f('error_after: {count: 1, period: day}', 'where: "id = 5"'),
      empty: { ...f('error_after: {count: 1, period: day}'), table: 'empty' },
    });
    h = await hand({
      all: 'SELECT max(ts) FROM m',
      nonNull: 'SELECT max(ts) FROM m WHERE ts IS NOT NULL',
      where: "SELECT max(ts) FROM m WHERE grp = 'x'",
    });
  });

  it('pass and fail: the observed value is max(ts)', () => {
    expect(r.pass).toMatchObject({ status: 'pass', observed: h.all });
    expect(r.fail).toMatchObject({ status: 'fail', observed: h.all });
    expect(r.pass?.message).toContain('60 min old');
  });
  it('warn: warn_after, and error_after with severity warn', () => {
    expect(r.warnAfter?.status).toBe('warn');
    expect(r.severityWarn?.status).toBe('warn');
  });
  it('where: filters first (here to old rows only, so the pass becomes a failure)', () => {
    expect(r.where).toMatchObject({ status: 'fail', observed: h.where });
  });
  it('NULLs: ignored by max; only NULLs is nothing fresh', () => {
    expect(h.all).toEqual(h.nonNull);
    expect(r.nullOnly).toMatchObject({ status: 'fail', observed: null });
  });
  it('empty table: fails', () => {
    expect(r.empty).toMatchObject({ status: 'fail', observed: null });
    expect(r.empty?.message).toMatch(/no rows/);
  });
});

describe('schema', () => {
  let r: Record<string, CheckResult>;
  beforeAll(async () => {
    r = await runAll({
      pass: {
        test: t(
          'schema',
          "columns: {id: BIGINT, val: bigint, ts: 'TIMESTAMP WITH TIME ZONE'}",
          'forbidden: [ssn]',
        ),
      },
      exact: {
        test: t(
          'schema',
          `columns: [${SCHEMA.map((c) => c.name).join(', ')}]`,
          'allow_extra: false',
        ),
      },
      fail: { test: t('schema', 'columns: [id, nope]') },
      severityWarn: { test: t('schema', 'columns: [id, nope]', 'severity: warn') },
      // Two problems of four columns wanted: 50 %.
      errorIfAbove: { test: t('schema', 'columns: [id, val, nope, nada]', 'error_if: ">2"') },
      errorIfAtLeast: { test: t('schema', 'columns: [id, val, nope, nada]', 'error_if: ">=2"') },
      errorIfPctBelow: { test: t('schema', 'columns: [id, val, nope, nada]', 'error_if: ">49%"') },
      errorIfPctAt: { test: t('schema', 'columns: [id, val, nope, nada]', 'error_if: ">50%"') },
      emptyPass: {
        table: 'empty',
        test: t('schema', "columns: {id: BIGINT, ts: 'TIMESTAMP WITH TIME ZONE'}"),
      },
      // The spellings the empty table's schema was declared with, and other DuckDB aliases.
      aliases: { table: 'empty', test: t('schema', 'columns: {ts: TIMESTAMPTZ}') },
      aliasesData: { test: t('schema', 'columns: {id: INT8, grp: TEXT, ts: TIMESTAMPTZ}') },
      emptyFail: { table: 'empty', test: t('schema', 'columns: {id: VARCHAR}') },
    });
  });

  it('pass and fail', () => {
    expect(r.pass?.status).toBe('pass');
    expect(r.exact?.status).toBe('pass');
    expect(r.fail).toMatchObject({ status: 'fail', unexpectedCount: 1 });
    expect(r.fail?.message).toContain('missing column nope');
  });
  it('warn: severity warn, warn_if / error_if by count and by percent', () => {
    expect(r.severityWarn?.status).toBe('warn');
    expect(r.errorIfAbove).toMatchObject({ status: 'warn', unexpectedCount: 2, elementCount: 4 });
    expect(r.errorIfAtLeast?.status).toBe('fail');
    expect(r.errorIfPctBelow?.status).toBe('fail');
    expect(r.errorIfPctAt?.status).toBe('warn');
  });
  it('empty table: its declared schema is checked', () => {
    expect(r.emptyPass?.status).toBe('pass');
    expect(r.emptyFail?.status).toBe('fail');
  });
  it('type aliases name the same type (TIMESTAMPTZ is TIMESTAMP WITH TIME ZONE)', () => {
    // ingest accepted `TIMESTAMPTZ` for the empty table and stored DuckDB's spelling.
    expect(r.aliases).toMatchObject({ status: 'pass' });
    expect(r.aliasesData).toMatchObject({ status: 'pass' });
  });
});

describe('sql', () => {
  let r: Record<string, CheckResult>;
  let h: Record<string, Json>;
  const q = (query: string, ...parts: string[]): Variant => ({
    test: t('sql', `query: "${query}"`, ...parts),
  });
  beforeAll(async () => {
    r = await runAll({
      pass: q('SELECT * FROM m WHERE val > 5000'),
      fail: q('SELECT * FROM m WHERE val > 50'),
      severityWarn: q('SELECT * FROM m WHERE val > 50', 'severity: warn'),
      errorIfAbove: q('SELECT * FROM m WHERE val > 50', 'error_if: ">4"'),
      errorIfAtLeast: q('SELECT * FROM m WHERE val > 50', 'error_if: ">=4"'),
      bothAbove: q('SELECT * FROM m WHERE val > 50', 'error_if: ">4"', 'warn_if: ">4"'),
      empty: q('SELECT * FROM empty WHERE val > 50'),
    });
    h = await hand({
      fail: 'SELECT count(*) FROM m WHERE val > 50',
      empty: 'SELECT count(*) FROM empty WHERE val > 50',
    });
  });

  it('pass and fail: the count of rows returned', () => {
    expect(r.pass).toMatchObject({ status: 'pass', unexpectedCount: 0 });
    expect(Number(h.fail)).toBe(4);
    expect(r.fail).toMatchObject({
      status: 'fail',
      unexpectedCount: Number(h.fail),
      observed: Number(h.fail),
    });
    expect(r.fail?.sample).toHaveLength(4);
  });
  it('warn: severity warn, warn_if / error_if by count', () => {
    expect(r.severityWarn?.status).toBe('warn');
    expect(r.errorIfAbove?.status).toBe('warn');
    expect(r.errorIfAtLeast?.status).toBe('fail');
    expect(r.bothAbove?.status).toBe('pass');
  });
  it('empty table: passes', () => {
    expect(Number(h.empty)).toBe(0);
    expect(r.empty).toMatchObject({ status: 'pass', unexpectedCount: 0 });
  });
});
