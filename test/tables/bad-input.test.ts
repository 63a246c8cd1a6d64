// Bad input is refused with a clear error and a stable code, and nothing is staged or committed:
// malformed CSV (ragged rows, bad quoting, invalid UTF-8) and JSON name the file and the line;
// type changes on append name the column and both types; unknown tables and bad SQL are
// TableNotFoundError / SqlError; a bad 7th file of 10 stages none of them.
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MalformedInputError,
  SchemaMismatchError,
  SqlError,
  TableNotFoundError,
} from '../../src/common/errors.js';
import { withSqlSession } from '../../src/engine/session.js';
import { getTable } from '../../src/engine/tables.js';
import { type IngestOptions, ingest } from '../../src/tables/ingest.js';
import {
  branchState,
  collect,
  expectRefused,
  openTestRepo,
  type TestRepo,
  writeWithDuck,
} from './support.js';

let t: TestRepo;
/** main has table `orders` (id BIGINT, amount DOUBLE, day DATE, name VARCHAR), committed. */
beforeEach(async () => {
  t = await openTestRepo('bad-input');
  const src = t.file('orders.csv', 'id,amount,day,name\n1,1.5,2024-01-01,a\n2,2.25,2024-01-02,b\n');
  await ingest(t.repo, src, { table: 'orders', commit: { message: 'orders' } });
});
afterEach(async () => {
  await t.close();
});

const storedKeys = async (): Promise<string[]> =>
  (await collect(t.repo.store.list(''))).map((o) => o.key).sort();

/** Ingests into `orders` on main and expects the given error, with nothing changed. */
const refused = (src: string | string[], code: string, opts: Partial<IngestOptions> = {}) =>
  expectRefused(
    t.repo,
    'main',
    'orders',
    () => ingest(t.repo, src, { table: 'orders', ...opts }),
    code,
  );

