// Time travel and branch isolation: SQL at a tag or an old commit returns the data as it was after
// later overwrites and upserts (with the schema it had); an ingest into a branch changes nothing on
// main until the branch is merged; several refs can be queried side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSession, schemaNameOf, withSqlSession } from '../../src/engine/session.js';
import { ingest } from '../../src/tables/ingest.js';
import { collect, openTestRepo, type TestRepo, typesOf } from './support.js';

let t: TestRepo;
/** Commit ids of main after each step. */
const at: Record<string, string> = {};

const ids = async (ref: string, table = 'orders'): Promise<string[]> =>
  (
    await t.rows(
      `SELECT id || ':' || coalesce(CAST(status AS VARCHAR), '∅') AS r FROM ${table} ORDER BY id`,
      [ref],
    )
  ).map((r) => String(r.r));

/**
 * main: v1 = 3 orders (tag v1); then an append (2 more); then an upsert changing 2 and adding 1;
 * then an overwrite with a different schema (tag v4); then a staged, uncommitted append.
 */
beforeAll(async () => {
  t = await openTestRepo('time-travel');
  const step = async (name: string, file: string, text: string, opts: object) => {
    const r = await ingest(t.repo, t.file(file, text), {
      table: 'orders',
      key: ['id'],
      commit: { message: name },
      ...opts,
    });
    at[name] = (r.commit as { id: string }).id;
  };
  await step('v1', 'v1.csv', 'id,status\n1,new\n2,new\n3,new\n', {});
  await t.repo.createTag('v1', 'main');
  await step('append', 'a.csv', 'id,status\n4,new\n5,new\n', {});
  await step('upsert', 'u.csv', 'id,status\n2,paid\n5,paid\n6,new\n', { mode: 'upsert' });
  await step('overwrite', 'o.csv', 'id,status,total\n1,2,9.5\n7,1,3.25\n', { mode: 'overwrite' });
  await t.repo.createTag('v4', 'main');
  await ingest(t.repo, t.file('staged.csv', 'id,status,total\n8,3,1\n'), { table: 'orders' });
});
afterAll(async () => {
  await t.close();
});

describe('time travel', () => {
  it('a tag, a commit id, a short id and an ancestor ref each read the table as it was', async () => {
    const v1 = ['1:new', '2:new', '3:new'];
    expect(await ids('v1')).toEqual(v1);
    expect(await ids(at.v1 as string)).toEqual(v1);
    expect(await ids((at.v1 as string).slice(0, 12))).toEqual(v1);
    expect(await ids(at.append as string)).toEqual(['1:new', '2:new', '3:new', '4:new', '5:new']);
    const afterUpsert = ['1:new', '2:paid', '3:new', '4:new', '5:paid', '6:new'];
    expect(await ids(at.upsert as string)).toEqual(afterUpsert);
    expect(await ids('v4~1')).toEqual(afterUpsert);
    // A ref that is not an identifier is a schema with a sanitized name, as well as plain names.
    await t.repo.createTag('v1.0', at.v1 as string);
    expect(await t.rows('SELECT count(*) AS n FROM v1_0.orders', ['v1.0'])).toEqual([{ n: '3' }]);
    expect(await ids('v1.0')).toEqual(v1);
    expect(await ids('v4')).toEqual(['1:2', '7:1']);
    // The branch reads through its staging area; its head commit does not.
    expect(await ids('main')).toEqual(['1:2', '7:1', '8:3']);
  });

  it('an old commit keeps the schema it had; the overwrite changed it later', async () => {
    const old = await t.q('SELECT * FROM orders ORDER BY id', ['v1']);
    expect(typesOf(old)).toEqual({ id: 'BIGINT', status: 'VARCHAR' });
    const now = await t.q('SELECT * FROM orders ORDER BY id', ['v4']);
    expect(typesOf(now)).toEqual({ id: 'BIGINT', status: 'BIGINT', total: 'DOUBLE' });
    expect(now.rows).toEqual([
      { id: '1', status: '2', total: 9.5 },
      { id: '7', status: '1', total: 3.25 },
    ]);
  });

  it('several refs side by side: each is a schema', async () => {
    const refs = ['v1', at.upsert as string, 'main'];
    await withSqlSession(t.repo, { refs, cacheDir: `${t.dir}/cache` }, async (s) => {
      expect(s.attached.map((a) => [a.ref, a.schema, a.tables])).toEqual([
        ['v1', 'v1', ['orders']],
        [at.upsert, schemaNameOf(at.upsert as string), ['orders']],
        ['main', 'main', ['orders']],
      ]);
      const up = schemaNameOf(at.upsert as string);
      const changed = await s.duck.query(
        `SELECT n.id, o.status AS was, n.status AS now FROM v1.orders o JOIN "${up}".orders n USING (id) WHERE o.status IS DISTINCT FROM n.status ORDER BY n.id`,
      );
      expect(changed.rows).toEqual([{ id: '2', was: 'new', now: 'paid' }]);
      const counts = await s.duck.query(
        `SELECT (SELECT count(*) FROM v1.orders) AS a, (SELECT count(*) FROM "${up}".orders) AS b, (SELECT count(*) FROM main.orders) AS c`,
      );
      expect(counts.rows).toEqual([{ a: '3', b: '6', c: '3' }]);
    });
  });

  it('two refs with the same schema name are refused', async () => {
    await t.repo.createBranch('feat-x');
    await t.repo.createBranch('feat_x');
    await expect(SqlSession.open(t.repo, { refs: ['feat-x', 'feat_x'] })).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    await expect(SqlSession.open(t.repo, { refs: ['no-such-ref'] })).rejects.toMatchObject({
      code: 'RefNotFoundError',
    });
  });
});

