// Write modes and ingest options: append (new nullable columns, widening, refusing nothing that
// casts losslessly), overwrite (replaces rows and schema), upsert by a single or composite key
// rewriting only the files that hold one of the keys, explicit schemas, CSV dialect options,
// directories and globs, and the commit option.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../src/core/entry.js';
import { getTable } from '../../src/engine/tables.js';
import { type IngestProgress, ingest } from '../../src/tables/ingest.js';
import { collect, openTestRepo, type TestRepo, typesOf, writeWithDuck } from './support.js';

let t: TestRepo;
beforeEach(async () => {
  t = await openTestRepo('modes');
});
afterEach(async () => {
  await t.close();
});

const filesOf = async (table: string, ref = 'main'): Promise<TreeEntry[]> =>
  (await getTable(t.repo, ref, table)).files;
const byPath = (files: TreeEntry[]) =>
  Object.fromEntries(files.map((f) => [f.path, f.address] as const));

describe('append', () => {
  it('adds rows; a new column is added as nullable and older rows read NULL', async () => {
    const a = t.file('a.csv', 'id,name\n1,a\n2,b\n');
    const r1 = await ingest(t.repo, a, { table: 'people' });
    expect(r1).toMatchObject({ created: true, mode: 'append', rowsWritten: 2, rowsReplaced: 0 });
    expect(r1.schemaChanges).toEqual([
      { column: 'id', change: 'added', after: 'BIGINT' },
      { column: 'name', change: 'added', after: 'VARCHAR' },
    ]);
    const b = t.file('b.csv', 'id,name,joined\n3,c,2024-05-01\n');
    const r2 = await ingest(t.repo, b, { table: 'people' });
    expect(r2.created).toBe(false);
    expect(r2.schemaChanges).toEqual([{ column: 'joined', change: 'added', after: 'DATE' }]);
    expect(r2.columns.map((c) => c.name)).toEqual(['id', 'name', 'joined']);
    expect(r2.filesRemoved).toEqual([]);
    // An input may also lack a column of the table: its rows read NULL there.
    const c = t.file('c.ndjson', '{"id": 4}\n');
    await ingest(t.repo, c, { table: 'people' });
    const got = await t.q('SELECT * FROM people ORDER BY id');
    expect(typesOf(got)).toEqual({ id: 'BIGINT', name: 'VARCHAR', joined: 'DATE' });
    expect(got.rows).toEqual([
      { id: '1', name: 'a', joined: null },
      { id: '2', name: 'b', joined: null },
      { id: '3', name: 'c', joined: '2024-05-01' },
      { id: '4', name: null, joined: null },
    ]);
    expect((await filesOf('people')).length).toBe(3);
  });

  it('accepts inputs whose types cast into the table without loss', async () => {
    await ingest(t.repo, t.file('a.csv', 'id,amount,code,day\n1,1.5,A1,2024-01-01\n'), {
      table: 'w',
    });
    // Whole amounts (BIGINT) into DOUBLE; INTEGER Parquet into BIGINT.
    await ingest(t.repo, t.file('b.csv', 'id,amount,code,day\n2,3,B2,2024-01-02\n'), {
      table: 'w',
    });
    await ingest(
      t.repo,
      await writeWithDuck(
        `${t.dir}/in/c.parquet`,
        "SELECT 3::INTEGER AS id, 2.5::FLOAT AS amount, 'C3' AS code, DATE '2024-01-03' AS day",
      ),
      { table: 'w' },
    );
    // A text column takes CSV values that happen to look like numbers, as they are written.
    await ingest(t.repo, t.file('d.csv', 'id,amount,code,day\n4,4.25,123,2024-01-04\n'), {
      table: 'w',
    });
    await ingest(t.repo, t.file('d2.csv', 'id,amount,code,day\n6,0,007,2024-01-06\n'), {
      table: 'w',
    });
    // A column with no values in this input is no evidence of a type.
    await ingest(t.repo, t.file('e.csv', 'id,amount,code,day\n5,,,\n'), { table: 'w' });
    const got = await t.q('SELECT * FROM w ORDER BY id');
    expect(typesOf(got)).toEqual({ id: 'BIGINT', amount: 'DOUBLE', code: 'VARCHAR', day: 'DATE' });
    expect(got.rows).toEqual([
      { id: '1', amount: 1.5, code: 'A1', day: '2024-01-01' },
      { id: '2', amount: 3, code: 'B2', day: '2024-01-02' },
      { id: '3', amount: 2.5, code: 'C3', day: '2024-01-03' },
      { id: '4', amount: 4.25, code: '123', day: '2024-01-04' },
      { id: '5', amount: null, code: null, day: null },
      { id: '6', amount: 0, code: '007', day: '2024-01-06' },
    ]);
  });

  it('a table made with an explicit schema takes later CSV batches without one', async () => {
    const schema = [
      { name: 'sku', type: 'VARCHAR' },
      { name: 'price', type: 'DECIMAL(12,2)' },
      { name: 'qty', type: 'INTEGER' },
    ];
    await ingest(t.repo, t.file('a.csv', 'sku,price,qty\n0001,19.99,3\n'), {
      table: 'stock',
      schema,
    });
    await ingest(t.repo, t.file('b.csv', 'sku,price,qty\n0002,5.10,7\n0003,1234567890.25,1\n'), {
      table: 'stock',
    });
    const got = await t.q('SELECT * FROM stock ORDER BY sku');
    expect(typesOf(got)).toEqual({ sku: 'VARCHAR', price: 'DECIMAL(12,2)', qty: 'INTEGER' });
    expect(got.rows).toEqual([
      { sku: '0001', price: '19.99', qty: 3 },
      { sku: '0002', price: '5.10', qty: 7 },
      { sku: '0003', price: '1234567890.25', qty: 1 },
    ]);
  });

  it('JSON numbers that fit a narrower declared column are taken; ones that do not are refused', async () => {
    await ingest(t.repo, t.file('a.csv', 'id,price\n1,19.99\n'), {
      table: 'jn',
      schema: [
        { name: 'id', type: 'INTEGER' },
        { name: 'price', type: 'DECIMAL(12,2)' },
      ],
    });
    // JSON says BIGINT and DOUBLE (DuckDB's choice of width); the values fit INTEGER and DECIMAL.
    const r = await ingest(t.repo, t.file('b.ndjson', '{"id": 2, "price": 5.1}\n'), {
      table: 'jn',
    });
    expect(r.schemaChanges).toEqual([]);
    expect(await t.rows('SELECT * FROM jn ORDER BY id')).toEqual([
      { id: 1, price: '19.99' },
      { id: 2, price: '5.10' },
    ]);
    await expect(
      ingest(t.repo, t.file('c.ndjson', '{"id": 3000000000, "price": 1}\n'), { table: 'jn' }),
    ).rejects.toMatchObject({
      code: 'SchemaMismatchError',
      data: { column: 'id', tableType: 'INTEGER', inputType: 'BIGINT' },
    });
    await expect(
      ingest(t.repo, t.file('d.ndjson', '{"id": 4, "price": 1.255}\n'), { table: 'jn' }),
    ).rejects.toMatchObject({
      code: 'SchemaMismatchError',
      data: { column: 'price', tableType: 'DECIMAL(12,2)', inputType: 'DOUBLE' },
    });
    expect(await t.rows('SELECT count(*) AS n FROM jn')).toEqual([{ n: '2' }]);
  });

  it('JSON dates and timestamps fit a temporal column when nothing is lost', async () => {
    const a = '{"id": 1, "at": "2024-01-02T03:04:05Z", "day": "2024-01-02"}\n';
    await ingest(t.repo, t.file('a.ndjson', a), { table: 'tj' });
    // Naive timestamps into TIMESTAMPTZ are read as UTC (the session's zone).
    const b = '{"id": 2, "at": "2024-02-03 04:05:06", "day": "2024-02-03"}\n';
    await ingest(t.repo, t.file('b.ndjson', b), { table: 'tj' });
    expect(await t.rows('SELECT id, "at", "day" FROM tj ORDER BY id')).toEqual([
      { id: '1', at: '2024-01-02 03:04:05+00', day: '2024-01-02' },
      { id: '2', at: '2024-02-03 04:05:06+00', day: '2024-02-03' },
    ]);
    // A timestamp with a time of day does not fit a DATE column.
    const c = '{"id": 3, "day": "2024-03-04T10:00:00"}\n';
    await expect(ingest(t.repo, t.file('c.ndjson', c), { table: 'tj' })).rejects.toMatchObject({
      code: 'SchemaMismatchError',
      data: { column: 'day', tableType: 'DATE', inputType: 'TIMESTAMP' },
    });
  });

  it("column names match without regard to case and keep the table's spelling", async () => {
    await ingest(t.repo, t.file('a.csv', 'id,Name\n1,a\n'), { table: 'cased', key: ['id'] });
    const r = await ingest(t.repo, t.file('b.csv', 'ID,name,Extra\n2,b,x\n'), { table: 'cased' });
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'Name', 'Extra']);
    await ingest(t.repo, t.file('c.ndjson', '{"Id": 1, "NAME": "A"}\n'), {
      table: 'cased',
      mode: 'upsert',
      key: ['ID'],
    });
    const got = await t.q('SELECT * FROM cased ORDER BY id');
    expect(got.columns.map((c) => c.name)).toEqual(['id', 'Name', 'Extra']);
    expect(got.rows).toEqual([
      { id: '1', Name: 'A', Extra: null },
      { id: '2', Name: 'b', Extra: 'x' },
    ]);
    expect((await getTable(t.repo, 'main', 'cased')).manifest.primaryKey).toEqual(['id']);
  });

  it('an explicit schema is spelled as DuckDB spells types, so later inputs compare equal', async () => {
    const r = await ingest(
      t.repo,
      t.file('a.ndjson', '{"id": 1, "p": 1.5, "s": "x", "o": {"a": 1}, "l": [1]}\n'),
      {
        table: 'spelled',
        schema: [
          { name: 'id', type: 'int' },
          { name: 'p', type: 'numeric(10, 2)' },
          { name: 's', type: 'varchar(20)' },
          { name: 'o', type: 'struct(a bigint)' },
          { name: 'l', type: 'bigint[]' },
        ],
      },
    );
    expect(r.columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'p', type: 'DECIMAL(10,2)' },
      { name: 's', type: 'VARCHAR' },
      { name: 'o', type: 'STRUCT(a BIGINT)' },
      { name: 'l', type: 'BIGINT[]' },
    ]);
    const r2 = await ingest(
      t.repo,
      await writeWithDuck(
        `${t.dir}/in/b.parquet`,
        "SELECT 2::INTEGER AS id, 2.25::DECIMAL(10,2) AS p, 'y' AS s, {'a': 2::BIGINT} AS o, [2::BIGINT] AS l",
      ),
      { table: 'spelled' },
    );
    expect(r2.schemaChanges).toEqual([]);
    expect(await t.rows('SELECT id, p, o, l FROM spelled ORDER BY id')).toEqual([
      { id: 1, p: '1.50', o: { a: '1' }, l: ['1'] },
      { id: 2, p: '2.25', o: { a: '2' }, l: ['2'] },
    ]);
  });

  it('an empty or header-only file appends nothing and changes no column', async () => {
    await ingest(t.repo, t.file('a.csv', 'id,day\n1,2024-01-01\n'), { table: 'e' });
    const before = await getTable(t.repo, 'main', 'e');
    const r1 = await ingest(t.repo, t.file('empty.csv', ''), { table: 'e' });
    const r2 = await ingest(t.repo, t.file('header.csv', 'id,day\n'), { table: 'e' });
    const r3 = await ingest(t.repo, t.file('empty.json', '[]'), { table: 'e' });
    for (const r of [r1, r2, r3]) {
      expect(r.rowsWritten).toBe(0);
      expect(r.filesAdded).toEqual([]);
      expect(r.schemaChanges).toEqual([]);
    }
    const after = await getTable(t.repo, 'main', 'e');
    expect(after.manifest).toEqual(before.manifest);
    expect(after.files).toEqual(before.files);
  });
});

