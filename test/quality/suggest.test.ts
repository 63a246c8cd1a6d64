// `suggestChecks`: the YAML it proposes parses, follows the rules (completeness, exact uniqueness,
// categorical sets, widened numeric and exact temporal ranges, row count) and passes on the data
// it was suggested from — and catches data that breaks them afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { runChecks } from '../../src/quality/run.js';
import { parseSpecText } from '../../src/quality/spec.js';
import { numericRange, suggestChecks } from '../../src/quality/suggest.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;

const STATUSES = ['new', 'paid', 'shipped'];
const N = 1000;

/** 1,000 rows: keys, a near-key with one duplicate, categories, a sparse and a mostly-full column. */
function ordersCsv(): string {
  const lines = ['id,dup,status,country,email,note,amount,day,flag'];
  for (let i = 1; i <= N; i++) {
    lines.push(
      [
        i,
        i === N ? 1 : i,
        STATUSES[i % 3],
        `C${i % 25}`,
        i % 20 === 0 ? '' : `u${i}@example.com`,
        i % 2 === 0 ? '' : `note ${i % 7}`,
        (i - 1) * 0.5,
        `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
        i % 2 === 0 ? 'true' : 'false',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-suggest-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  await ingest(repo, file('orders.csv', ordersCsv()), {
    table: 'orders',
    commit: { message: 'orders' },
  });
  await ingest(repo, file('empty.csv', 'id,v\n'), {
    table: 'empty',
    schema: [
      { name: 'id', type: 'BIGINT' },
      { name: 'v', type: 'VARCHAR' },
    ],
    commit: { message: 'empty' },
  });
});
afterAll(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

type Tests = (string | Record<string, Record<string, unknown>>)[];

/** The tests of each column, from the YAML. */
function testsByColumn(yaml: string): { table: Tests; columns: Record<string, Tests> } {
  const doc = parse(yaml) as {
    version: number;
    models: { name: string; tests?: Tests; columns?: { name: string; tests: Tests }[] }[];
  };
  expect(doc.version).toBe(2);
  const m = doc.models[0];
  return {
    table: m?.tests ?? [],
    columns: Object.fromEntries((m?.columns ?? []).map((c) => [c.name, c.tests])),
  };
}

describe('suggestChecks', () => {
  it('proposes dbt YAML by the rules, which parses and passes on the same data', async () => {
    const s = await suggestChecks(repo, 'orders');
    const { table, columns } = testsByColumn(s.yaml);
    expect(s.yaml).toMatch(/^# Checks suggested by `sluice check suggest orders`/);
    expect(table).toEqual([{ row_count: { min: 1 } }]);
    // Keys: complete, unique (verified exactly), range widened by 10 % and rounded, min kept ≥ 0.
    expect(columns.id).toEqual(['not_null', 'unique', { between: { min: 0, max: 1100 } }]);
    // One duplicate among 1,000 values: the estimate cannot tell, the exact count can.
    expect(columns.dup).toEqual(['not_null', { between: { min: 0, max: 1100 } }]);
    // Categorical text: the exact values, sorted.
    expect(columns.status).toEqual(['not_null', { accepted_values: { values: STATUSES } }]);
    // 25 distinct values is more than 20: no accepted_values.
    expect(columns.country).toEqual(['not_null']);
    // 95 % complete: mostly, rounded down; the values are distinct.
    expect(columns.email).toEqual([{ not_null: { mostly: 0.95 } }, 'unique']);
    // Half NULL: no completeness check; 7 distinct repeating values.
    expect(columns.note).toEqual([
      {
        accepted_values: {
          values: ['note 0', 'note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'note 6'],
        },
      },
    ]);
    expect(columns.amount).toEqual(['not_null', { between: { min: 0, max: 550 } }]);
    // Dates: the observed range as it is, quoted.
    expect(columns.day).toEqual([
      'not_null',
      { between: { min: '2026-01-01', max: '2026-01-28' } },
    ]);
    expect(s.yaml).toContain('between: {min: "2026-01-01", max: "2026-01-28"}');
    // Booleans are never unique keys nor categories.
    expect(columns.flag).toEqual(['not_null']);

    const specs = parseSpecText(s.yaml, 'checks/orders.yml');
    expect(specs).toHaveLength(s.checks);
    expect(s.checks).toBe(17);
    const run = await runChecks(repo, specs);
    expect(run.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(run.status).toBe('pass');
  });

  it('the suggested checks catch data that breaks them; --ref suggests from that ref', async () => {
    const before = await suggestChecks(repo, 'orders');
    await repo.createBranch('bad');
    await ingest(
      repo,
      file(
        'bad.csv',
        'id,dup,status,country,email,note,amount,day,flag\n1,2,lost,C1,,x,-3,2025-12-31,true\n',
      ),
      { table: 'orders', branch: 'bad', commit: { message: 'bad row' } },
    );
    const run = await runChecks(repo, parseSpecText(before.yaml, 'checks/orders.yml'), {
      ref: 'bad',
    });
    const failed = run.results.filter((r) => r.status === 'fail').map((r) => r.id);
    expect(failed).toEqual(
      expect.arrayContaining([
        'orders.id.unique',
        'orders.status.accepted_values',
        'orders.amount.between',
        'orders.day.between',
      ]),
    );
    // Suggested from the bad branch, the checks fit that data again.
    const after = await suggestChecks(repo, 'orders', { ref: 'bad' });
    expect(after.yaml).not.toBe(before.yaml);
    expect(testsByColumn(after.yaml).columns.status).toEqual([
      'not_null',
      { accepted_values: { values: ['lost', ...STATUSES] } },
    ]);
    const again = await runChecks(repo, parseSpecText(after.yaml, 'checks/orders.yml'), {
      ref: 'bad',
    });
    expect(again.status).toBe('pass');
  });

  it('an empty table gets no checks, and the YAML still parses', async () => {
    const s = await suggestChecks(repo, 'empty');
    expect(s.checks).toBe(0);
    expect(parseSpecText(s.yaml, 'checks/empty.yml')).toEqual([]);
  });

  it('numericRange widens by 10 % of the range, rounds outward, keeps integers and min ≥ 0', () => {
    expect(numericRange(1, 6, true)).toEqual({ min: 0, max: 7 });
    expect(numericRange(-5, 60, false)).toEqual({ min: -12, max: 67 });
    expect(numericRange(0.1, 0.3, false)).toEqual({ min: 0.08, max: 0.32 });
    expect(numericRange(100, 100, true)).toEqual({ min: 100, max: 100 });
    expect(numericRange(1000, 1010, true)).toEqual({ min: 999, max: 1011 });
    expect(numericRange(null, 3, true)).toBeUndefined();
    expect(numericRange(Number.NaN, 3, false)).toBeUndefined();
    for (const [a, b] of [
      [0.1, 0.7],
      [-1e-9, 3.3e-9],
      [12345.678, 12345.679],
      [-7, -2],
    ] as const) {
      const r = numericRange(a, b, false);
      expect(r && r.min <= a && r.max >= b).toBe(true);
    }
  });
});
