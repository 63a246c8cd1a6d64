// End to end through the built CLI: ingest, sql (every output format, several refs, stdin and the
// interactive prompt), table list/show/history, export — and the exit codes and stable error codes
// of bad input, which must leave nothing staged. The fixture (orders on main, and on branch feat/x
// with one more row and a new column) is only read; tests that write use tables of their own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, ROOT } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-tables-');
const repo = join(root, 'repo');
const sluice = cliFor(repo);
const file = (name: string, text: string): string => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};

const ORDERS = 'id,amount,name\n1,12.5,a\n2,3,"b, c"\n3,,x\n';

beforeAll(async () => {
  await buildOnce();
  expect((await runCli(['init', repo, '--quiet'])).code).toBe(0);
  ok(await sluice(['ingest', file('orders.csv', ORDERS), '--table', 'orders', '--commit']));
  ok(await sluice(['branch', 'create', 'feat/x']));
  ok(
    await sluice([
      'ingest',
      file('feat.csv', 'id,amount,name,region\n9,100,z,eu\n'),
      '--table',
      'orders',
      '-b',
      'feat/x',
      '--commit',
    ]),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

function ok(r: CliResult): CliResult {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
}

const nothingStaged = async (branch = 'main'): Promise<void> => {
  const s = ok(await sluice(['--json', 'status', '-b', branch]));
  expect(s.json.changes).toEqual([]);
};

describe('ingest', () => {
  it('a CSV with --commit: one commit with the default message, nothing left staged', async () => {
    const r = ok(
      await sluice([
        '--json',
        'ingest',
        file('more.csv', 'id,amount,name\n4,1.25,d\n'),
        '--table',
        'more',
        '--commit',
      ]),
    );
    expect(r.json).toMatchObject({
      table: 'more',
      branch: 'main',
      mode: 'append',
      rowsWritten: 1,
      created: true,
      filesRemoved: [],
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'amount', type: 'DOUBLE' },
        { name: 'name', type: 'VARCHAR' },
      ],
      commit: { message: 'Ingest more (append)' },
    });
    expect(r.json.filesAdded).toHaveLength(1);
    expect(r.json.schemaChanges).toHaveLength(3);
    await nothingStaged();

    // Human summary; without --commit the rows are only staged.
    const human = ok(
      await sluice(['ingest', file('more2.csv', 'id,amount,name\n5,2,e\n'), '--table', 'more']),
    );
    expect(human.stdout).toMatch(/wrote to more on main \(append\): 1 row written/);
    expect(human.stdout).toMatch(/files: 1 added, 0 removed/);
    expect(human.stdout).toMatch(/staged on main/);
    const s = ok(await sluice(['--json', 'status']));
    expect(s.json.changes).toHaveLength(1);
    const c = ok(await sluice(['commit', '-m', 'more rows']));
    expect(c.stdout).toMatch(/more rows/);

    // A quoted glob: every match, in one staged write.
    mkdirSync(join(root, 'daily'));
    file('daily/d1.csv', 'id,amount,name\n6,1,f\n');
    file('daily/d2.csv', 'id,amount,name\n7,1,g\n8,1,h\n');
    const g = ok(
      await sluice([
        '--json',
        'ingest',
        join(root, 'daily', '*.csv'),
        '--table',
        'more',
        '-m',
        'daily',
      ]),
    );
    expect(g.json.inputs.map((i: { rows: number }) => i.rows)).toEqual([1, 2]);
    const n = ok(await sluice(['sql', 'SELECT count(*) AS n FROM more', '--format', 'csv']));
    expect(n.stdout).toBe('n\n5\n');
  });

  it('-q prints nothing but errors; --decimal-separator reads a European CSV', async () => {
    const eu = file('eu.csv', 'id;"Net Amount"\r\n1;1,50\r\n2;3,25\r\n\r\n');
    const q = ok(
      await sluice([
        '-q',
        'ingest',
        eu,
        '--table',
        'eu',
        '--delimiter',
        ';',
        '--decimal-separator',
        ',',
        '-m',
        'eu',
      ]),
    );
    expect({ stdout: q.stdout, stderr: q.stderr }).toEqual({ stdout: '', stderr: '' });
    const s = ok(await sluice(['sql', 'SELECT sum("Net Amount") AS s FROM eu', '--format', 'csv']));
    expect(s.stdout).toBe('s\n4.75\n');
    expectError(
      await sluice(['--json', 'ingest', eu, '--table', 'eu2', '--decimal-separator', ',']),
      1,
      'InvalidArgumentError',
    );
    await nothingStaged();
  });

  it('--schema (YAML map or JSON list), CSV dialect options, -m, --key with upsert', async () => {
    const schema = file('schema.yaml', 'columns:\n  sku: VARCHAR\n  qty: INTEGER\n  day: DATE\n');
    const src = file('stock.csv', 'sku;qty;day\nA1;3;01/02/2026\nB2;NA;03/02/2026\n');
    const r = ok(
      await sluice([
        '--json',
        'ingest',
        src,
        '--table',
        'stock',
        '--schema',
        schema,
        '--delimiter',
        ';',
        '--null',
        'NA',
        '--date-format',
        '%d/%m/%Y',
        '--key',
        'sku',
        '-m',
        'stock v1',
      ]),
    );
    expect(r.json.columns).toEqual([
      { name: 'sku', type: 'VARCHAR' },
      { name: 'qty', type: 'INTEGER' },
      { name: 'day', type: 'DATE' },
    ]);
    expect(r.json.primaryKey).toEqual(['sku']);
    expect(r.json.commit.message).toBe('stock v1');
    const q = ok(await sluice(['--json', 'sql', 'SELECT * FROM stock ORDER BY sku']));
    expect(q.json.rows).toEqual([
      { sku: 'A1', qty: 3, day: '2026-02-01' },
      { sku: 'B2', qty: null, day: '2026-02-03' },
    ]);

    const up = ok(
      await sluice([
        '--json',
        'ingest',
        file('stock2.csv', 'sku,qty,day\nB2,7,2026-02-04\n'),
        '--table',
        'stock',
        '--mode',
        'upsert',
        // No schema this time: 7 is inferred BIGINT, and fits the table's INTEGER column.
        '--commit',
      ]),
    );
    // One input row written; A1 was copied into the rewritten file.
    expect(up.json).toMatchObject({
      mode: 'upsert',
      rowsWritten: 1,
      rowsRewritten: 1,
      rowsReplaced: 1,
    });
    const after = ok(await sluice(['--json', 'sql', 'SELECT sku, qty FROM stock ORDER BY sku']));
    expect(after.json.rows).toEqual([
      { sku: 'A1', qty: 3 },
      { sku: 'B2', qty: 7 },
    ]);
    const history = ok(await sluice(['--json', 'table', 'history', 'stock']));
    expect(history.json.commits.map((c: { message: string }) => c.message)).toEqual([
      'Ingest stock (upsert)',
      'stock v1',
    ]);

    // The list shape of a schema, in JSON.
    const listed = file('schema.json', '{"columns":[{"name":"k","type":"BIGINT"}]}');
    const j = ok(
      await sluice([
        '--json',
        'ingest',
        file('k.csv', 'k\n1\n'),
        '--table',
        'ks',
        '--schema',
        listed,
        '-m',
        'ks',
      ]),
    );
    expect(j.json.columns).toEqual([{ name: 'k', type: 'BIGINT' }]);
    await nothingStaged();
  });
});

describe('sql', () => {
  const Q = 'SELECT id, amount, name FROM orders ORDER BY id';

  it('prints an aligned table, CSV, a JSON array, NDJSON, and {columns, rows} under --json', async () => {
    const [table, csv, json, ndjson, doc] = await Promise.all([
      sluice(['sql', Q]),
      sluice(['sql', Q, '--format', 'csv']),
      sluice(['sql', Q, '--format', 'json']),
      sluice(['sql', Q, '--format', 'ndjson']),
      sluice(['--json', 'sql', Q]),
    ]);
    expect(ok(table).stdout).toBe(
      'id  amount  name\n--  ------  ----\n 1    12.5  a\n 2       3  b, c\n 3    NULL  x\n(3 rows)\n',
    );
    expect(ok(csv).stdout).toBe('id,amount,name\n1,12.5,a\n2,3,"b, c"\n3,,x\n');
    expect(JSON.parse(ok(json).stdout)).toEqual([
      { id: 1, amount: 12.5, name: 'a' },
      { id: 2, amount: 3, name: 'b, c' },
      { id: 3, amount: null, name: 'x' },
    ]);
    expect(
      ok(ndjson)
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toHaveLength(3);
    expect(ok(doc).json).toEqual({
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'amount', type: 'DOUBLE' },
        { name: 'name', type: 'VARCHAR' },
      ],
      rows: [
        { id: '1', amount: 12.5, name: 'a' },
        { id: '2', amount: 3, name: 'b, c' },
        { id: '3', amount: null, name: 'x' },
      ],
    });
    // An empty result is still a valid document.
    const none = ok(await sluice(['sql', 'SELECT * FROM orders WHERE false', '--format', 'json']));
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('reads SQL from stdin when it is not a terminal; several statements, the last is printed', async () => {
    const r = ok(
      await sluice(['sql', '--format', 'csv'], {
        input:
          'CREATE TEMP TABLE t AS SELECT sum(id) AS s FROM orders;\nSELECT s FROM t; -- done\n',
      }),
    );
    expect(r.stdout).toBe('s\n6\n');
    expectError(
      await sluice(['--json', 'sql'], { input: '  -- nothing\n' }),
      1,
      'InvalidArgumentError',
    );
  });

  it('--out writes parquet through DuckDB; the file ingests back as another table', async () => {
    const out = join(root, 'big.parquet');
    const w = ok(
      await sluice([
        '--json',
        'sql',
        'SELECT * FROM orders WHERE amount IS NOT NULL -- c',
        '--out',
        out,
      ]),
    );
    expect(w.json).toEqual({ out, format: 'parquet', rows: 2 });
    const i = ok(
      await sluice(['--json', 'ingest', out, '--table', 'copied', '-m', 'from parquet']),
    );
    expect(i.json).toMatchObject({ rowsWritten: 2, inputs: [{ format: 'parquet', rows: 2 }] });
    const c = ok(
      await sluice([
        'sql',
        'SELECT count(*) AS n, sum(amount) AS s FROM copied',
        '--format',
        'csv',
      ]),
    );
    expect(c.stdout).toBe('n,s\n2,15.5\n');
    // Parquet only goes to a file; `table` only to the terminal.
    expectError(
      await sluice(['--json', 'sql', 'SELECT 1', '--format', 'parquet']),
      1,
      'InvalidArgumentError',
    );
    expectError(
      await sluice([
        '--json',
        'sql',
        'SELECT 1',
        '--format',
        'table',
        '--out',
        join(root, 'x.csv'),
      ]),
      1,
      'InvalidArgumentError',
    );
  });

  it('several --ref: one schema per ref, compared in one query', async () => {
    const r = ok(
      await sluice([
        '--json',
        'sql',
        '--ref',
        'main',
        '--ref',
        'feat/x',
        'SELECT (SELECT count(*) FROM main.orders) AS on_main, (SELECT count(*) FROM feat_x.orders) AS on_feat, ' +
          '(SELECT list(region) FROM feat_x.orders WHERE region IS NOT NULL) AS regions',
      ]),
    );
    expect(r.json.rows).toEqual([{ on_main: '3', on_feat: '4', regions: ['eu'] }]);
    // One ref: plain names are that ref's tables.
    const one = ok(
      await sluice([
        'sql',
        '--ref',
        'feat/x',
        'SELECT count(*) AS n FROM orders',
        '--format',
        'csv',
      ]),
    );
    expect(one.stdout).toBe('n\n4\n');
    await nothingStaged('feat/x');
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'an interactive prompt on a terminal: statements end with ;, errors do not end it',
    () => {
      const input =
        'SELECT 40 + 2 AS answer;\nSELECT\n  count(*) AS n FROM orders;\n.tables\nSELEC 1;\nSELECT 7 AS after_error;\n.exit\n';
      const r = spawnSync(
        'script',
        ['-qec', `"${process.execPath}" bin/sluice.js sql`, '/dev/null'],
        {
          cwd: ROOT,
          input,
          env: { ...process.env, SLUICE_REPO: repo, SLUICE_USER: 'tester' },
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const out = r.stdout.replace(/\r/g, '');
      expect(out).toMatch(/answer\n------\n *42\n\(1 row\)/);
      expect(out).toMatch(/n\n-\n3\n\(1 row\)/);
      expect(out).toMatch(/^orders$/m);
      expect(out).toMatch(/error: Parser Error: syntax error at or near "SELEC"/);
      expect(out).toMatch(/after_error\n-----------\n *7\n/);
    },
  );
});

describe('table list / show / history, export', () => {
  it('list and show: columns, key, rows, files and size', async () => {
    const list = ok(await sluice(['--json', 'table', 'list']));
    const orders = list.json.tables.find((t: { name: string }) => t.name === 'orders');
    expect(orders).toMatchObject({ name: 'orders', rows: 3, files: 1 });
    expect(orders.bytes).toBeGreaterThan(0);
    const human = ok(await sluice(['table', 'list']));
    expect(human.stdout).toMatch(/^NAME +ROWS +FILES +SIZE +COLUMNS$/m);
    expect(human.stdout).toMatch(/^orders +3 +1 +\d+ B +3$/m);

    const show = ok(await sluice(['--json', 'table', 'show', 'orders']));
    expect(show.json.table).toMatchObject({
      name: 'orders',
      ref: 'main',
      rows: 3,
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'amount', type: 'DOUBLE' },
        { name: 'name', type: 'VARCHAR' },
      ],
    });
    expect(show.json.table.files).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^tables\/orders\/.*\.parquet$/),
        rows: 3,
      }),
    ]);
    const h = ok(await sluice(['table', 'show', 'orders', '--ref', 'feat/x']));
    expect(h.stdout).toMatch(/^table orders at feat\/x$/m);
    expect(h.stdout).toMatch(/^rows: +4 in 2 file\(s\)/m);
    expect(h.stdout).toMatch(/^region +VARCHAR$/m);
  });

  it('history: the commits that changed a table, newest first', async () => {
    const all = ok(await sluice(['--json', 'table', 'history', 'orders', '--ref', 'feat/x']));
    expect(all.json.commits.map((c: { message: string }) => c.message)).toEqual([
      'Ingest orders (append)',
      'Ingest orders (append)',
    ]);
    expect(all.json).toMatchObject({ table: 'orders', ref: 'feat/x' });
    const one = ok(
      await sluice(['table', 'history', 'orders', '--ref', 'feat/x', '-n', '1', '--oneline']),
    );
    expect(one.stdout).toMatch(/^[0-9a-f]{12} Ingest orders \(append\)\n$/);
  });

  it('export to CSV, JSON and Parquet', async () => {
    const csv = join(root, 'orders-out.csv');
    const json = join(root, 'orders-out.json');
    const pq = join(root, 'orders-out.pq');
    const [a, b, c] = await Promise.all([
      sluice(['--json', 'export', 'orders', '--out', csv]),
      sluice(['export', 'orders', '--out', json, '--ref', 'feat/x']),
      sluice(['--json', 'export', 'orders', '--out', pq, '--format', 'parquet']),
    ]);
    expect(ok(a).json).toEqual({ table: 'orders', ref: 'main', out: csv, format: 'csv', rows: 3 });
    expect(ok(b).stdout).toMatch(/exported 4 row\(s\) of orders at feat\/x/);
    expect(ok(c).json).toMatchObject({ format: 'parquet', rows: 3 });
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('id,amount,name');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(4);
    const back = ok(
      await sluice(['sql', `SELECT sum(id) AS s FROM read_parquet('${pq}')`, '--format', 'csv']),
    );
    expect(back.stdout).toBe('s\n6\n');
  });
});

