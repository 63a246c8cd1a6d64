// Checks that read history: row_count_change (vs the previous commit or a ref) and anomaly
// (a profile metric vs its stored history). Neither fails before its history exists; both catch
// an injected spike after. Runs, results and profiles are stored in the MetaStore.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { profileTable } from '../../src/quality/profile.js';
import { runChecks } from '../../src/quality/run.js';
import { parseSpecText } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;
let n = 0;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-history-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Commits a batch of rows (amount values) to table t with the given mode. */
async function load(amounts: number[], mode: 'append' | 'overwrite' = 'append'): Promise<void> {
  const p = join(dir, `b${n++}.csv`);
  writeFileSync(p, `id,amount\n${amounts.map((a, i) => `${n * 1000 + i},${a}`).join('\n')}\n`);
  await ingest(repo, p, { table: 't', mode, commit: { message: `batch ${n}` } });
}

const specs = (tests: string) =>
  parseSpecText(`version: 2\nmodels:\n  - name: t\n${tests}`, 'checks/t.yml');

describe('the profile', () => {
  it('is computed (in the same scan) only when stored or needed by an anomaly check', async () => {
    await load([1, 2, 3]);
    const plain = specs('    columns:\n      - name: amount\n        tests: [not_null]\n');
    expect((await runChecks(repo, plain)).profiles).toEqual([]);
    const stored = await runChecks(repo, plain, { store: true });
    expect(stored.profiles).toEqual([expect.objectContaining({ table: 't', rows: 3 })]);
    // The footers' metadata, then the one scan (which measures nothing more for the profile).
    expect(stored.queries).toBe(2);
    const watched = specs(
      '    columns:\n      - name: amount\n        tests: [{anomaly: {metric: mean}}]\n',
    );
    expect((await runChecks(repo, watched)).profiles).toHaveLength(1);
  });

  it("a check run's profile: counts and ranges from the footers equal a full scan's, across files and an added column", async () => {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const day = (i: number) => `2024-0${1 + (i % 9)}-1${i % 10}`;
    const rows = (from: number, k: number, withNote: boolean) =>
      Array.from({ length: k }, (_, j) => {
        const i = from + j;
        const amount = i % 4 === 0 ? '' : String((i * 37) % 1000) + '.25';
        return [
          i,
          amount,
          i % 5 === 0 ? '' : day(i),
          ...(withNote ? [i % 3 ? `n${i}` : ''] : []),
        ].join(',');
      }).join('\n');
    await ingest(repo, write('a.csv', `id,amount,day\n${rows(0, 40, false)}\n`), {
      table: 't',
      commit: { message: 'a' },
    });
    await ingest(repo, write('b.csv', `id,amount,day,note\n${rows(40, 30, true)}\n`), {
      table: 't',
      commit: { message: 'b' },
    });
    await ingest(repo, write('c.csv', `id,amount,day,note\n${rows(70, 7, true)}\n`), {
      table: 't',
      commit: { message: 'c' },
    });
    const plain = specs('    columns:\n      - name: id\n        tests: [not_null]\n');
    const run = await runChecks(repo, plain, { store: true });
    const light = run.profiles[0];
    const full = (await profileTable(repo, 't', { store: false })).profile;
    expect(light?.rows).toBe(77);
    for (const [name, c] of Object.entries(full.columns)) {
      const l = light?.columns[name];
      expect({ name, nulls: l?.nulls, min: l?.min, max: l?.max }).toEqual({
        name,
        nulls: c.nulls,
        min: c.min,
        max: c.max,
      });
      // Nothing that needs every value: no anomaly check watches these columns.
      expect(l?.distinct).toBeUndefined();
      expect(l?.mean).toBeUndefined();
    }
    // The 40 rows of the first file have no note: NULLs, as the table's view reads them.
    expect(light?.columns.note?.nulls).toBe(40 + 10 + 2);
    expect(light?.columns.amount?.nulls).toBe(20);
    expect(full.columns.amount?.distinct).toBeGreaterThan(0);

    // Stored profiles of one commit merge: a full profile fills in, a later check run keeps it.
    const head = run.commit;
    const stored = async () =>
      JSON.parse((await repo.meta.getProfiles(repo.name, 't', [head]))[0]?.data ?? '{}');
    expect((await stored()).columns.amount.distinct).toBeUndefined();
    await profileTable(repo, 't');
    await runChecks(repo, plain, { store: true });
    expect((await stored()).columns.amount).toMatchObject({
      nulls: 20,
      distinct: full.columns.amount?.distinct,
      mean: full.columns.amount?.mean,
    });

    // An anomaly check's column gets the metrics that need every value, in the same scan.
    const watched = await runChecks(
      repo,
      specs(
        '    columns:\n      - name: amount\n        tests: [{anomaly: {metric: distinct_count}}]\n',
      ),
    );
    expect(watched.queries).toBe(2);
    expect(watched.profiles[0]?.columns.amount).toMatchObject({
      distinct: full.columns.amount?.distinct,
      mean: full.columns.amount?.mean,
      median: full.columns.amount?.median,
    });
    expect(watched.profiles[0]?.columns.id?.distinct).toBeUndefined();
  });
});

