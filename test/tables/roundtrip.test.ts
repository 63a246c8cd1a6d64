// Round trip: CSV / JSON / NDJSON / Parquet in → the same rows and types out through SQL, including
// NULLs, empty strings, unicode, quoted delimiters and newlines inside fields, dates, timestamps
// with zones and decimals (exact when the input carries them — Parquet — or a schema declares
// them). The oracle is DuckDB itself: the rows of the query that produced the fixture, or of the
// fixture file read directly.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuck } from '../../src/engine/duckdb.js';
import { getTable } from '../../src/engine/tables.js';
import { ingest } from '../../src/tables/ingest.js';
import { openTestRepo, type TestRepo, typesOf, writeWithDuck } from './support.js';

let t: TestRepo;
beforeAll(async () => {
  t = await openTestRepo('roundtrip');
});
afterAll(async () => {
  await t.close();
});

/** Every type CSV and JSON inference can give, with the awkward values of each. */
const TEXT_FORMATS_SOURCE = `
  SELECT id::BIGINT AS id, name::VARCHAR AS name, amount::DOUBLE AS amount, ok::BOOLEAN AS ok,
         d::DATE AS d, ts::TIMESTAMP AS ts, tz::TIMESTAMPTZ AS tz
  FROM (VALUES
    (1, 'plain', 12.5, true, '2024-01-31', '2024-01-31 23:59:59.123456', '2024-01-31 23:30:00+05:30'),
    (2, 'comma, "quotes" and a
newline', -0.25, false, '1999-12-31', '1999-12-31 00:00:00', '1999-12-31 12:00:00-08:00'),
    (3, 'Zoë — 東京 🦆', NULL, NULL, NULL, NULL, NULL),
    (4, '', 10000000000.0, true, '2000-02-29', '2000-02-29 12:00:00', '2000-02-29 00:00:00+00'),
    (5, NULL, 0.001, false, '1970-01-01', '1970-01-01 00:00:01', '2038-01-19 03:14:07.5+01:00'),
    (6, ' padded ; tab	and ''single'' ', -1e-5, NULL, '2262-04-11', '1901-12-13 20:45:52', '2024-06-30 08:00:00-03:00')
  ) v(id, name, amount, ok, d, ts, tz)`;

async function expected(select: string) {
  return withDuck({ threads: 1 }, (d) => d.query(`${select} ORDER BY id`));
}

