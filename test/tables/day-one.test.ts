// What a first day of real use ran into: JSON exports whose batches have all-null columns or
// nested objects that gain or lack fields, European CSVs (`;` and a decimal comma), refs whose
// schema names differ only in case, nested values in CSV output, and the message of an upsert
// into a table that does not exist yet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSqlSession } from '../../src/engine/session.js';
import { getTable } from '../../src/engine/tables.js';
import { ingest } from '../../src/tables/ingest.js';
import { exportTable } from '../../src/tables/table-ops.js';
import { expectRefused, openTestRepo, type TestRepo, typesOf } from './support.js';

let t: TestRepo;
beforeEach(async () => {
  t = await openTestRepo('day-one');
});
afterEach(async () => {
  await t.close();
});

describe('JSON columns with no values', () => {
  it('a new table makes an all-null column text, and a later batch of nulls appends', async () => {
    const a = t.file('a.ndjson', '{"id": 1, "v": null, "n": null}\n');
    const r1 = await ingest(t.repo, a, { table: 'j' });
    expect(typesOf(await t.q('SELECT * FROM j'))).toEqual({
      id: 'BIGINT',
      v: 'VARCHAR',
      n: 'VARCHAR',
    });
    expect(r1.columns.map((c) => c.type)).toEqual(['BIGINT', 'VARCHAR', 'VARCHAR']);
    await ingest(t.repo, t.file('b.ndjson', '{"id": 2, "v": "x", "n": null}\n'), { table: 'j' });
    const c = t.file('c.ndjson', '{"id": 3, "v": null, "n": null}\n{"id": 4}\n');
    const r3 = await ingest(t.repo, c, { table: 'j' });
    expect(r3.schemaChanges).toEqual([]);
    expect(await t.rows('SELECT id, v FROM j ORDER BY id')).toEqual([
      { id: '1', v: null },
      { id: '2', v: 'x' },
      { id: '3', v: null },
      { id: '4', v: null },
    ]);
  });
});

describe('nested JSON objects that change between batches', () => {
  const first = '{"id": 1, "customer": {"name": "A", "addr": {"city": "Paris"}}, "tags": ["x"]}\n';

  it('an object lacking a field appends, the field reading NULL', async () => {
    await ingest(t.repo, t.file('a.ndjson', first), { table: 'o' });
    const r = await ingest(t.repo, t.file('b.ndjson', '{"id": 2, "customer": {"name": "B"}}\n'), {
      table: 'o',
    });
    expect(r.schemaChanges).toEqual([]);
    expect(await t.rows('SELECT id, customer.addr.city AS city FROM o ORDER BY id')).toEqual([
      { id: '1', city: 'Paris' },
      { id: '2', city: null },
    ]);
  });

  it('an object with a new field widens the column; older rows read it as NULL', async () => {
    await ingest(t.repo, t.file('a.ndjson', first), { table: 'o', key: ['id'] });
    const b = t.file(
      'b.ndjson',
      '{"id": 2, "customer": {"name": "B", "addr": {"city": "Oslo", "zip": "0150"}, "vip": true}}\n',
    );
    const r = await ingest(t.repo, b, { table: 'o' });
    expect(r.schemaChanges).toHaveLength(1);
    expect(r.schemaChanges[0]).toMatchObject({ column: 'customer', change: 'retyped' });
    const rows = await t.rows(
      'SELECT id, customer.addr.city AS city, customer.addr.zip AS zip, customer.vip AS vip FROM o ORDER BY id',
    );
    expect(rows).toEqual([
      { id: '1', city: 'Paris', zip: null, vip: null },
      { id: '2', city: 'Oslo', zip: '0150', vip: true },
    ]);
    // An upsert rewrites an old file into the wider type.
    const c = t.file('c.ndjson', '{"id": 1, "customer": {"name": "A2"}}\n');
    await ingest(t.repo, c, { table: 'o', mode: 'upsert' });
    expect(await t.rows('SELECT id, customer.name AS name FROM o ORDER BY id')).toEqual([
      { id: '1', name: 'A2' },
      { id: '2', name: 'B' },
    ]);
  });

  it('a nested field whose type changes is still refused, naming the column', async () => {
    await ingest(t.repo, t.file('a.ndjson', '{"id": 1, "c": {"n": 1}}\n'), { table: 'o' });
    const b = t.file('b.ndjson', '{"id": 2, "c": {"n": "text"}}\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'o',
      () => ingest(t.repo, b, { table: 'o' }),
      'SchemaMismatchError',
    );
    expect(err.data.column).toBe('c');
  });

  it('inputs of one ingest whose objects have different fields are merged', async () => {
    const a = t.file('d/a.ndjson', '{"id": 1, "c": {"x": 1}}\n');
    t.file('d/b.ndjson', '{"id": 2, "c": {"y": "b"}}\n');
    await ingest(t.repo, join(a, '..'), { table: 'o' });
    expect(await t.rows('SELECT id, c.x AS x, c.y AS y FROM o ORDER BY id')).toEqual([
      { id: '1', x: '1', y: null },
      { id: '2', x: null, y: 'b' },
    ]);
  });
});

