// Helpers shared by the table tests: a fresh repository in a temp dir, fixture files, SQL over
// refs, Parquet fixtures written by DuckDB, and "nothing changed" checks for refused ingests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { type QueryResult, sqlString, withDuck } from '../../src/engine/duckdb.js';
import { withSqlSession } from '../../src/engine/session.js';
import { getTable } from '../../src/engine/tables.js';

export interface TestRepo {
  dir: string;
  repo: Repository;
  /** Writes `text` to `name` under the temp dir (creating folders) and returns its path. */
  file(name: string, text: string | Buffer): string;
  /** Runs `sql` in a session over `refs` (default: the default branch). */
  q(sql: string, refs?: string[]): Promise<QueryResult>;
  /** Rows of `sql`, in the order it returns them. */
  rows(sql: string, refs?: string[]): Promise<QueryResult['rows']>;
  close(): Promise<void>;
}

export async function openTestRepo(prefix = 'tables'): Promise<TestRepo> {
  const dir = mkdtempSync(join(tmpdir(), `sluice-${prefix}-`));
  const repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  const q = (sql: string, refs?: string[]) =>
    withSqlSession(repo, { refs, cacheDir: join(dir, 'cache') }, (s) => s.duck.query(sql));
  return {
    dir,
    repo,
    file(name, text) {
      const p = join(dir, 'in', name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    q,
    rows: async (sql, refs) => (await q(sql, refs)).rows,
    async close() {
      await repo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the result of a DuckDB SELECT to `path` as Parquet (or as `format`). */
export async function writeWithDuck(
  path: string,
  select: string,
  format: 'parquet' | 'csv' | 'json' | 'ndjson' = 'parquet',
): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  const opts =
    format === 'parquet'
      ? 'FORMAT parquet'
      : format === 'csv'
        ? 'FORMAT csv, HEADER true'
        : format === 'json'
          ? 'FORMAT json, ARRAY true'
          : 'FORMAT json';
  await withDuck({ threads: 1 }, (d) => d.run(`COPY (${select}) TO ${sqlString(path)} (${opts})`));
  return path;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Column name → type of a query's result. */
export const typesOf = (r: QueryResult): Record<string, string> =>
  Object.fromEntries(r.columns.map((c) => [c.name, c.type]));

/** What a refused write must leave as it was: the head, staging, and the table's files. */
export interface BranchState {
  head: string;
  status: string[];
  files: string[];
}

export async function branchState(
  repo: Repository,
  branch: string,
  table?: string,
): Promise<BranchState> {
  const head = (await repo.getBranch(branch)).head;
  const status = (await collect(repo.status(branch))).map((c) => `${c.type} ${c.path}`);
  let files: string[] = [];
  if (table) {
    try {
      files = (await getTable(repo, branch, table)).files.map((f) => `${f.path} ${f.address}`);
    } catch {
      files = [];
    }
  }
  return { head, status, files };
}

/**
 * `op` rejects with an error whose code is `code`; the branch's head, staging and the table's
 * files are as before. Returns the error for further checks.
 */
export async function expectRefused(
  repo: Repository,
  branch: string,
  table: string,
  op: () => Promise<unknown>,
  code: string,
): Promise<Error & { code: string; data: Record<string, unknown> }> {
  const before = await branchState(repo, branch, table);
  let caught: unknown;
  try {
    await op();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the operation should have been refused').toBeInstanceOf(Error);
  const err = caught as Error & { code: string; data: Record<string, unknown> };
  expect(err.code, err.message).toBe(code);
  expect(await branchState(repo, branch, table)).toEqual(before);
  return err;
}
