// Strict configuration, as a user meets it: an unknown key in each kind of file a user writes —
// sluice.yml, ingestors/*.yml, checks/*.yml, a properties file of models, dbt_project.yml — is
// refused with the file, the line and the key meant, and nothing is written; a key dbt defines
// that Sluice does not use yet is one warning, and the command does its work.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, tempDir } from '../support/cli.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/shop');
const root = tempDir('sluice-cli-config-');

beforeAll(buildOnce);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh copy of the example project as an embedded repository. */
async function project() {
  const dir = join(root, `shop-${n++}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  const cli = cliFor(dir);
  // Run where the user would: in the project (files are named relative to it).
  const sluice = (args: string[]) => cli(args, { cwd: dir });
  expect((await cli(['init', dir, '-q'])).code).toBe(0);
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const edit = (path: string, f: (text: string) => string) =>
    writeFileSync(join(dir, path), f(readFileSync(join(dir, path), 'utf8')));
  /** What a read sees of the repository: branches and their heads, staged changes, events. */
  const state = async () => {
    const branches = await sluice(['--json', 'branch', 'list']);
    const status = await sluice(['--json', 'status']);
    return { branches: branches.json, status: status.json };
  };
  return { dir, sluice, write, edit, state };
}

/** An InvalidConfigError naming the file, the line and the suggestion, in --json and in text. */
function expectUnknownKey(
  r: CliResult,
  file: string,
  line: number,
  key: string,
  meant: string,
): void {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const e = r.json.error;
  expect(e.code).toBe('InvalidConfigError');
  expect(e.data).toMatchObject({ file, line });
  expect(e.message).toContain(`${file}:${line}:`);
  expect(e.message).toContain(`unknown key \`${key}\`; did you mean \`${meant}\`?`);
}

describe('an unknown key is refused with file, line and suggestion, and nothing is written', () => {
  it('sluice.yml: `branches: {protect: [main]}` suggests gates', async () => {
    const p = await project();
    p.edit('sluice.yml', (t) => `${t}branches:\n  protect: [main]\n`);
    const line =
      readFileSync(join(p.dir, 'sluice.yml'), 'utf8').split('\n').indexOf('branches:') + 1;
    const csv = join(p.dir, 'x.csv');
    writeFileSync(csv, 'a\n1\n');
    const put = await p.sluice(['--json', 'put', csv, 'raw/x.csv']);
    expectUnknownKey(put, 'sluice.yml', line, 'branches', 'gates');
    const text = await p.sluice(['put', csv, 'raw/x.csv']);
    expect(text.stderr).toContain(
      `sluice.yml:${line}: branches: unknown key \`branches\`; did you mean \`gates\`?`,
    );
    // With the key fixed, nothing had been staged.
    p.edit('sluice.yml', (t) => t.replace('branches:\n  protect: [main]\n', ''));
    expect((await p.state()).status.changes).toEqual([]);
  });

  it('ingestors/*.yml: a misspelt key suggests the one meant, and no run starts', async () => {
    const p = await project();
    p.write('exports/orders.csv', 'id,amount\n1,10\n');
    p.write(
      'ingestors/orders.yml',
      'name: orders\nkind: files\npath: exports/orders.csv\ntabel: orders\n',
    );
    const before = await p.state();
    const r = await p.sluice(['--json', 'load', 'orders']);
    expectUnknownKey(r, 'ingestors/orders.yml', 4, 'tabel', 'table');
    expect(await p.state()).toEqual(before);
  });

  it('checks/*.yml: a column key misspelt, no check runs and nothing is stored', async () => {
    const p = await project();
    expect((await p.sluice(['-q', 'seed'])).code).toBe(0);
    p.write(
      'checks/raw.yml',
      'version: 2\nmodels:\n  - name: raw_orders\n    colums:\n      - name: id\n        tests: [not_null]\n',
    );
    const r = await p.sluice(['--json', 'check']);
    expectUnknownKey(r, 'checks/raw.yml', 4, 'colums', 'columns');
    const history = await p.sluice(['--json', 'check', 'history', 'raw_orders']);
    expect(history.json.runs).toEqual([]);
  });

  it('a properties file of models: the build stops before anything is written', async () => {
    const p = await project();
    p.edit('models/marts/schema.yml', (t) =>
      t.replace('  - name: customers\n', '  - name: customers\n    descripton: the customers\n'),
    );
    const line =
      readFileSync(join(p.dir, 'models/marts/schema.yml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('descripton:')) + 1;
    const before = await p.state();
    const r = await p.sluice(['--json', 'build']);
    expectUnknownKey(r, 'models/marts/schema.yml', line, 'descripton', 'description');
    expect(await p.state()).toEqual(before);
  });

  it('dbt_project.yml: a dbt 0.x path key suggests its dbt 1.x name', async () => {
    const p = await project();
    rmSync(join(p.dir, 'sluice.yml'));
    p.write('dbt_project.yml', 'name: shop\nsource-paths: [models]\nseed-paths: [seeds]\n');
    const before = await p.state();
    const r = await p.sluice(['--json', 'build']);
    expectUnknownKey(r, 'dbt_project.yml', 2, 'source-paths', 'model-paths');
    expect(await p.state()).toEqual(before);
  });
});

describe('a key dbt defines and Sluice does not use yet', () => {
  it('is one warning naming every such key, and the command works', async () => {
    const p = await project();
    rmSync(join(p.dir, 'sluice.yml'));
    p.write(
      'dbt_project.yml',
      [
        'name: shop',
        'config-version: 2',
        'profile: shop',
        'model-paths: [models]',
        'seed-paths: [seeds]',
        'vars:',
        '  currency: EUR',
        '  payment_methods: [credit_card, bank_transfer, gift_card, coupon]',
        'models:',
        '  shop:',
        '    staging: {+materialized: view, +schema: staging}',
        '    marts: {+materialized: table}',
        '',
      ].join('\n'),
    );
    p.edit('models/marts/schema.yml', (t) =>
      t.replace('  - name: customers\n', '  - name: customers\n    meta: {owner: sales}\n'),
    );
    const r = await p.sluice(['--json', 'build']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.run.status).toBe('success');
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    for (const key of [
      'config-version',
      'profile',
      'models.shop.staging.+schema',
      'models[0].meta',
    ])
      expect(warnings[0]).toContain(`\`${key}\``);
    expect(warnings[0]).toContain('dbt_project.yml:2');
  });
});