describe('table diff', () => {
  it('schema first, then rows as multisets; by key after an upsert, with samples', async () => {
    const d = ok(await sluice(['--json', 'table', 'diff', 'orders', 'main', 'feat/x'])).json.diff;
    expect(d.schemaChanges).toEqual([{ column: 'region', change: 'added', after: 'VARCHAR' }]);
    expect(d).toMatchObject({ added: 1, removed: 0, changed: 0, filesSkipped: 1 });
    expect(d.primaryKey).toBeUndefined();
    expect(d.samples.added).toEqual([{ id: '9', amount: 100, name: 'z', region: 'eu' }]);

    ok(
      await sluice([
        'ingest',
        file('k1.csv', 'id,v\n1,a\n2,b\n3,c\n'),
        '--table',
        'kd',
        '--key',
        'id',
        '-m',
        'kd',
      ]),
    );
    ok(await sluice(['branch', 'create', 'kd-fix']));
    ok(
      await sluice([
        'ingest',
        file('k2.csv', 'id,v\n2,B\n4,d\n'),
        '--table',
        'kd',
        '--mode',
        'upsert',
        '-b',
        'kd-fix',
        '-m',
        'fix',
      ]),
    );
    const human = ok(await sluice(['table', 'diff', 'kd', 'main', 'kd-fix']));
    expect(human.stdout).toContain('schema: unchanged');
    expect(human.stdout).toContain('rows by key (id): 1 added, 0 removed, 1 changed');
    expect(human.stdout).toMatch(/changed \(sample, left → right\):\n.*\n2\s+b → B/);
    const j = ok(await sluice(['--json', 'table', 'diff', 'kd', 'main', 'kd-fix', '--sample', '0']))
      .json.diff;
    expect(j).toMatchObject({ added: 1, removed: 0, changed: 1, primaryKey: ['id'] });
    expect(j.samples).toEqual({ added: [], removed: [], changed: [] });
  });

  it('unknown table or ref, and a bad --sample, are refused', async () => {
    expectError(
      await sluice(['--json', 'table', 'diff', 'nope', 'main', 'feat/x']),
      3,
      'TableNotFoundError',
    );
    expectError(
      await sluice(['--json', 'table', 'diff', 'orders', 'main', 'nope']),
      3,
      'RefNotFoundError',
    );
    expectError(
      await sluice(['--json', 'table', 'diff', 'orders', 'main', 'feat/x', '--sample', '-1']),
      1,
      'InvalidArgumentError',
    );
  });
});