describe('round trip through a table', () => {
  for (const format of ['csv', 'json', 'ndjson'] as const) {
    it(`${format}: rows and types as DuckDB wrote them`, async () => {
      const ext = format === 'ndjson' ? 'ndjson' : format;
      const src = await writeWithDuck(
        `${t.dir}/in/source-${format}.${ext}`,
        TEXT_FORMATS_SOURCE,
        format,
      );
      const table = `rt_${format}`;
      const r = await ingest(t.repo, src, { table, commit: { message: `load ${format}` } });
      expect(r.rowsWritten).toBe(6);
      const want = await expected(TEXT_FORMATS_SOURCE);
      const got = await t.q(`SELECT * FROM ${table} ORDER BY id`);
      expect(typesOf(got)).toEqual(typesOf(want));
      expect(got.rows).toEqual(want.rows);
    });
  }

  it('parquet: every type, as reading the file directly gives it', async () => {
    const src = await writeWithDuck(
      `${t.dir}/in/all-types.parquet`,
      `SELECT * FROM (VALUES
        (1::INTEGER, 1::TINYINT, 2::SMALLINT, 3::BIGINT, 4::UBIGINT, 1.5::FLOAT, 2.25::DOUBLE,
         12345678901234.5678::DECIMAL(18,4), '12345678901234567890.1234567890'::DECIMAL(38,10),
         'Zoë, "q"' || chr(10) || 'x', '\\x00\\xFF'::BLOB, true, DATE '2024-02-29', TIME '23:59:59.999999',
         TIMESTAMP '2024-02-29 12:34:56.789', TIMESTAMPTZ '2024-02-29 12:34:56+09:00',
         INTERVAL 3 DAYS, '3f0b3e5a-9a8e-4d4e-8f5a-6b1b7f1c2d3e'::UUID, [1, NULL, 3]::INTEGER[],
         {'a': 1, 'b': 'x'}, MAP {'k': 1}),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL),
        (3, -128, -32768, -9223372036854775808, 18446744073709551615, -0.0, 1e308, -0.0001,
         '-0.0000000001'::DECIMAL(38,10), '', ''::BLOB, false, DATE '0001-01-01', TIME '00:00:00',
         TIMESTAMP '1677-09-22 00:00:00', TIMESTAMPTZ '1970-01-01 00:00:00+00', INTERVAL 1 MONTH,
         '00000000-0000-0000-0000-000000000000'::UUID, []::INTEGER[], {'a': NULL, 'b': NULL},
         MAP {})
      ) v(id, i8, i16, i64, u64, f32, f64, dec18, dec38, s, b, ok, d, t, ts, tz, iv, u, l, st, m)`,
    );
    await ingest(t.repo, src, { table: 'rt_parquet', commit: { message: 'load parquet' } });
    const want = await withDuck({ threads: 1 }, (d) =>
      d.query(`SELECT * FROM read_parquet('${src}') ORDER BY id`),
    );
    const got = await t.q('SELECT * FROM rt_parquet ORDER BY id');
    expect(typesOf(got)).toEqual(typesOf(want));
    expect(got.rows).toEqual(want.rows);
    // Decimals are exact, not doubles.
    expect(got.rows[0]?.dec18).toBe('12345678901234.5678');
    expect(got.rows[0]?.dec38).toBe('12345678901234567890.1234567890');
    expect(typesOf(got).dec38).toBe('DECIMAL(38,10)');
    const manifest = (await getTable(t.repo, 'main', 'rt_parquet')).manifest;
    expect(manifest.columns.find((c) => c.name === 'dec18')?.type).toBe('DECIMAL(18,4)');
  });

  it('a hand-written CSV: quoting, CRLF, a BOM, unicode, empty string vs NULL', async () => {
    const text =
      '\uFEFFid,name,note,when,at\r\n' +
      '1,"a, b","say ""hi""",2024-01-02,2024-01-02T03:04:05+02:00\r\n' +
      '2,"multi\r\nline\nfield",,2024-12-31,2024-12-31 23:59:59Z\r\n' +
      '3,"",plain,,\r\n' +
      '4,Ünïcödé 漢字 🦆,"",1999-01-01,1999-01-01 00:00:00-05:00\r\n';
    const src = t.file('hand.csv', text);
    await ingest(t.repo, src, { table: 'hand', commit: { message: 'hand' } });
    const got = await t.q('SELECT * FROM hand ORDER BY id');
    expect(typesOf(got)).toEqual({
      id: 'BIGINT',
      name: 'VARCHAR',
      note: 'VARCHAR',
      when: 'DATE',
      at: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(got.rows).toEqual([
      { id: '1', name: 'a, b', note: 'say "hi"', when: '2024-01-02', at: '2024-01-02 01:04:05+00' },
      {
        id: '2',
        name: 'multi\r\nline\nfield',
        note: null,
        when: '2024-12-31',
        at: '2024-12-31 23:59:59+00',
      },
      { id: '3', name: '', note: 'plain', when: null, at: null },
      {
        id: '4',
        name: 'Ünïcödé 漢字 🦆',
        note: '',
        when: '1999-01-01',
        at: '1999-01-01 05:00:00+00',
      },
    ]);
  });

  it('gzip-compressed inputs read as their inner format', async () => {
    const csv = t.file('z.csv.gz', gzipSync('id,name\n1,"a, b"\n2,\n'));
    const tsv = t.file('z.tsv.gz', gzipSync('id\tname\n3\tc\n'));
    const nd = t.file('z.ndjson.gz', gzipSync('{"id": 4, "name": "d"}\n'));
    const js = t.file('z.json.gz', gzipSync('[{"id": 5, "name": "e"}]'));
    await ingest(t.repo, [csv, tsv, nd, js], { table: 'gz' });
    expect(await t.rows('SELECT id, name FROM gz ORDER BY id')).toEqual([
      { id: '1', name: 'a, b' },
      { id: '2', name: null },
      { id: '3', name: 'c' },
      { id: '4', name: 'd' },
      { id: '5', name: 'e' },
    ]);
  });

  it('JSON and NDJSON with a byte order mark (as Windows tools write them)', async () => {
    const arr = t.file('bom.json', '\uFEFF[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]');
    const nd = t.file('bom.ndjson', '\uFEFF{"id": 3, "name": "c"}\n');
    const gz = t.file('bom.ndjson.gz', gzipSync('\uFEFF{"id": 4, "name": "d"}\n'));
    const r = await ingest(t.repo, [arr, nd, gz], { table: 'bom' });
    expect(r.inputs.map((i) => i.file)).toEqual([arr, nd, gz]);
    const got = await t.q('SELECT * FROM bom ORDER BY id');
    expect(typesOf(got)).toEqual({ id: 'BIGINT', name: 'VARCHAR' });
    expect(got.rows.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a JSON array and NDJSON: nested values, unicode escapes, nulls, missing keys', async () => {
    const records = [
      { id: 1, name: 'caf\u00e9 \u2603', tags: ['a', 'b'], geo: { lat: 1.5, lon: -2 }, n: null },
      { id: 2, name: 'line\nbreak "q" \\ back', tags: [], geo: { lat: 0, lon: 0 } },
      { id: 3, name: null, tags: null, geo: null, n: 7 },
    ];
    const arr = t.file('recs.json', JSON.stringify(records, null, 2));
    const nd = t.file('recs.ndjson', `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    for (const [table, src] of [
      ['j_arr', arr],
      ['j_nd', nd],
    ] as const) {
      await ingest(t.repo, src, { table });
      const got = await t.q(`SELECT * FROM ${table} ORDER BY id`);
      // Nested types are DuckDB's reading of the file, whatever it is.
      const fmt = src.endsWith('.json') ? 'auto' : 'newline_delimited';
      const want = await withDuck({ threads: 1 }, (d) =>
        d.query(`SELECT * FROM read_json('${src}', format = '${fmt}') ORDER BY id`),
      );
      expect(typesOf(got)).toEqual(typesOf(want));
      expect(got.rows).toEqual(want.rows);
      expect(typesOf(got)).toMatchObject({ id: 'BIGINT', name: 'VARCHAR', tags: 'VARCHAR[]' });
      expect(typesOf(got).geo).toMatch(/^STRUCT\(/);
      expect(got.rows.map((r) => [r.name, r.tags, r.n])).toEqual([
        ['café ☃', ['a', 'b'], null],
        ['line\nbreak "q" \\ back', [], null],
        [null, null, '7'],
      ]);
    }
  });

  it('JSON timestamps with an offset keep their zone; dates and naive timestamps keep theirs', async () => {
    const src = t.file(
      'zones.ndjson',
      [
        '{"id":1,"d":"2024-01-02","ts":"2024-01-02T03:04:05","tz":"2024-01-02T03:04:05+02:00"}',
        '{"id":2,"d":"2024-01-03","ts":"2024-01-03 00:00:00","tz":"2024-01-02T23:00:00Z"}',
        '{"id":3,"d":null,"ts":null,"tz":null}',
      ].join('\n'),
    );
    await ingest(t.repo, src, { table: 'zones' });
    const got = await t.q('SELECT * FROM zones ORDER BY id');
    expect(typesOf(got)).toEqual({
      id: 'BIGINT',
      d: 'DATE',
      ts: 'TIMESTAMP',
      tz: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(got.rows.map((r) => r.tz)).toEqual([
      '2024-01-02 01:04:05+00',
      '2024-01-02 23:00:00+00',
      null,
    ]);
  });

  it('an explicit schema gives exact decimals and declared types from CSV and JSON', async () => {
    const schema = [
      { name: 'id', type: 'int' },
      { name: 'zip', type: 'VARCHAR' },
      { name: 'price', type: 'DECIMAL(18,4)' },
      { name: 'big', type: 'DECIMAL(38,9)' },
      { name: 'at', type: 'timestamptz' },
      { name: 'day', type: 'DATE' },
      { name: 'missing', type: 'SMALLINT' },
    ];
    const csv = t.file(
      'prices.csv',
      'id,zip,price,big,at,day\n' +
        '1,01234,12345678901234.5678,12345678901234567890123456789.123456789,2024-01-02 03:04:05+01,2024-01-02\n' +
        '2,99999,0.1,-0.000000001,2024-01-02 03:04:05,\n' +
        '3,,,,,\n',
    );
    const json = t.file(
      'prices.json',
      JSON.stringify([
        {
          id: 1,
          zip: '01234',
          price: 1234567.1234,
          big: '12345678901234567890123456789.123456789',
          at: '2024-01-02 03:04:05+01',
          day: '2024-01-02',
        },
        { id: 2, zip: '99999', price: 0.1, big: '-0.000000001', at: '2024-01-02 03:04:05' },
        { id: 3, zip: null, price: null, big: null, at: null, day: null },
      ]),
    );
    const want = {
      id: 'INTEGER',
      zip: 'VARCHAR',
      price: 'DECIMAL(18,4)',
      big: 'DECIMAL(38,9)',
      at: 'TIMESTAMP WITH TIME ZONE',
      day: 'DATE',
      missing: 'SMALLINT',
    };
    await ingest(t.repo, csv, { table: 'px_csv', schema });
    const c = await t.q('SELECT * FROM px_csv ORDER BY id');
    expect(typesOf(c)).toEqual(want);
    expect(c.rows).toEqual([
      {
        id: 1,
        zip: '01234',
        price: '12345678901234.5678',
        big: '12345678901234567890123456789.123456789',
        at: '2024-01-02 02:04:05+00',
        day: '2024-01-02',
        missing: null,
      },
      {
        id: 2,
        zip: '99999',
        price: '0.1000',
        big: '-0.000000001',
        at: '2024-01-02 03:04:05+00',
        day: null,
        missing: null,
      },
      { id: 3, zip: null, price: null, big: null, at: null, day: null, missing: null },
    ]);

    await ingest(t.repo, json, { table: 'px_json', schema });
    const j = await t.q('SELECT * FROM px_json ORDER BY id');
    expect(typesOf(j)).toEqual(want);
    expect(j.rows.map((r) => [r.zip, r.price, r.big, r.at])).toEqual([
      [
        '01234',
        '1234567.1234',
        '12345678901234567890123456789.123456789',
        '2024-01-02 02:04:05+00',
      ],
      ['99999', '0.1000', '-0.000000001', '2024-01-02 03:04:05+00'],
      [null, null, null, null],
    ]);
    const m = (await getTable(t.repo, 'main', 'px_json')).manifest;
    expect(m.columns.map((x) => x.type)).toEqual(Object.values(want));
  });

  it('property: any strings survive a CSV round trip (quotes, delimiters, newlines, unicode, "")', async () => {
    const unit = fc.constantFrom(
      'a',
      'Z',
      '0',
      ' ',
      ',',
      ';',
      '"',
      "'",
      '\\',
      '\n',
      '\r\n',
      '\t',
      'é',
      '東',
      '🦆',
      '—',
    );
    const row = fc.record({
      s: fc.option(fc.string({ unit, maxLength: 12 }), { nil: null }),
      n: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: null }),
    });
    const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const text =
          'id,s,n\n' +
          rows
            .map((r, i) => `${i},${r.s === null ? '' : quote(r.s)},${r.n === null ? '' : r.n}`)
            .join('\n') +
          '\n';
        const src = t.file(`prop-${run++}.csv`, text);
        await ingest(t.repo, src, {
          table: 'prop',
          mode: 'overwrite',
          schema: [
            { name: 'id', type: 'INTEGER' },
            { name: 's', type: 'VARCHAR' },
            { name: 'n', type: 'INTEGER' },
          ],
        });
        const got = await t.rows('SELECT id, s, n FROM prop ORDER BY id');
        expect(got).toEqual(rows.map((r, i) => ({ id: i, s: r.s, n: r.n })));
      }),
      { numRuns: 15, seed: 20240601 },
    );
  });
});