describe('branch isolation', () => {
  it('an ingest into a branch is invisible on main until merged', async () => {
    await t.repo.commit('main', { message: 'the staged append' });
    const mainHead = (await t.repo.getBranch('main')).head;
    const mainRows = await ids('main');
    await t.repo.createBranch('dev');

    await ingest(t.repo, t.file('dev1.csv', 'id,status,total\n9,1,1\n'), {
      table: 'orders',
      branch: 'dev',
    });
    await ingest(t.repo, t.file('dev2.csv', 'id,status,total\n1,5,0\n'), {
      table: 'orders',
      branch: 'dev',
      mode: 'upsert',
    });
    await ingest(t.repo, t.file('cust.ndjson', '{"cid": 1, "name": "Ada"}\n'), {
      table: 'customers',
      branch: 'dev',
    });
    // An ingest's own commit would take only its own files; the branch's commit takes all three.
    await t.repo.commit('dev', { message: 'dev work' });

    // main: nothing changed, nothing staged, same head, no new table.
    expect(await ids('main')).toEqual(mainRows);
    expect(await collect(t.repo.status('main'))).toEqual([]);
    expect((await t.repo.getBranch('main')).head).toBe(mainHead);
    await expect(t.q('SELECT * FROM customers')).rejects.toMatchObject({ code: 'SqlError' });
    // dev sees its own work.
    expect(await ids('dev')).toEqual(['1:5', '7:1', '8:3', '9:1']);

    // Both at once.
    await withSqlSession(t.repo, { refs: ['main', 'dev'] }, async (s) => {
      const diff = await s.duck.query(
        'SELECT id, status FROM dev.orders EXCEPT SELECT id, status FROM main.orders ORDER BY id',
      );
      expect(diff.rows).toEqual([
        { id: '1', status: '5' },
        { id: '9', status: '1' },
      ]);
    });

    const merged = await t.repo.merge('dev', 'main');
    expect(merged.upToDate).toBe(false);
    expect(await ids('main')).toEqual(['1:5', '7:1', '8:3', '9:1']);
    expect(await t.rows('SELECT cid, name FROM customers')).toEqual([{ cid: '1', name: 'Ada' }]);
    // ... and main's history still holds what was there before the merge.
    expect(await ids(mainHead)).toEqual(mainRows);
  });

  it('concurrent ingests on two branches into different tables merge cleanly', async () => {
    await t.repo.createBranch('left');
    await t.repo.createBranch('right');
    await ingest(t.repo, t.file('l.csv', 'k\n1\n'), {
      table: 'left_t',
      branch: 'left',
      commit: { message: 'l' },
    });
    await ingest(t.repo, t.file('r.csv', 'k\n2\n'), {
      table: 'right_t',
      branch: 'right',
      commit: { message: 'r' },
    });
    await t.repo.merge('left', 'main');
    await t.repo.merge('right', 'main');
    expect(
      await t.rows('SELECT (SELECT k FROM left_t) AS l, (SELECT k FROM right_t) AS r'),
    ).toEqual([{ l: '1', r: '2' }]);
  });
});