describe('malformed CSV names the file and the line', () => {
  const cases: { name: string; text: string | Buffer; line: number; says: RegExp }[] = [
    {
      name: 'a row with too many fields',
      text: 'id,amount,day,name\n3,1,2024-01-01,c\n4,2,2024-01-02,d,extra\n5,3,2024-01-03,e\n',
      line: 3,
      says: /Expected Number of Columns: 4 Found: 5.*"4,2,2024-01-02,d,extra"/,
    },
    {
      name: 'a row with too few fields',
      text: 'id,amount,day,name\n3,1,2024-01-01,c\n4,2,2024-01-02,d\n5,3\n',
      line: 4,
      says: /Expected Number of Columns: 4 Found: 2/,
    },
    {
      name: 'a ragged row after a field with newlines in it (CRLF)',
      text: 'id,amount,day,name\r\n3,1,2024-01-01,"two\r\nlines\r\nmore"\r\n4,2,2024-01-02\r\n',
      line: 5,
      says: /Expected Number of Columns: 4 Found: 3.*"4,2,2024-01-02"/,
    },
    {
      name: 'an unterminated quote',
      text: 'id,amount,day,name\n3,1,2024-01-01,c\n4,2,2024-01-02,"never closed\n5,3,2024-01-03,e\n',
      line: 3,
      says: /unterminated quote/,
    },
    {
      name: 'text after a closing quote',
      text: 'id,amount,day,name\n3,1,2024-01-01,"ab"cd\n',
      line: 2,
      says: /unterminated quote/,
    },
    {
      name: 'invalid UTF-8',
      text: Buffer.concat([
        Buffer.from('id,amount,day,name\n3,1,2024-01-01,ok\n4,2,2024-01-02,'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('\n5,3,2024-01-03,e\n'),
      ]),
      line: 3,
      says: /Invalid unicode/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const src = t.file('bad.csv', c.text);
      for (const table of ['orders', 'fresh']) {
        const err = await expectRefused(
          t.repo,
          'main',
          table,
          () => ingest(t.repo, src, { table, commit: { message: 'never' } }),
          'MalformedInputError',
        );
        expect(err).toBeInstanceOf(MalformedInputError);
        expect(err.data).toMatchObject({ file: src, format: 'csv', line: c.line });
        expect(err.message).toContain(`${src}, line ${c.line}`);
        expect(err.message).toMatch(c.says);
      }
      expect(await collect(t.repo.status('main'))).toEqual([]);
      await expect(getTable(t.repo, 'main', 'fresh')).rejects.toBeInstanceOf(TableNotFoundError);
    });
  }

  it('gzip-compressed CSV and NDJSON: the line is the line of the decompressed text', async () => {
    const csv = t.file(
      'bad.csv.gz',
      gzipSync('id,amount,day,name\n3,1,2024-01-01,"two\nlines"\n4,2\n'),
    );
    const e1 = await refused(csv, 'MalformedInputError');
    expect(e1.data).toMatchObject({ file: csv, format: 'csv', line: 4 });
    expect(e1.message).toContain('"4,2"');
    const nd = t.file('bad.ndjson.gz', gzipSync('{"id": 3}\n{"id": 4,}}\n'));
    const e2 = await refused(nd, 'MalformedInputError');
    expect(e2.data).toMatchObject({ file: nd, format: 'ndjson', line: 2 });
  });

  it('a value that does not parse as the declared type names its line', async () => {
    const src = t.file('typed.csv', 'id,amount\n1,1.5\n2,2.5\n3,lots\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'typed',
      () =>
        ingest(t.repo, src, {
          table: 'typed',
          schema: [
            { name: 'id', type: 'INTEGER' },
            { name: 'amount', type: 'DECIMAL(10,2)' },
          ],
        }),
      'MalformedInputError',
    );
    expect(err.data).toMatchObject({ file: src, line: 4 });
    expect(err.message).toMatch(/amount.*lots|lots.*amount/);
  });

  it('a value past the inference sample that breaks the inferred type names its line', async () => {
    let text = 'id,n\n';
    for (let i = 0; i < 25_000; i++) text += `${i},${i * 2}\n`;
    text += '25000,not a number\n';
    const src = t.file('long.csv', text);
    const err = await expectRefused(
      t.repo,
      'main',
      'long',
      () => ingest(t.repo, src, { table: 'long' }),
      'MalformedInputError',
    );
    expect(err.data).toMatchObject({ file: src, line: 25_002 });
    expect(err.message).toContain('not a number');
  });

  it('an empty file cannot make a table', async () => {
    const src = t.file('empty.csv', '');
    const err = await expectRefused(
      t.repo,
      'main',
      'nothing',
      () => ingest(t.repo, src, { table: 'nothing' }),
      'MalformedInputError',
    );
    expect(err.message).toContain('empty');
  });
});

describe('malformed JSON names the file and the line', () => {
  it('a syntax error in a pretty-printed JSON array', async () => {
    const src = t.file(
      'bad.json',
      '[\n  {"id": 3, "name": "c"},\n  {"id": 4 "name": "d"},\n  {"id": 5, "name": "e"}\n]\n',
    );
    const err = await refused(src, 'MalformedInputError');
    expect(err.data).toMatchObject({ file: src, format: 'json', line: 3 });
    expect(err.message).toContain(`${src}, line 3`);
  });

  it('a JSON array cut short', async () => {
    const src = t.file('cut.json', '[{"id": 3, "name": "c"},\n {"id": 4, "na');
    const err = await refused(src, 'MalformedInputError');
    expect(err.data).toMatchObject({ file: src, format: 'json', line: 2 });
  });

  it('a bad line in NDJSON', async () => {
    const src = t.file(
      'bad.ndjson',
      '{"id": 3, "name": "c"}\n{"id": 4, "name": "d"}\n{"id": 5, "name": nope}\n{"id": 6}\n',
    );
    const err = await refused(src, 'MalformedInputError');
    expect(err.data).toMatchObject({ file: src, format: 'ndjson', line: 3 });
    expect(err.message).toContain(`${src}, line 3`);
    expect(err.message).not.toMatch(/line 4/);
  });

  it('a bad line in NDJSON with a byte order mark names the file given', async () => {
    const src = t.file('bom-bad.ndjson', '\uFEFF{"id": 3}\n{"id": 4\n');
    const err = await refused(src, 'MalformedInputError');
    expect(err.data).toMatchObject({ file: src, format: 'ndjson', line: 2 });
    expect(err.message).toContain(`${src}, line 2`);
  });

  it('a file that is not Parquet', async () => {
    const src = t.file('fake.parquet', 'PAR1 but not really');
    const err = await refused(src, 'MalformedInputError');
    expect(err.data).toMatchObject({ file: src, format: 'parquet' });
  });
});

