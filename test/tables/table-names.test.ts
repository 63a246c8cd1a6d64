// Table names are unique regardless of case, as SQL identifiers are: `Orders` where `orders` is
// refused with TableNameConflictError naming both spellings, before anything is written — so
// every query on the branch keeps working.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/api/open-repository.js';
import { TableNameConflictError } from '../../src/common/errors.js';
import { ingest } from '../../src/tables/ingest.js';
import { openTestRepo, type TestRepo } from './support.js';

let t: TestRepo;
beforeEach(async () => {
  t = await openTestRepo('names');
});
afterEach(async () => {
  await t.close();
});

async function refused(p: Promise<unknown>): Promise<TableNameConflictError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TableNameConflictError);
  return err as TableNameConflictError;
}

async function staged(branch = 'main'): Promise<number> {
  let n = 0;
  for await (const _ of t.repo.status(branch)) n++;
  return n;
}

describe('a table name that differs only in case', () => {
  it('is refused by ingest, naming both spellings, and changes nothing', async () => {
    const csv = t.file('a.csv', 'id,amount\n1,10\n');
    await ingest(t.repo, csv, { table: 'orders', commit: { message: 'orders' } });
    const head = (await t.repo.getBranch('main')).head;
    for (const table of ['Orders', 'ORDERS', 'oRdErS']) {
      const err = await refused(ingest(t.repo, csv, { table }));
      expect(err.data).toEqual({ table, existing: 'orders', ref: 'main' });
      expect(err.message).toContain(`table ${table} would clash with table orders on main`);
    }
    expect((await t.repo.getBranch('main')).head).toBe(head);
    expect(await staged()).toBe(0);
    // Queries, and writes to the table under its own name, still work.
    expect(await t.rows('SELECT count(*)::INTEGER AS n FROM orders')).toEqual([{ n: 1 }]);
    await ingest(t.repo, csv, { table: 'orders' });
    expect(await t.rows('SELECT count(*)::INTEGER AS n FROM orders')).toEqual([{ n: 2 }]);
  });

  it('counts a table staged but not committed yet, and only on its branch', async () => {
    const csv = t.file('a.csv', 'id\n1\n');
    await ingest(t.repo, csv, { table: 'Customers' });
    const err = await refused(ingest(t.repo, csv, { table: 'customers' }));
    expect(err.data).toEqual({ table: 'customers', existing: 'Customers', ref: 'main' });
    await t.repo.commit('main', { message: 'customers' });
    // Another branch without the table takes either spelling.
    await t.repo.createBranch('other', { from: 'main~1' });
    await ingest(t.repo, csv, { table: 'customers', branch: 'other' });
  });

  it('is refused when a merge or cherry-pick would bring both spellings together', async () => {
    const csv = t.file('a.csv', 'id\n1\n');
    await t.repo.createBranch('lower');
    await t.repo.createBranch('upper');
    await ingest(t.repo, csv, { table: 'orders', branch: 'lower', commit: { message: 'lower' } });
    await ingest(t.repo, csv, { table: 'Orders', branch: 'upper', commit: { message: 'upper' } });
    await t.repo.merge('lower', 'main');
    // Opened as every client opens it: with the write policy that judges each head move.
    const repo = await openRepository(join(t.dir, 'repo'));
    try {
      const head = (await t.repo.getBranch('main')).head;
      const upper = (await t.repo.getBranch('upper')).head;
      for (const attempt of [
        () => repo.merge('upper', 'main'),
        () => repo.cherryPick('main', upper),
      ]) {
        const err = await refused(attempt());
        expect(err.data).toEqual({ table: 'Orders', existing: 'orders', ref: 'main' });
        expect(err.message).toContain('would bring table Orders beside table orders');
        expect((await t.repo.getBranch('main')).head).toBe(head);
      }
      // The handle initRepository gave carries the same policy as one openRepository gives.
      expect((await refused(t.repo.merge('upper', 'main'))).data.ref).toBe('main');
      // The other way round too: main's `orders` merged into the branch that has `Orders`.
      const err = await refused(repo.merge('main', 'upper'));
      expect(err.data).toMatchObject({ existing: 'Orders', ref: 'upper' });
      expect((await t.repo.getBranch('upper')).head).toBe(upper);
      expect(await t.rows('SELECT count(*)::INTEGER AS n FROM orders')).toEqual([{ n: 1 }]);
    } finally {
      await repo.close();
    }
  });

  it('is not a clash with a folder of files that is not a table', async () => {
    await t.repo.putObject('main', 'tables/Events/notes.txt', Buffer.from('just a file\n'));
    await ingest(t.repo, t.file('e.csv', 'id\n1\n'), { table: 'events' });
    expect(await t.rows('SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 1 }]);
  });
});