describe('overwrite', () => {
  it('replaces every row and the schema', async () => {
    await ingest(t.repo, t.file('a.csv', 'id,v\n1,x\n2,y\n'), { table: 'o' });
    await ingest(t.repo, t.file('b.csv', 'id,v\n3,z\n'), { table: 'o' });
    const old = await filesOf('o');
    const r = await ingest(t.repo, t.file('c.csv', 'id,v,w\n10,1.5,true\n'), {
      table: 'o',
      mode: 'overwrite',
    });
    expect(r.rowsReplaced).toBe(3);
    expect(r.filesRemoved.sort()).toEqual(old.map((f) => f.path).sort());
    expect(r.schemaChanges).toEqual([
      { column: 'v', change: 'retyped', before: 'VARCHAR', after: 'DOUBLE' },
      { column: 'w', change: 'added', after: 'BOOLEAN' },
    ]);
    const got = await t.q('SELECT * FROM o');
    expect(typesOf(got)).toEqual({ id: 'BIGINT', v: 'DOUBLE', w: 'BOOLEAN' });
    expect(got.rows).toEqual([{ id: '10', v: 1.5, w: true }]);
    // Overwriting with an empty file empties the table and keeps its columns.
    await ingest(t.repo, t.file('none.csv', ''), { table: 'o', mode: 'overwrite' });
    const empty = await t.q('SELECT * FROM o');
    expect(empty.rows).toEqual([]);
    expect(typesOf(empty)).toEqual({ id: 'BIGINT', v: 'DOUBLE', w: 'BOOLEAN' });
    expect(await filesOf('o')).toEqual([]);
  });
});