describe('a type change on append names the column and both types', () => {
  const cases: {
    name: string;
    make: () => Promise<string>;
    column: string;
    tableType: string;
    inputType: string;
  }[] = [
    {
      name: 'CSV: text in a DOUBLE column',
      make: async () => t.file('a.csv', 'id,amount\n3,n/a\n4,7\n'),
      column: 'amount',
      tableType: 'DOUBLE',
      inputType: 'VARCHAR',
    },
    {
      name: 'CSV: an impossible date in a DATE column',
      make: async () => t.file('b.csv', 'id,day\n3,2024-02-30\n'),
      column: 'day',
      tableType: 'DATE',
      inputType: 'VARCHAR',
    },
    {
      name: 'JSON: strings in a BIGINT column',
      make: async () => t.file('c.json', '[{"id": "x-3", "name": "c"}]'),
      column: 'id',
      tableType: 'BIGINT',
      inputType: 'VARCHAR',
    },
    {
      name: 'NDJSON: an object in a VARCHAR column',
      make: async () => t.file('d.ndjson', '{"id": 3, "name": {"first": "c"}}\n'),
      column: 'name',
      tableType: 'VARCHAR',
      inputType: 'STRUCT("first" VARCHAR)',
    },
    {
      name: 'Parquet: DOUBLE into a BIGINT column (narrowing)',
      make: () => writeWithDuck(`${t.dir}/in/e.parquet`, 'SELECT 3.5::DOUBLE AS id'),
      column: 'id',
      tableType: 'BIGINT',
      inputType: 'DOUBLE',
    },
    {
      name: 'Parquet: a timestamp into a DATE column',
      make: () =>
        writeWithDuck(
          `${t.dir}/in/f.parquet`,
          "SELECT 3 AS id, TIMESTAMP '2024-01-01 10:00' AS day",
        ),
      column: 'day',
      tableType: 'DATE',
      inputType: 'TIMESTAMP',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const src = await c.make();
      for (const mode of ['append', 'upsert'] as const) {
        const err = await expectRefused(
          t.repo,
          'main',
          'orders',
          () =>
            ingest(t.repo, src, {
              table: 'orders',
              mode,
              ...(mode === 'upsert' ? { key: ['id'] } : {}),
              commit: { message: 'never' },
            }),
          'SchemaMismatchError',
        );
        expect(err).toBeInstanceOf(SchemaMismatchError);
        expect(err.data).toMatchObject({
          table: 'orders',
          column: c.column,
          tableType: c.tableType,
          inputType: c.inputType,
        });
        expect(err.message).toContain(c.column);
        expect(err.message).toContain(c.tableType);
        expect(err.message).toContain(c.inputType);
      }
      expect(await collect(t.repo.status('main'))).toEqual([]);
    });
  }

  it('inputs of one ingest that disagree on a type', async () => {
    const a = t.file('x/1.csv', 'k,v\n1,10\n');
    const b = t.file('x/2.csv', 'k,v\n2,ten\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'kv',
      () => ingest(t.repo, [a, b], { table: 'kv' }),
      'SchemaMismatchError',
    );
    expect(err.data).toMatchObject({ column: 'v', tableType: 'BIGINT', inputType: 'VARCHAR' });
    expect(err.message).toContain(b);
  });

  it('an input column the explicit schema does not declare', async () => {
    const src = t.file('extra.csv', 'id,extra\n1,x\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'declared',
      () => ingest(t.repo, src, { table: 'declared', schema: [{ name: 'id', type: 'INTEGER' }] }),
      'SchemaMismatchError',
    );
    expect(err.data).toMatchObject({ column: 'extra' });
  });
});