describe('European CSV', () => {
  const eu = 'id;"Net Amount";weight\r\n1;1,50;2\r\n2;3,25;2,5\r\n\r\n';

  it('decimalSeparator reads a decimal comma, inferred or declared', async () => {
    const f = t.file('eu.csv', eu);
    await ingest(t.repo, f, { table: 'eu', csv: { delimiter: ';', decimalSeparator: ',' } });
    expect(typesOf(await t.q('SELECT * FROM eu'))).toEqual({
      id: 'BIGINT',
      'Net Amount': 'DOUBLE',
      weight: 'DOUBLE',
    });
    expect(await t.rows('SELECT sum("Net Amount") AS s, sum(weight) AS w FROM eu')).toEqual([
      { s: 4.75, w: 4.5 },
    ]);
    await ingest(t.repo, f, {
      table: 'eu_dec',
      csv: { delimiter: ';', decimalSeparator: ',' },
      schema: [
        { name: 'id', type: 'BIGINT' },
        { name: 'Net Amount', type: 'DECIMAL(10,2)' },
        { name: 'weight', type: 'DECIMAL(6,1)' },
      ],
    });
    expect(await t.rows('SELECT CAST(sum("Net Amount") AS VARCHAR) AS s FROM eu_dec')).toEqual([
      { s: '4.75' },
    ]);
    // A later batch of whole numbers fits the decimal columns; "1,5" values too.
    const g = t.file('eu2.csv', 'id;"Net Amount";weight\n3;7;1,5\n');
    const r = await ingest(t.repo, g, {
      table: 'eu_dec',
      csv: { delimiter: ';', decimalSeparator: ',' },
    });
    expect(r.schemaChanges).toEqual([]);
    expect(await t.rows('SELECT CAST(sum("Net Amount") AS VARCHAR) AS s FROM eu_dec')).toEqual([
      { s: '11.75' },
    ]);
  });

  it('a semicolon CSV is read with its delimiter when none is given, even with one row', async () => {
    await ingest(t.repo, t.file('one.csv', 'id;name\n1;Zoë\n'), { table: 'one' });
    expect(typesOf(await t.q('SELECT * FROM one'))).toEqual({ id: 'BIGINT', name: 'VARCHAR' });
    expect(await t.rows('SELECT id, name FROM one')).toEqual([{ id: '1', name: 'Zoë' }]);
    // A decimal comma in a value does not make it comma-separated; a later batch appends.
    await ingest(t.repo, t.file('amount.csv', 'id;amount\n1;1,50\n'), { table: 'amount' });
    expect(await t.rows('SELECT id, amount FROM amount')).toEqual([{ id: '1', amount: '1,50' }]);
    await ingest(t.repo, t.file('one2.csv', 'id;name\n2;Ann\n'), { table: 'one' });
    expect(await t.rows('SELECT count(*) AS n FROM one')).toEqual([{ n: '2' }]);
    // Tabs and pipes too; a comma CSV whose values hold semicolons stays comma-separated.
    await ingest(t.repo, t.file('pipe.csv', 'a|b\nx|y\n'), { table: 'pipe' });
    expect(await t.rows('SELECT a, b FROM pipe')).toEqual([{ a: 'x', b: 'y' }]);
    await ingest(t.repo, t.file('comma.csv', 'id,note\n1,a;b\n'), { table: 'comma' });
    expect(await t.rows('SELECT id, note FROM comma')).toEqual([{ id: '1', note: 'a;b' }]);
    // A single column is one column, whatever its values hold.
    await ingest(t.repo, t.file('single.csv', 'note\nx;y\n'), { table: 'single' });
    expect(await t.rows('SELECT note FROM single')).toEqual([{ note: 'x;y' }]);
  });

  it('a decimal separator equal to the delimiter is refused', async () => {
    const f = t.file('eu.csv', eu);
    await expectRefused(
      t.repo,
      'main',
      'eu',
      () => ingest(t.repo, f, { table: 'eu', csv: { decimalSeparator: ',' } }),
      'InvalidArgumentError',
    );
  });
});