describe('upsert', () => {
  /** Three files: ids 1-3, 4-6, 7-9 (one append each). */
  async function threeFiles(): Promise<TreeEntry[]> {
    for (const start of [1, 4, 7]) {
      const rows = [0, 1, 2].map((i) => `${start + i},v${start + i}`).join('\n');
      await ingest(t.repo, t.file(`part${start}.csv`, `id,v\n${rows}\n`), {
        table: 'u',
        key: ['id'],
      });
    }
    const files = await filesOf('u');
    expect(files.length).toBe(3);
    return files;
  }

  it('replaces rows by key and adds new keys', async () => {
    await threeFiles();
    const r = await ingest(t.repo, t.file('up.csv', 'id,v\n2,changed\n10,new\n'), {
      table: 'u',
      mode: 'upsert',
    });
    expect(r.primaryKey).toEqual(['id']);
    expect(r.rowsReplaced).toBe(1);
    const got = await t.rows('SELECT id, v FROM u ORDER BY id');
    expect(got.map((x) => `${x.id}=${x.v}`)).toEqual([
      '1=v1',
      '2=changed',
      '3=v3',
      '4=v4',
      '5=v5',
      '6=v6',
      '7=v7',
      '8=v8',
      '9=v9',
      '10=new',
    ]);
    expect((await getTable(t.repo, 'main', 'u')).manifest.primaryKey).toEqual(['id']);
  });

  it('rewrites only the files holding one of the keys; the others keep path and address', async () => {
    const before = byPath(await threeFiles());
    const [f1, f2, f3] = Object.keys(before).sort();
    const r = await ingest(t.repo, t.file('up.csv', 'id,v\n5,five\n6,six\n'), {
      table: 'u',
      mode: 'upsert',
      key: ['id'],
    });
    expect(r.rowsReplaced).toBe(2);
    expect(r.filesRemoved.length).toBe(1);
    const removed = r.filesRemoved[0] as string;
    expect([f1, f2, f3]).toContain(removed);
    const after = byPath(await filesOf('u'));
    for (const [path, address] of Object.entries(before)) {
      if (path === removed) expect(after[path]).toBeUndefined();
      else expect(after[path]).toBe(address);
    }
    // The file that held 5 and 6 is replaced by its remaining row (4) and the two new rows.
    const added = Object.keys(after).filter((p) => !(p in before));
    expect(added.sort()).toEqual(r.filesAdded.sort());
    // Two input rows written; the kept row 4 was copied into the rewritten file.
    expect(r).toMatchObject({ rowsWritten: 2, rowsRewritten: 1 });
    expect(await t.rows('SELECT id, v FROM u WHERE id BETWEEN 4 AND 6 ORDER BY id')).toEqual([
      { id: '4', v: 'v4' },
      { id: '5', v: 'five' },
      { id: '6', v: 'six' },
    ]);
    // An upsert of only new keys touches no existing file.
    const r2 = await ingest(t.repo, t.file('new.csv', 'id,v\n100,h\n'), {
      table: 'u',
      mode: 'upsert',
    });
    expect(r2.filesRemoved).toEqual([]);
    expect(r2.rowsReplaced).toBe(0);
    expect(await t.rows('SELECT count(*) AS n FROM u')).toEqual([{ n: '10' }]);
  });

  it('a composite key: rows match only when every key column does', async () => {
    await ingest(t.repo, t.file('a.csv', 'region,id,qty\neu,1,10\nus,1,20\neu,2,30\nus,2,40\n'), {
      table: 'c',
      key: ['region', 'id'],
    });
    const r = await ingest(t.repo, t.file('b.csv', 'region,id,qty\nus,1,21\neu,3,50\n'), {
      table: 'c',
      mode: 'upsert',
    });
    expect(r.primaryKey).toEqual(['region', 'id']);
    expect(r.rowsReplaced).toBe(1);
    expect(await t.rows('SELECT region, id, qty FROM c ORDER BY region, id')).toEqual([
      { region: 'eu', id: '1', qty: '10' },
      { region: 'eu', id: '2', qty: '30' },
      { region: 'eu', id: '3', qty: '50' },
      { region: 'us', id: '1', qty: '21' },
      { region: 'us', id: '2', qty: '40' },
    ]);
    // The same key twice in one input is refused (which row would win?).
    await expect(
      ingest(t.repo, t.file('dup.csv', 'region,id,qty\neu,9,1\neu,9,2\n'), {
        table: 'c',
        mode: 'upsert',
      }),
    ).rejects.toMatchObject({ code: 'MalformedInputError' });
  });

  it('an upsert with a new column: rewritten and untouched rows read NULL there', async () => {
    await threeFiles();
    await ingest(t.repo, t.file('up.ndjson', '{"id": 1, "v": "one", "extra": 1.5}\n'), {
      table: 'u',
      mode: 'upsert',
    });
    expect(await t.rows('SELECT id, v, extra FROM u WHERE id IN (1, 2, 9) ORDER BY id')).toEqual([
      { id: '1', v: 'one', extra: 1.5 },
      { id: '2', v: 'v2', extra: null },
      { id: '9', v: 'v9', extra: null },
    ]);
  });

  it('an append may not add a key the table already has (DuplicateKeyError); nothing is staged', async () => {
    await ingest(t.repo, t.file('k.csv', 'id,v\n1,a\n2,b\n'), {
      table: 'k',
      key: ['id'],
      commit: { message: 'k' },
    });
    const head = (await t.repo.getCommit('main')).id;
    await expect(
      ingest(t.repo, t.file('k2.csv', 'id,v\n3,c\n2,z\n'), { table: 'k', mode: 'append' }),
    ).rejects.toMatchObject({
      code: 'DuplicateKeyError',
      data: { table: 'k', key: ['id'], value: { id: '2' } },
    });
    expect(await collect(t.repo.status('main'))).toEqual([]);
    expect((await t.repo.getCommit('main')).id).toBe(head);
    // New keys append; the same rows as an upsert replace.
    expect(
      (await ingest(t.repo, t.file('k3.csv', 'id,v\n3,c\n'), { table: 'k' })).rowsWritten,
    ).toBe(1);
    const up = await ingest(t.repo, t.file('k4.csv', 'id,v\n2,z\n'), {
      table: 'k',
      mode: 'upsert',
    });
    expect(up).toMatchObject({ rowsWritten: 1, rowsReplaced: 1 });
    expect(await t.rows('SELECT id, v FROM k ORDER BY id')).toEqual([
      { id: '1', v: 'a' },
      { id: '2', v: 'z' },
      { id: '3', v: 'c' },
    ]);
  });

  it('an upsert into a table that does not exist creates it with the key', async () => {
    const r = await ingest(t.repo, t.file('a.csv', 'k,v\n1,a\n'), {
      table: 'fresh',
      mode: 'upsert',
      key: ['k'],
    });
    expect(r.created).toBe(true);
    expect((await getTable(t.repo, 'main', 'fresh')).manifest.primaryKey).toEqual(['k']);
  });
});

