// `sluice build | run | test | seed | compile` end to end on the example project: a line per node,
// one commit, exit 0; a failing test exits 2 with the branch unchanged and the outputs on
// run/<id>; a project that cannot compile exits 1 and writes nothing.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-build-');
const dir = join(root, 'shop');
const sluice = cliFor(dir);

beforeAll(async () => {
  await buildOnce();
  cpSync(join(import.meta.dirname, '../../examples/shop'), dir, { recursive: true });
  expect((await sluice(['init', dir, '-q'])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sluice build', () => {
  it('seeds, models and tests in order, one commit; a rebuild reuses everything; compile prints SQL', async () => {
    const b = await sluice(['build']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/1 of 30 OK\s+seed raw_customers \(30 rows\)/);
    expect(b.stdout).toMatch(/PASS\s+test accepted_values\(status\)/);
    expect(b.stdout).toMatch(/Done: 8 built, 0 reused, 22 passed/);
    const again = await sluice(['--json', 'build', '-s', '+orders']);
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(
      doc.run.results
        .filter((r: { kind: string }) => r.kind !== 'test')
        .map((r: { status: string }) => r.status),
    ).toEqual(['reused', 'reused', 'reused', 'reused', 'reused']);
    expect(doc.commit).toBeUndefined();
    const c = await sluice(['compile', '-s', 'orders']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(
      "sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount",
    );
    expect(c.stdout).toContain('select * from "stg_payments"');
    const sql = await sluice(['--json', 'sql', 'SELECT count(*) AS n FROM stg_orders']);
    expect(JSON.parse(sql.stdout).rows[0].n).toBe('80');
  });

  it('a failing test: exit 2, the branch unchanged, the outputs on run/<id>', async () => {
    const yml = join(dir, 'models/marts/schema.yml');
    const text = readFileSync(yml, 'utf8');
    writeFileSync(yml, text.replace('completed, return_pending, returned', 'completed, returned'));
    try {
      const before = await sluice(['--json', 'show', 'main']);
      const r = await sluice(['--json', 'build']);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.stdout);
      expect(doc.run.status).toBe('error');
      const after = await sluice(['--json', 'show', 'main']);
      expect(after.stdout).toBe(before.stdout);
      const branches = await sluice(['--json', 'branch', 'list']);
      expect(branches.stdout).toContain(doc.run.runBranch);
      const human = await sluice(['build']);
      expect(human.code).toBe(2);
      expect(human.stdout).toMatch(/FAIL\s+test accepted_values\(status\)/);
      expect(human.stderr + human.stdout).toMatch(/main did not move; the outputs are on run\//);
    } finally {
      writeFileSync(yml, text);
    }
  });

  it('a project that cannot compile: exit 1, file and line, nothing written', async () => {
    const bad = join(dir, 'models/marts/broken.sql');
    writeFileSync(bad, "select *\nfrom {{ ref('no_such_model') }}\n");
    try {
      const before = await sluice(['--json', 'show', 'main']);
      const r = await sluice(['build']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('models/marts/broken.sql:2: ref to unknown model "no_such_model"');
      expect((await sluice(['--json', 'show', 'main'])).stdout).toBe(before.stdout);
      expect((await sluice(['compile'])).code).toBe(1);
    } finally {
      rmSync(bad);
    }
  });

  it('impact: exit 2 naming the broken exposure, 0 with --allow-breaking; lineage prints columns', async () => {
    const l = await sluice(['lineage', 'orders']);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('coupon_amount  ← stg_payments.amount, stg_payments.payment_method');
    expect((await sluice(['lineage', '--dot'])).stdout).toContain(
      '"model.shop.orders" -> "exposure.shop.weekly_revenue";',
    );
    expect((await sluice(['branch', 'create', 'drop-status'])).code).toBe(0);
    const sqlFile = join(dir, 'models/marts/orders.sql');
    const yml = join(dir, 'models/marts/schema.yml');
    const [sqlText, ymlText] = [readFileSync(sqlFile, 'utf8'), readFileSync(yml, 'utf8')];
    writeFileSync(sqlFile, sqlText.replace(/^\s*orders\.status,\n/m, ''));
    writeFileSync(yml, ymlText.replace(/ {6}- name: status\n[\s\S]*?(?= {6}- name: amount)/, ''));
    try {
      expect((await sluice(['build', '--branch', 'drop-status'])).code).toBe(0);
      const i = await sluice(['impact', '--base', 'main', '--branch', 'drop-status']);
      expect(i.code).toBe(2);
      expect(i.stdout).toContain(
        'BREAKING: orders.status removed, used by exposure weekly_revenue',
      );
      expect(i.stdout).toContain('broken exposures: weekly_revenue');
      expect(
        (await sluice(['impact', '--base', 'main', '--branch', 'drop-status', '--allow-breaking']))
          .code,
      ).toBe(0);
    } finally {
      writeFileSync(sqlFile, sqlText);
      writeFileSync(yml, ymlText);
    }
  });

  it('-b dev builds on dev, as --branch does: dev moves, main stays where it was', async () => {
    expect((await sluice(['branch', 'create', 'dev'])).code).toBe(0);
    const main = (await sluice(['--json', 'show', 'main'])).json.commit.id;
    // A model changed in the working copy: building it on dev gives dev a new commit.
    const sqlFile = join(dir, 'models/staging/stg_orders.sql');
    const sqlText = readFileSync(sqlFile, 'utf8');
    writeFileSync(sqlFile, sqlText.replace('  status\n', '  status,\n  1 as one\n'));
    try {
      const r = await sluice(['build', '-b', 'dev']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^dev is now at [0-9a-f]{12} \(run /m);
      const doc = (await sluice(['--json', 'show', 'dev'])).json;
      expect(doc.commit.id).not.toBe(main);
      expect(doc.commit.parents).toEqual([main]);
      expect((await sluice(['--json', 'show', 'main'])).json.commit.id).toBe(main);
      const one = await sluice([
        '--json',
        'sql',
        '--ref',
        'dev',
        'SELECT max(one) AS m FROM stg_orders',
      ]);
      expect(one.json.rows).toEqual([{ m: 1 }]);
      // The rest of the family: seed and run take -b; test reads the tables of -b.
      const seed = (await sluice(['--json', 'seed', '-b', 'dev'])).json;
      expect(seed.run.branch).toBe('dev');
      const run = (await sluice(['--json', 'run', '-b', 'dev'])).json;
      expect(run.run.branch).toBe('dev');
      const test = (await sluice(['--json', 'test', '-b', 'dev'])).json;
      expect(test.run.branch).toBe('dev');
      expect((await sluice(['--json', 'show', 'main'])).json.commit.id).toBe(main);
    } finally {
      writeFileSync(sqlFile, sqlText);
    }
  });
});