describe('other refusals', () => {
  it('invalid arguments and missing things', async () => {
    const ok = t.file('ok.csv', 'id,amount\n9,1\n');
    const dup = t.file('dup.csv', 'id,amount\n9,1\n9,2\n');
    const nullKey = t.file('nullkey.csv', 'id,amount\n9,1\n,2\n');
    const cases: [() => Promise<unknown>, string][] = [
      [() => ingest(t.repo, `${t.dir}/in/missing.csv`, { table: 'orders' }), 'FileNotFoundError'],
      [() => ingest(t.repo, `${t.dir}/in/*.nomatch`, { table: 'orders' }), 'FileNotFoundError'],
      [
        () => ingest(t.repo, t.file('x.txt', 'a\n1\n'), { table: 'orders' }),
        'InvalidArgumentError',
      ],
      [() => ingest(t.repo, ok, { table: 'orders', branch: 'nope' }), 'BranchNotFoundError'],
      [() => ingest(t.repo, ok, { table: '1bad-name' }), 'InvalidNameError'],
      [() => ingest(t.repo, ok, { table: 'orders', mode: 'upsert' }), 'InvalidArgumentError'],
      [
        () => ingest(t.repo, ok, { table: 'orders', mode: 'upsert', key: ['nope'] }),
        'InvalidArgumentError',
      ],
      [
        () => ingest(t.repo, dup, { table: 'orders', mode: 'upsert', key: ['id'] }),
        'MalformedInputError',
      ],
      [
        () => ingest(t.repo, nullKey, { table: 'orders', mode: 'upsert', key: ['id'] }),
        'MalformedInputError',
      ],
      [
        () => ingest(t.repo, ok, { table: 'orders', schema: [{ name: 'id', type: 'NOTATYPE' }] }),
        'InvalidArgumentError',
      ],
      [
        () => ingest(t.repo, ok, { table: 'orders', mode: 'nope' as 'append' }),
        'InvalidArgumentError',
      ],
      [
        () =>
          ingest(t.repo, ok, {
            table: 'orders',
            schema: [
              { name: 'id', type: 'INTEGER' },
              { name: 'ID', type: 'BIGINT' },
            ],
          }),
        'InvalidArgumentError',
      ],
    ];
    for (const [op, code] of cases) await expectRefused(t.repo, 'main', 'orders', op, code);
    // A key, once recorded, cannot silently change.
    await ingest(t.repo, ok, { table: 'keyed', key: ['id'] });
    const before = await branchState(t.repo, 'main', 'keyed');
    await expect(
      ingest(t.repo, ok, { table: 'keyed', mode: 'upsert', key: ['amount'] }),
    ).rejects.toMatchObject({ code: 'InvalidArgumentError' });
    expect(await branchState(t.repo, 'main', 'keyed')).toEqual(before);
  });

  it('unknown tables and bad SQL', async () => {
    await expect(getTable(t.repo, 'main', 'nope')).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(getTable(t.repo, 'main', 'nope')).rejects.toMatchObject({
      code: 'TableNotFoundError',
      data: { table: 'nope', ref: 'main' },
    });
    const sqlErr = async (sql: string) => {
      try {
        await t.q(sql);
      } catch (err) {
        expect(err).toBeInstanceOf(SqlError);
        return err as SqlError;
      }
      throw new Error(`${sql} should have failed`);
    };
    const unknown = await sqlErr('SELECT * FROM nope');
    expect(unknown.code).toBe('SqlError');
    expect(unknown.message).toContain('nope');
    expect(unknown.data.sql).toBe('SELECT * FROM nope');
    const column = await sqlErr('SELECT no_such_column FROM orders');
    expect(column.message).toContain('no_such_column');
    const syntax = await sqlErr('SELEC 1');
    expect(syntax.message).toMatch(/syntax error/i);
    const cast = await sqlErr("SELECT CAST(name AS INTEGER) FROM orders WHERE name = 'a'");
    expect(cast.message).toMatch(/convert|cast/i);
    // A table of another ref is not visible under a session that did not attach it.
    await t.repo.createBranch('dev');
    await ingest(t.repo, t.file('only-dev.csv', 'a\n1\n'), { table: 'only_dev', branch: 'dev' });
    await sqlErr('SELECT * FROM only_dev');
    expect(
      await withSqlSession(t.repo, { refs: ['dev'] }, (s) =>
        s.duck.query('SELECT count(*) AS n FROM only_dev'),
      ),
    ).toMatchObject({ rows: [{ n: '1' }] });
  });
});