describe('CSV options', () => {
  it("delimiter ';', a tab for .tsv, NULL markers, no header with an explicit schema", async () => {
    await ingest(t.repo, t.file('semi.csv', 'id;name;amount\n1;"a;b";1,5\n2;c;NA\n'), {
      table: 'semi_colon',
      csv: { delimiter: ';', nullValues: ['NA', ''] },
    });
    expect(await t.rows('SELECT * FROM semi_colon ORDER BY id')).toEqual([
      { id: '1', name: 'a;b', amount: '1,5' },
      { id: '2', name: 'c', amount: null },
    ]);

    await ingest(t.repo, t.file('tabs.tsv', 'id\tname\tnote\n1\tx, y\t-\n2\t"q"\tok\n'), {
      table: 'tabs',
      csv: { nullValues: ['-'] },
    });
    expect(await t.rows('SELECT * FROM tabs ORDER BY id')).toEqual([
      { id: '1', name: 'x, y', note: null },
      { id: '2', name: 'q', note: 'ok' },
    ]);

    // NULL markers are for unquoted fields: a quoted "NA" is the text NA.
    await ingest(t.repo, t.file('na.csv', 'id,v\n1,NA\n2,"NA"\n3,\n4,""\n'), {
      table: 'na',
      csv: { nullValues: ['NA'] },
    });
    expect(await t.rows('SELECT * FROM na ORDER BY id')).toEqual([
      { id: '1', v: null },
      { id: '2', v: 'NA' },
      { id: '3', v: '' },
      { id: '4', v: '' },
    ]);

    const schema = [
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'day', type: 'DATE' },
    ];
    await ingest(t.repo, t.file('nohead.csv', '1,a,2024-01-01\n2,b,\n'), {
      table: 'nohead',
      schema,
      csv: { header: false },
    });
    const got = await t.q('SELECT * FROM nohead ORDER BY id');
    expect(typesOf(got)).toEqual({ id: 'INTEGER', name: 'VARCHAR', day: 'DATE' });
    expect(got.rows).toEqual([
      { id: 1, name: 'a', day: '2024-01-01' },
      { id: 2, name: 'b', day: null },
    ]);
    // Appending headerless data to that table: the columns are the table's, in order.
    await ingest(t.repo, t.file('nohead2.csv', '3,c,2024-03-03\n'), {
      table: 'nohead',
      csv: { header: false },
    });
    expect(await t.rows('SELECT id, name FROM nohead WHERE id = 3')).toEqual([
      { id: 3, name: 'c' },
    ]);
  });

  it('date and timestamp formats, a custom quote and escape', async () => {
    await ingest(
      t.repo,
      t.file('fmt.csv', "id,day,at,note\n1,31/01/2024,31/01/2024 13:45,'it\\'s, ok'\n"),
      {
        table: 'fmt',
        csv: {
          dateFormat: '%d/%m/%Y',
          timestampFormat: '%d/%m/%Y %H:%M',
          quote: "'",
          escape: '\\',
        },
      },
    );
    const got = await t.q('SELECT * FROM fmt');
    expect(typesOf(got)).toEqual({ id: 'BIGINT', day: 'DATE', at: 'TIMESTAMP', note: 'VARCHAR' });
    expect(got.rows).toEqual([
      { id: '1', day: '2024-01-31', at: '2024-01-31 13:45:00', note: "it's, ok" },
    ]);
  });
});

