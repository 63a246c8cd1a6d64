// POST /repositories/{repository}/sql in-process: read-only SQL at one or more refs, the row limit
// (`truncated`), the time limit (QueryTimeoutError), and the refusals — bad SQL (SqlError, 400),
// a statement reaching past the refs' tables (ReadOnlySqlError, 403), a bad body (400), a ref the
// user may not read (403) — none of which changes anything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { as, type DataServer, dataServer, ingestCsv } from '../support/api-server-data.js';

let s: DataServer;
const url = '/api/v1/repositories/shop/sql';

beforeAll(async () => {
  s = await dataServer();
  await s.repo.createBranch('feat/x', { from: 'main' });
  await ingestCsv(s.repo, s.dir, 'orders', 'id,amount,status\n4,1,open\n', { branch: 'feat/x' });
}, 60_000);
afterAll(async () => s?.close());

const sql = (payload: unknown, user = 'viewer') =>
  s.app.inject({ method: 'POST', url, headers: as(user), payload: payload as object });

describe('POST …/sql', () => {
  test('answers columns and rows, as `sluice sql --json` (big integers as strings), plus truncated', async () => {
    const r = await sql({ query: 'SELECT id, status FROM orders ORDER BY id' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'status', type: 'VARCHAR' },
      ],
      rows: [
        { id: '1', status: 'paid' },
        { id: '2', status: 'open' },
        { id: '3', status: 'paid' },
      ],
      truncated: false,
    });
  });

  test('several statements run in order; the last one is answered', async () => {
    const r = await sql({
      query: 'CREATE TEMP TABLE t AS SELECT 41 AS x; SELECT x + 1 AS y FROM t;',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().rows).toEqual([{ y: 42 }]);
  });

  test('several refs: one schema each', async () => {
    const r = await sql({
      query:
        'SELECT (SELECT count(*) FROM main.orders) AS a, (SELECT count(*) FROM feat_x.orders) AS b',
      refs: ['main', 'feat/x'],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().rows).toEqual([{ a: '3', b: '4' }]);
  });

  test('the row limit cuts the answer and says so', async () => {
    const r = await sql({ query: 'SELECT * FROM range(10) t(i)', limit: 4 });
    expect(r.json().rows).toHaveLength(4);
    expect(r.json().truncated).toBe(true);
    const exact = await sql({ query: 'SELECT * FROM range(4) t(i)', limit: 4 });
    expect(exact.json().truncated).toBe(false);
  });

  test('an empty result still names its columns', async () => {
    const r = await sql({ query: 'SELECT id FROM orders WHERE false' });
    expect(r.json()).toEqual({
      columns: [{ name: 'id', type: 'BIGINT' }],
      rows: [],
      truncated: false,
    });
  });

  test('a query past its time limit is stopped: QueryTimeoutError, 400', async () => {
    const r = await sql({
      query: 'SELECT count(*) FROM range(1000000000000) a',
      timeoutMs: 200,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'QueryTimeoutError', data: { timeoutMs: 200 } });
  });

  test('bad SQL is SqlError (400); an unknown table too', async () => {
    const r = await sql({ query: 'SELEC 1' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('SqlError');
    expect((await sql({ query: 'SELECT * FROM nope' })).json().error.code).toBe('SqlError');
  });

  test('read-only always: files and settings are refused (ReadOnlySqlError, 403), nothing written', async () => {
    const out = join(s.dir, 'leak.csv');
    const copy = await sql({ query: `COPY (SELECT 1) TO '${out}'` }, 'admin');
    expect(copy.statusCode).toBe(403);
    expect(copy.json().error).toMatchObject({
      code: 'ReadOnlySqlError',
      data: { refused: 'file' },
    });
    expect(existsSync(out)).toBe(false);
    const read = await sql({ query: `SELECT * FROM read_csv('${join(s.dir, 'x.csv')}')` }, 'admin');
    expect(read.json().error.code).toBe('ReadOnlySqlError');
    const set = await sql({ query: 'SET threads = 1; SELECT 1' }, 'admin');
    expect(set.statusCode).toBe(403);
    expect(set.json().error).toMatchObject({
      code: 'ReadOnlySqlError',
      data: { refused: 'configuration' },
    });
  });

  test('the body is validated: missing query, limit and timeout bounds (400)', async () => {
    for (const body of [
      {},
      { query: '' },
      { query: 'SELECT 1', limit: 0 },
      { query: 'SELECT 1', limit: 100_001 },
      { query: 'SELECT 1', timeoutMs: 0 },
      { query: 'SELECT 1', refs: [] },
      { query: 'SELECT 1', extra: 1, limit: 'ten' },
    ]) {
      const r = await sql(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('InvalidArgumentError');
    }
    expect((await sql({ query: ' -- nothing\n' })).json().error.code).toBe('InvalidArgumentError');
  });

  test('an unknown ref is 404; repo:Read is asked on every ref', async () => {
    expect((await sql({ query: 'SELECT 1', refs: ['nope'] })).statusCode).toBe(404);
    expect((await sql({ query: 'SELECT 1' }, 'nobody')).statusCode).toBe(403);
    expect((await sql({ query: 'SELECT 1', refs: ['main', 'feat/x'] }, 'nobody')).statusCode).toBe(
      403,
    );
  });
});