describe('refs as schemas', () => {
  it('refs whose schema names differ only in case are refused clearly; Main alone works', async () => {
    await ingest(t.repo, t.file('a.csv', 'id\n1\n'), { table: 'a', commit: { message: 'a' } });
    await t.repo.createBranch('Feat', { from: 'main' });
    await t.repo.createBranch('feat', { from: 'main' });
    await t.repo.createBranch('Main', { from: 'main' });
    await expect(
      withSqlSession(t.repo, { refs: ['Feat', 'feat'], cacheDir: join(t.dir, 'c') }, async () => 0),
    ).rejects.toMatchObject({ code: 'InvalidArgumentError' });
    expect(await t.rows('SELECT count(*)::INT AS n FROM a', ['Main'])).toEqual([{ n: 1 }]);
    expect(await t.rows('SELECT count(*)::INT AS n FROM main.a', ['Main'])).toEqual([{ n: 1 }]);
  });
});

describe('CSV output of nested values', () => {
  it('structs and lists are written as JSON text, which reads back', async () => {
    const f = t.file('a.ndjson', '{"id": 1, "c": {"name": "A", "n": 2}, "tags": ["x", "y"]}\n');
    await ingest(t.repo, f, { table: 'o' });
    const out = join(t.dir, 'o.csv');
    await exportTable(t.repo, 'o', { out, format: 'csv' });
    const text = readFileSync(out, 'utf8');
    expect(text).toBe('id,c,tags\n1,"{""name"":""A"",""n"":2}","[""x"",""y""]"\n');
  });
});

describe('inputs without rows', () => {
  it('a header-only CSV naming a new column adds no column, and SQL on the ref still works', async () => {
    await ingest(t.repo, t.file('a.csv', 'id,v\n1,x\n'), { table: 's', commit: { message: 'a' } });
    const r = await ingest(t.repo, t.file('h.csv', 'id,v,extra\n'), { table: 's' });
    expect(r.schemaChanges).toEqual([]);
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'v']);
    expect(await t.rows('SELECT count(*)::INT AS n FROM s')).toEqual([{ n: 1 }]);
  });
});

describe('messages', () => {
  it('an upsert without a key into a table that does not exist says so', async () => {
    const f = t.file('a.csv', 'id\n1\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'nope',
      () => ingest(t.repo, f, { table: 'nope', mode: 'upsert' }),
      'InvalidArgumentError',
    );
    expect(err.message).toMatch(/does not exist/);
    expect((await getTable(t.repo, 'main', 'nope').catch((e) => e)).code).toBe(
      'TableNotFoundError',
    );
  });
});