describe('directories, globs, several files', () => {
  it('a directory: every data file below it, in any supported format', async () => {
    t.file('lake/2024/01.csv', 'id,name\n1,a\n');
    t.file('lake/2024/02.ndjson', '{"id": 2, "name": "b"}\n');
    t.file('lake/2024/03.json', '[{"id": 3, "name": "c"}]');
    await writeWithDuck(`${t.dir}/in/lake/2025/04.parquet`, "SELECT 4::BIGINT AS id, 'd' AS name");
    t.file('lake/README.txt', 'not data');
    t.file('lake/.hidden.csv', 'id,name\n99,hidden\n');
    t.file('lake/_SUCCESS', '');
    t.file('lake/_temporary/0/part.csv', 'id,name\n98,partial\n');
    t.file('lake/2024/_part.csv', 'id,name\n97,partial\n');
    const progress: IngestProgress[] = [];
    const r = await ingest(t.repo, `${t.dir}/in/lake`, {
      table: 'lake',
      onProgress: (p) => progress.push(p),
    });
    expect(
      r.inputs.map((i) => [i.file.slice(`${t.dir}/in/lake/`.length), i.format, i.rows]),
    ).toEqual([
      ['2024/01.csv', 'csv', 1],
      ['2024/02.ndjson', 'ndjson', 1],
      ['2024/03.json', 'json', 1],
      ['2025/04.parquet', 'parquet', 1],
    ]);
    expect(await t.rows('SELECT id, name FROM lake ORDER BY id')).toEqual([
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
      { id: '3', name: 'c' },
      { id: '4', name: 'd' },
    ]);
    expect(progress.some((p) => p.phase === 'read')).toBe(true);
    // With a format given, a directory's files are read whatever their extension (but still not
    // `_SUCCESS` and the like).
    t.file('dat/a.dat', 'id,name\n5,e\n');
    t.file('dat/_SUCCESS', '');
    const r2 = await ingest(t.repo, `${t.dir}/in/dat`, { table: 'lake', format: 'csv' });
    expect(r2.inputs.map((i) => i.file)).toEqual([`${t.dir}/in/dat/a.dat`]);
    expect(progress.some((p) => p.phase === 'store')).toBe(true);
  });

  it('a glob picks only what it matches; a list of files is read as one input', async () => {
    t.file('g/a.csv', 'id\n1\n');
    t.file('g/b.csv', 'id\n2\n');
    t.file('g/c.tsv', 'id\n3\n');
    t.file('g/sub/d.csv', 'id\n4\n');
    const r = await ingest(t.repo, `${t.dir}/in/g/*.csv`, { table: 'g' });
    expect(r.inputs.length).toBe(2);
    expect(await t.rows('SELECT id FROM g ORDER BY id')).toEqual([{ id: '1' }, { id: '2' }]);
    const r2 = await ingest(t.repo, `${t.dir}/in/g/**/*.{csv,tsv}`, {
      table: 'g',
      mode: 'overwrite',
    });
    expect(r2.inputs.length).toBe(4);
    expect(await t.rows('SELECT id FROM g ORDER BY id')).toEqual([
      { id: '1' },
      { id: '2' },
      { id: '3' },
      { id: '4' },
    ]);
  });
});