describe('all or nothing', () => {
  async function tenFiles(badAt: number, bad: string): Promise<string[]> {
    const files: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const rows = [0, 1, 2].map((j) => `${100 + i * 10 + j},${i}.5,2024-02-0${(j % 9) + 1},f${i}`);
      const text = i === badAt ? bad : `id,amount,day,name\n${rows.join('\n')}\n`;
      files.push(t.file(`ten/part-${String(i).padStart(2, '0')}.csv`, text));
    }
    return files;
  }

  it('a bad 7th file of 10 stages none of them (list, directory, glob; with and without commit)', async () => {
    const files = await tenFiles(7, 'id,amount,day,name\n171,1,2024-01-01,x\n172,2\n');
    const head = (await t.repo.getBranch('main')).head;
    const keys = await storedKeys();
    const attempts: [string | string[], object][] = [
      [files, {}],
      [`${t.dir}/in/ten`, { commit: { message: 'never' } }],
      [`${t.dir}/in/ten/*.csv`, { mode: 'overwrite' }],
      [files, { mode: 'upsert', key: ['id'], commit: { message: 'never' } }],
    ];
    for (const [src, extra] of attempts) {
      const err = await refused(src, 'MalformedInputError', { ...extra });
      expect(err.data.file).toBe(files[6]);
      expect(err.data.line).toBe(3);
    }
    expect((await t.repo.getBranch('main')).head).toBe(head);
    expect(await collect(t.repo.status('main'))).toEqual([]);
    // Nothing was even stored: no orphan data files.
    expect(await storedKeys()).toEqual(keys);
    expect(await t.rows('SELECT count(*) AS n FROM orders')).toEqual([{ n: '2' }]);
  });

  it('a store that fails part-way through the write stages nothing', async () => {
    const files = await tenFiles(0, '');
    const head = (await t.repo.getBranch('main')).head;
    const store = t.repo.store;
    const put = store.put.bind(store);
    let calls = 0;
    store.put = async (key, body, opts) => {
      if (++calls === 4) throw new Error('disk full (injected)');
      return put(key, body, opts);
    };
    try {
      await expect(
        ingest(t.repo, files, { table: 'orders', commit: { message: 'never' } }),
      ).rejects.toThrow('disk full (injected)');
    } finally {
      store.put = put;
    }
    expect(calls).toBeGreaterThanOrEqual(4);
    expect((await t.repo.getBranch('main')).head).toBe(head);
    expect(await collect(t.repo.status('main'))).toEqual([]);
    expect(await t.rows('SELECT count(*) AS n FROM orders')).toEqual([{ n: '2' }]);
    // The same ingest then succeeds as a whole.
    const r = await ingest(t.repo, files, { table: 'orders', commit: { message: 'ten' } });
    expect(r.inputs.length).toBe(10);
    expect(await t.rows('SELECT count(*) AS n FROM orders')).toEqual([{ n: '32' }]);
  });

  it('a type change in the 7th file of 10 stages none of them', async () => {
    const files = await tenFiles(7, 'id,amount,day,name\n171,lots,2024-01-01,x\n');
    const err = await expectRefused(
      t.repo,
      'main',
      'orders',
      () => ingest(t.repo, files, { table: 'orders', commit: { message: 'never' } }),
      'SchemaMismatchError',
    );
    expect(err.data).toMatchObject({ column: 'amount' });
    expect(await collect(t.repo.status('main'))).toEqual([]);
  });
});