describe('row_count_change', () => {
  it('passes without an earlier version, then compares with the previous commit', async () => {
    const s = specs(
      '    tests:\n      - row_count_change: {max_increase_pct: 10, max_decrease_pct: 5}\n',
    );
    await load(Array.from({ length: 100 }, () => 1));
    let [r] = (await runChecks(repo, s)).results;
    expect(r).toMatchObject({ status: 'pass' });
    expect(r?.message).toContain('no earlier version');
    await load(Array.from({ length: 5 }, () => 1));
    [r] = (await runChecks(repo, s)).results;
    expect(r).toMatchObject({ status: 'pass', observed: 5 });
    await load(Array.from({ length: 50 }, () => 1));
    [r] = (await runChecks(repo, s)).results;
    expect(r?.status).toBe('fail');
    expect(r?.message).toContain('105 → 155 rows');
    await load(
      Array.from({ length: 100 }, () => 1),
      'overwrite',
    );
    [r] = (await runChecks(repo, s)).results;
    expect(r).toMatchObject({ status: 'fail' }); // 155 → 100 is −35 %
  });

  it('compare_to a ref: a branch against main', async () => {
    await load(Array.from({ length: 10 }, () => 1));
    await repo.createBranch('dev');
    const s = specs(
      '    tests:\n      - row_count_change: {compare_to: main, max_increase_pct: 50, severity: warn}\n',
    );
    await ingest(repo, writeCsv('d.csv', 'id,amount\n1,1\n2,1\n3,1\n4,1\n5,1\n6,1\n'), {
      table: 't',
      branch: 'dev',
      commit: { message: 'more' },
    });
    const [r] = (await runChecks(repo, s, { ref: 'dev' })).results;
    expect(r).toMatchObject({ status: 'warn', observed: 60 });
  });
});

function writeCsv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('anomaly', () => {
  it('collects history first, then flags a spike by z-score; profiles are stored per commit', async () => {
    const s = specs(
      '    columns:\n      - name: amount\n        tests:\n          - anomaly: {metric: mean, min_history: 5, sensitivity: 3}\n',
    );
    const means = [100, 102, 98, 101, 99, 100];
    for (const [i, m] of means.entries()) {
      await load([m - 1, m, m + 1], 'overwrite');
      const run = await runChecks(repo, s, { store: true });
      const [r] = run.results;
      expect(r?.status).toBe('pass');
      if (i < 5) expect(r?.message).toBe(`collecting history: ${i} of 5 profiles`);
      else expect(r?.message).toMatch(/over 5 commits: z = 0\.\d+/);
    }
    // The spike: a batch whose mean is far outside the history.
    await load([999, 1000, 1001], 'overwrite');
    const spike = await runChecks(repo, s, { store: true });
    expect(spike.results[0]).toMatchObject({ status: 'fail', observed: 1000 });
    expect(spike.results[0]?.message).toContain('over 6 commits');

    // Stored: seven runs with their results, and a profile for each commit.
    const runs = await repo.meta.listCheckRuns(repo.name);
    expect(runs).toHaveLength(7);
    expect(runs[0]).toMatchObject({ status: 'fail', commitId: spike.commit });
    const results = await repo.meta.listCheckResults(repo.name, { table: 't' });
    expect(results.map((x) => x.status)).toEqual([
      'fail',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(JSON.parse(results[0]?.data ?? '{}')).toMatchObject({
      id: 't.amount.anomaly',
      observed: 1000,
    });
    const profiles = await repo.meta.getProfiles(repo.name, 't', [spike.commit]);
    expect(JSON.parse(profiles[0]?.data ?? '{}')).toMatchObject({
      rows: 3,
      columns: { amount: { mean: 1000, nulls: 0, min: 999, max: 1001 } },
    });
  });

  it('row_count anomaly at table level; a dirty branch stores no profile for its head', async () => {
    const s = specs('    tests:\n      - anomaly: {metric: row_count, min_history: 3}\n');
    for (const k of [10, 11, 10, 12]) {
      await load(
        Array.from({ length: k }, () => 1),
        'overwrite',
      );
      await runChecks(repo, s, { store: true });
    }
    await ingest(
      repo,
      writeCsv(
        'x.csv',
        `id,amount\n${Array.from({ length: 500 }, (_, i) => `${i},1`).join('\n')}\n`,
      ),
      {
        table: 't',
      },
    );
    const head = (await repo.getCommit('main')).id;
    const dirty = await runChecks(repo, s, { store: true });
    expect(dirty.results[0]).toMatchObject({ status: 'fail', observed: 512 });
    // The profile of head+staging must not be stored as the head's.
    const stored = await repo.meta.getProfiles(repo.name, 't', [head]);
    expect(JSON.parse(stored[0]?.data ?? '{}').rows).toBe(12);
    const p = await profileTable(repo, 't');
    expect(p).toMatchObject({ stored: false, profile: { rows: 512 } });
  });
});