describe('staging and the commit option', () => {
  it('without commit: staged on the branch, readable there, committed later', async () => {
    const head = (await t.repo.getBranch('main')).head;
    await ingest(t.repo, t.file('a.csv', 'id\n1\n'), { table: 's' });
    expect((await t.repo.getBranch('main')).head).toBe(head);
    const staged = (await collect(t.repo.status('main'))).map((c) => c.path);
    expect(staged).toContain('tables/s/_sluice_table.json');
    expect(staged.filter((p) => p.endsWith('.parquet')).length).toBe(1);
    expect(await t.rows('SELECT count(*) AS n FROM s')).toEqual([{ n: '1' }]);
    await t.repo.commit('main', { message: 'by hand' });
    expect(await collect(t.repo.status('main'))).toEqual([]);
  });

  it('an ingest that changes nothing stages nothing and makes no commit', async () => {
    await ingest(t.repo, t.file('a.csv', 'id\n1\n'), { table: 'n', commit: { message: 'a' } });
    const head = (await t.repo.getBranch('main')).head;
    const r1 = await ingest(t.repo, t.file('h.csv', 'id\n'), {
      table: 'n',
      commit: { message: 'nothing' },
    });
    expect(r1.commit).toBeUndefined();
    expect(r1.rowsWritten).toBe(0);
    // Emptying the table is a change; emptying it again is not.
    const r2 = await ingest(t.repo, t.file('e.csv', ''), {
      table: 'n',
      mode: 'overwrite',
      commit: { message: 'empty it' },
    });
    expect(r2.commit?.parents).toEqual([head]);
    const r3 = await ingest(t.repo, t.file('e.csv', ''), {
      table: 'n',
      mode: 'overwrite',
      commit: { message: 'empty it again' },
    });
    expect(r3.commit).toBeUndefined();
    expect((await t.repo.getBranch('main')).head).toBe(r2.commit?.id);
    expect(await collect(t.repo.status('main'))).toEqual([]);
  });

  it('with commit: exactly one commit holding every file, with metadata', async () => {
    const head = (await t.repo.getBranch('main')).head;
    t.file('many/1.csv', 'id,v\n1,a\n');
    t.file('many/2.csv', 'id,v\n2,b\n');
    t.file('many/3.csv', 'id,v\n3,c\n');
    const r = await ingest(t.repo, `${t.dir}/in/many`, {
      table: 'm',
      commit: { message: 'load m', metadata: { source: 'test', batch: '7' } },
    });
    expect(r.commit).toBeDefined();
    const c = r.commit as NonNullable<typeof r.commit>;
    expect(c.message).toBe('load m');
    expect(c.parents).toEqual([head]);
    expect(c.metadata).toEqual({
      'sluice.ingest.table': 'm',
      'sluice.ingest.mode': 'append',
      source: 'test',
      batch: '7',
    });
    expect((await t.repo.getBranch('main')).head).toBe(c.id);
    expect(await collect(t.repo.status('main'))).toEqual([]);
    const log = await collect(t.repo.log('main', { limit: 5 }));
    expect(log[0]?.id).toBe(c.id);
    expect(log[1]?.id).toBe(head);
    const changed = await collect(t.repo.diff(head, c.id));
    expect(changed.map((x) => x.path).sort()).toEqual(
      [...r.filesAdded, 'tables/m/_sluice_table.json'].sort(),
    );
    // Each data file records its row count.
    const files = await filesOf('m');
    expect(files.reduce((n, f) => n + Number(f.metadata['sluice.rows']), 0)).toBe(3);
    expect(files.every((f) => f.contentType === 'application/vnd.apache.parquet')).toBe(true);
  });
});

