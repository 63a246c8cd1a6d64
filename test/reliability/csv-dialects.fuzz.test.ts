// CSV dialects, fuzzed: random tables (text with delimiters, quotes, newlines and Unicode in it;
// integers; empty cells) written as CSV with a random delimiter and quoting as RFC 4180 says,
// ingested with that delimiter, read back with SQL: every cell comes back as it went in. Seeded
// (SLUICE_TEST_SEED reruns a failure); few runs, each one ingests through DuckDB.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { ingest } from '../../src/tables/ingest.js';
import { testSeed } from '../engine/support.js';

const RUNS = Number(process.env.SLUICE_FUZZ_CSV_RUNS ?? 20);

let dir: string;
let repo: Repository;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-csv-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'fuzz' });
});
afterAll(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A cell written as RFC 4180 says: quoted when it holds the delimiter, a quote or a newline. */
const cell = (v: string, delim: string): string =>
  /["\r\n]/.test(v) || v.includes(delim) || v !== v.trim() || v === ''
    ? `"${v.replaceAll('"', '""')}"`
    : v;

const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(',', ';', '\t', '|', '"', "'", '\n', ' ', 'é', '漢', '🙂', '\\'),
      fc.string({ minLength: 1, maxLength: 3, unit: 'grapheme-ascii' }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((xs) => xs.join(''))
  // A text column keeps its type only if no value reads as something else; `x` keeps it text.
  .map((s) => `x${s}`);

describe('CSV dialects', () => {
  it('every cell of a random table comes back as it went in', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(',', ';', '\t', '|'),
        fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), text), {
          minLength: 1,
          maxLength: 12,
        }),
        async (delim, rows) => {
          const table = `t${n++}`;
          const file = join(dir, `${table}.csv`);
          const lines = ['id', 'label'].join(delim);
          const body = rows.map(([id, label]) => [String(id), cell(label, delim)].join(delim));
          writeFileSync(file, `${[lines, ...body].join('\n')}\n`);
          await ingest(repo, file, {
            table,
            format: 'csv',
            csv: { delimiter: delim },
            commit: { message: table },
          });
          const got = await withSqlSession(repo, { refs: ['main'] }, async (s) =>
            (await s.duck.query(`SELECT id, label FROM ${table}`)).rows.map((r) => [
              Number(r.id),
              String(r.label),
            ]),
          );
          const sort = (xs: [number, string][]) => xs.map((x) => JSON.stringify(x)).sort();
          expect(sort(got as [number, string][])).toEqual(sort(rows));
        },
      ),
      { seed: testSeed('fuzz-csv'), numRuns: RUNS },
    );
  });
});
