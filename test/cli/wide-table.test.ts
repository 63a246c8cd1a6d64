// Wide tables in bounded memory: on a 1,000-row table of 2,000 columns, `check suggest`, `check`
// with its ~4,000 suggested checks (results and profile stored, data docs written) and `table
// diff` (keyless and by key) each finish under 2 GB peak resident set, measured on the CLI as a
// child process (test/support/peak-rss.ts; a child over the limit is killed at once). Before the
// scans were batched, `check --no-store` took 6 GB here, `check suggest` 3.3 GB, the keyed diff
// 7.5 GB (and failed under the former 1 GB cap).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuck } from '../../src/engine/duckdb.js';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';
import { type MeasuredRun, runMeasured } from '../support/peak-rss.js';

const COLUMNS = 2000;
const ROWS = 1000;
const LIMIT = 2 * 10 ** 9;

const root = tempDir('sluice-cli-wide-');
const repo = join(root, 'repo');
const sluice = cliFor(repo);

/** Columns of four kinds in turn: integers, decimals, a 5-value category, dates. */
function columnsSql(): string {
  const exprs = ['i AS id'];
  for (let k = 1; k < COLUMNS; k++) {
    const kind = k % 4;
    exprs.push(
      kind === 0
        ? `(i * ${k}) % 1000 AS c${k}`
        : kind === 1
          ? `((i * 7 + ${k}) % 997) / 10.0 AS c${k}`
          : kind === 2
            ? `'v' || ((i + ${k}) % 5) AS c${k}`
            : `DATE '2024-01-01' + ((i + ${k}) % 300)::INT AS c${k}`,
    );
  }
  return exprs.join(', ');
}

/** Version 1 of the table, and version 2 with `c1` changed in every tenth row. */
async function writeData(v1: string, v2: string): Promise<void> {
  await withDuck({}, async (duck) => {
    await duck.run(
      `COPY (SELECT ${columnsSql()} FROM range(${ROWS}) t(i)) TO '${v1}' (FORMAT parquet)`,
    );
    await duck.run(
      `COPY (SELECT * REPLACE (CASE WHEN id % 10 = 0 THEN c1 + 1 ELSE c1 END AS c1) FROM '${v1}') TO '${v2}' (FORMAT parquet)`,
    );
  });
}

const measured = (args: string[]): Promise<MeasuredRun> =>
  runMeasured(repo, args, { limitBytes: LIMIT });

function expectBounded(r: MeasuredRun, what: string): void {
  const mb = (b: number): string => `${Math.round(b / 2 ** 20)} MB`;
  expect(r.killedOver, `${what} went over the limit (${mb(r.killedOver ?? 0)})`).toBeUndefined();
  expect(r.code, `${what}: ${r.stderr.slice(0, 500)}`).toBe(0);
  expect(r.peakBytes, `${what} peak ${mb(r.peakBytes)} in ${Math.round(r.ms)} ms`).toBeLessThan(
    LIMIT,
  );
  expect(r.peakBytes).toBeGreaterThan(0);
}

beforeAll(async () => {
  await buildOnce();
  const v1 = join(root, 'v1.parquet');
  const v2 = join(root, 'v2.parquet');
  await writeData(v1, v2);
  expect((await runCli(['init', repo, '-q'])).code).toBe(0);
  for (const [file, table, extra, msg] of [
    [v1, 'wide', [], 'wide v1'],
    [v1, 'widek', ['--key', 'id'], 'widek v1'],
    [v2, 'wide', ['--mode', 'overwrite'], 'wide v2'],
    [v2, 'widek', ['--mode', 'overwrite'], 'widek v2'],
  ] as const) {
    const r = await sluice(['ingest', file, '--table', table, ...extra, '-m', msg, '-q']);
    expect(r.code, r.stderr).toBe(0);
  }
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe(`a ${ROWS}-row table of ${COLUMNS} columns`, () => {
  it('check suggest, then check with every suggested check (stored, with data docs), under 2 GB', async () => {
    const suggest = await measured(['check', 'suggest', 'wide']);
    expectBounded(suggest, 'check suggest');
    mkdirSync(join(repo, 'checks'), { recursive: true });
    writeFileSync(join(repo, 'checks', 'wide.yml'), suggest.stdout);

    const html = join(root, 'docs.html');
    const check = await measured(['--json', 'check', '--html', html]);
    expectBounded(check, 'check');
    const run = JSON.parse(check.stdout).check;
    expect(run.results.length).toBeGreaterThan(2 * COLUMNS);
    expect(run.summary).toMatchObject({ fail: 0, error: 0, warn: 0 });
    expect(run.id).toEqual(expect.any(String));
    // A bounded number of scans, not one per check.
    expect(run.queries).toBeLessThan(run.results.length / 50);
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8').trimEnd().endsWith('</html>')).toBe(true);

    // The stored history is read back for the next page: still bounded.
    const again = await measured(['check', '--html', html]);
    expectBounded(again, 'second check');
    expect(statSync(html).size).toBeGreaterThan(0);
  }, 240_000);

  it('table diff, keyless and by key, under 2 GB', async () => {
    const keyless = await measured(['--json', 'table', 'diff', 'wide', 'main~3', 'main~1']);
    expectBounded(keyless, 'table diff (keyless)');
    const d = JSON.parse(keyless.stdout).diff;
    expect(d).toMatchObject({ added: ROWS / 10, removed: ROWS / 10, changed: 0 });
    expect(d.samples.added).toHaveLength(5);
    expect(Object.keys(d.samples.added[0])).toHaveLength(COLUMNS);

    // Under the former fixed 1 GB cap this diff failed with DuckDB's "Out of Memory".
    const keyed = await measured([
      '--json',
      'table',
      'diff',
      'widek',
      'main~2',
      'main',
      '--memory-limit',
      '1GB',
    ]);
    expectBounded(keyed, 'table diff (by key)');
    const k = JSON.parse(keyed.stdout).diff;
    expect(k).toMatchObject({ added: 0, removed: 0, changed: ROWS / 10, primaryKey: ['id'] });
    expect(k.samples.changed[0].key).toEqual({ id: '0' });
    expect(k.samples.changed[0].left.c1).not.toEqual(k.samples.changed[0].right.c1);

    const bad = await sluice([
      'table',
      'diff',
      'widek',
      'main~2',
      'main',
      '--memory-limit',
      'lots',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--memory-limit: expected a size/);
  }, 240_000);
});