describe('partitioning', () => {
  it('Hive-style folders per partition value; upsert keeps a rewritten file in its partition', async () => {
    const r = await ingest(
      t.repo,
      t.file('p.csv', 'id,region,v\n1,eu,a\n2,us,b\n3,eu,c\n4,a/b,d\n'),
      { table: 'p', key: ['id'], partitionBy: ['region'] },
    );
    expect(r.partitionBy).toEqual(['region']);
    const dirs = (await filesOf('p')).map((f) => f.path.split('/').slice(2, -1).join('/')).sort();
    expect(dirs).toEqual(['region=a%2Fb', 'region=eu', 'region=us']);
    expect((await getTable(t.repo, 'main', 'p')).manifest.partitionBy).toEqual(['region']);
    // The partition column is inside the files: every reader sees it.
    expect(await t.rows('SELECT id, region FROM p ORDER BY id')).toEqual([
      { id: '1', region: 'eu' },
      { id: '2', region: 'us' },
      { id: '3', region: 'eu' },
      { id: '4', region: 'a/b' },
    ]);
    const before = byPath(await filesOf('p'));
    // Without --partition-by, a later write partitions as the table does.
    const up = await ingest(t.repo, t.file('p2.csv', 'id,region,v\n3,eu,C\n5,uk,e\n'), {
      table: 'p',
      mode: 'upsert',
    });
    expect(up.filesRemoved).toHaveLength(1);
    expect(up.filesRemoved[0]).toMatch(/^tables\/p\/region=eu\//);
    const after = await filesOf('p');
    expect(after.filter((f) => f.path.startsWith('tables/p/region=eu/'))).toHaveLength(2);
    expect(after.some((f) => f.path.startsWith('tables/p/region=uk/'))).toBe(true);
    for (const [path, address] of Object.entries(before))
      if (!path.includes('region=eu/')) expect(byPath(after)[path]).toBe(address);
    expect(await t.rows("SELECT id, v FROM p WHERE region = 'eu' ORDER BY id")).toEqual([
      { id: '1', v: 'a' },
      { id: '3', v: 'C' },
    ]);
  });

  it('a different or unknown partition column is refused; overwrite may change it', async () => {
    const src = t.file('q.csv', 'id,region\n1,eu\n');
    await ingest(t.repo, src, { table: 'q', partitionBy: ['region'] });
    await expect(ingest(t.repo, src, { table: 'q', partitionBy: ['id'] })).rejects.toMatchObject({
      code: 'InvalidArgumentError',
      data: { argument: 'partition-by' },
    });
    await expect(ingest(t.repo, src, { table: 'q2', partitionBy: ['nope'] })).rejects.toMatchObject(
      { code: 'InvalidArgumentError', data: { argument: 'partition-by' } },
    );
    const o = await ingest(t.repo, src, { table: 'q', mode: 'overwrite' });
    expect(o.partitionBy).toBeUndefined();
    expect((await filesOf('q')).every((f) => !f.path.includes('region='))).toBe(true);
  });
});