describe('errors: exit codes and stable codes, nothing staged', () => {
  it('unknown table → TableNotFoundError (3); bad SQL → SqlError (1)', async () => {
    const [show, hist, exp, sql, syntax] = await Promise.all([
      sluice(['--json', 'table', 'show', 'nope']),
      sluice(['--json', 'table', 'history', 'nope']),
      sluice(['--json', 'export', 'nope', '--out', join(root, 'nope.csv')]),
      sluice(['--json', 'sql', 'SELECT * FROM nope']),
      sluice(['sql', 'SELEC 1']),
    ]);
    expectError(show, 3, 'TableNotFoundError');
    expectError(hist, 3, 'TableNotFoundError');
    expectError(exp, 3, 'TableNotFoundError');
    expectError(sql, 1, 'SqlError');
    expect(sql.json.error.message).toMatch(/nope/);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^error: Parser Error: syntax error at or near "SELEC"/);
  });

  it('malformed CSV → MalformedInputError naming the line; nothing staged', async () => {
    const bad = file('bad.csv', 'id,amount,name\n4,1,a\n5,2\n6,3,c\n');
    const r = await sluice(['--json', 'ingest', bad, '--table', 'orders', '--commit']);
    expectError(r, 1, 'MalformedInputError');
    expect(r.json.error.data).toMatchObject({ file: bad, format: 'csv', line: 3 });
    expect(r.json.error.message).toMatch(/line 3/);
    await nothingStaged();
  });

  it('a type change on append → SchemaMismatchError; nothing staged', async () => {
    const r = await sluice([
      '--json',
      'ingest',
      file('retype.csv', 'id,amount,name\n7,lots,q\n'),
      '--table',
      'orders',
    ]);
    expectError(r, 1, 'SchemaMismatchError');
    expect(r.json.error.data).toMatchObject({
      table: 'orders',
      column: 'amount',
      tableType: 'DOUBLE',
    });
    await nothingStaged();
    const log = ok(await sluice(['--json', 'table', 'history', 'orders']));
    expect(log.json.commits).toHaveLength(1);
  });

  it('bad options and schema files are refused before anything runs', async () => {
    const src = file('ok.csv', 'id\n1\n');
    const badShape = file('bad-schema.yaml', 'columns:\n  - name: id\n');
    const notYaml = file('bad-schema.json', '{"columns": [');
    const [mode, shape, parse, missing, delim, meta, name] = await Promise.all([
      sluice(['--json', 'ingest', src, '--table', 't', '--mode', 'merge']),
      sluice(['--json', 'ingest', src, '--table', 't', '--schema', badShape]),
      sluice(['--json', 'ingest', src, '--table', 't', '--schema', notYaml]),
      sluice(['--json', 'ingest', join(root, 'missing.csv'), '--table', 't']),
      sluice(['--json', 'ingest', src, '--table', 't', '--delimiter', ';;']),
      sluice(['--json', 'ingest', src, '--table', 't', '--meta', 'k=v']),
      sluice(['--json', 'ingest', src, '--table', '1t']),
    ]);
    expectError(mode, 1, 'InvalidArgumentError');
    expectError(shape, 1, 'InvalidConfigError');
    expect(shape.json.error.data.file).toBe(badShape);
    expect(shape.json.error.message).toContain(badShape);
    expectError(parse, 1, 'InvalidConfigError');
    expectError(missing, 3, 'FileNotFoundError');
    expectError(delim, 1, 'InvalidArgumentError');
    expectError(meta, 1, 'InvalidArgumentError');
    expectError(name, 1, 'InvalidNameError');
    await nothingStaged();
  });
});
