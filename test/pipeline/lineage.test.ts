// Lineage of the example project and impact of a branch: changed models, downstream, exposures,
// and breaking changes (a dropped column a downstream model reads or an exposure depends on).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withDuck } from '../../src/engine/duckdb.js';
import { listTables } from '../../src/engine/tables.js';
import { buildProject } from '../../src/pipeline/build.js';
import { compileProject } from '../../src/pipeline/graph.js';
import { impactOf, projectLineage } from '../../src/pipeline/lineage.js';
import { loadProject } from '../../src/pipeline/project.js';

let dir: string;
let repo: Repository;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'sluice-lineage-')), 'p');
});
afterEach(async () => {
  await repo?.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

const edit = (path: string, from: string | RegExp, to: string) => {
  const f = join(dir, path);
  const text = readFileSync(f, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  writeFileSync(f, next);
};

describe('lineage', () => {
  it('sources → models → exposures, and columns traced through the staging views', async () => {
    cpSync(join(import.meta.dirname, '../../examples/shop'), dir, { recursive: true });
    repo = await initRepository(dir, { committer: 't' });
    await buildProject(repo, dir);
    const compiled = compileProject(loadProject(dir));
    const l = await withDuck({}, async (d) =>
      projectLineage(compiled, d, await listTables(repo, 'main')),
    );
    expect(l.edges).toContainEqual(['model.shop.orders', 'exposure.shop.weekly_revenue']);
    expect(l.edges).toContainEqual(['seed.shop.raw_orders', 'model.shop.stg_orders']);
    expect(l.columns['model.shop.stg_orders']?.columns.order_id).toEqual([
      { relation: 'raw_orders', column: 'id' },
    ]);
    expect(l.columns['model.shop.orders']?.columns.coupon_amount).toEqual([
      { relation: 'stg_payments', column: 'amount' },
      { relation: 'stg_payments', column: 'payment_method' },
    ]);
    expect(l.nodes.some((n) => n.kind === 'test')).toBe(false);
  });
});

describe('impact', () => {
  it('names the broken exposure when a column it consumes is dropped on a branch', async () => {
    cpSync(join(import.meta.dirname, '../../examples/shop'), dir, { recursive: true });
    repo = await initRepository(dir, { committer: 't' });
    await buildProject(repo, dir);
    await repo.createBranch('feature', { from: 'main' });
    edit('models/marts/orders.sql', /^\s*orders\.status,\n/m, '');
    edit('models/marts/schema.yml', / {6}- name: status\n[\s\S]*?(?= {6}- name: amount)/, '');
    const built = await buildProject(repo, dir, { branch: 'feature' });
    expect(built.run.status).toBe('success');
    const compiled = compileProject(loadProject(dir));
    const impact = await withDuck({}, (d) => impactOf(repo, compiled, d, 'main', 'feature'));
    expect(impact.changed).toEqual(['orders']);
    expect(impact.exposures).toEqual(['weekly_revenue']);
    expect(impact.columnChanges).toEqual([
      { table: 'orders', column: 'status', change: 'removed', before: 'VARCHAR' },
    ]);
    expect(impact.breaking).toEqual([
      {
        table: 'orders',
        column: 'status',
        change: 'removed',
        consumer: 'weekly_revenue',
        consumerKind: 'exposure',
      },
    ]);
    expect(impact.brokenExposures).toEqual(['weekly_revenue']);
    // Nothing changed against itself.
    const none = await withDuck({}, (d) => impactOf(repo, compiled, d, 'feature', 'feature'));
    expect(none).toMatchObject({ changed: [], breaking: [], brokenExposures: [] });
  });

  it('a dropped column a downstream model reads is breaking (by column lineage); one it does not read is not', async () => {
    mkdirSync(join(dir, 'models'), { recursive: true });
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    writeFileSync(join(dir, 'sluice.yml'), 'name: p\nmaterialized: {"": table}\n');
    writeFileSync(join(dir, 'seeds/s.csv'), 'id,x,y,z\n1,2,3,4\n');
    writeFileSync(join(dir, 'models/a.sql'), "select id, x, y, z from {{ ref('s') }}");
    writeFileSync(join(dir, 'models/b.sql'), "select id, x from {{ ref('a') }} where y > 0");
    repo = await initRepository(dir, { committer: 't' });
    await buildProject(repo, dir);
    await repo.createBranch('f', { from: 'main' });
    writeFileSync(
      join(dir, 'models/a.sql'),
      "select id, x, cast(z as varchar) as z from {{ ref('s') }}",
    );
    await buildProject(repo, dir, { branch: 'f', select: ['a'] });
    const compiled = compileProject(loadProject(dir));
    const impact = await withDuck({}, (d) => impactOf(repo, compiled, d, 'main', 'f'));
    expect(impact.changed).toEqual(['a']);
    expect(impact.downstream).toEqual(['b']);
    expect(impact.columnChanges.map((c) => `${c.column}:${c.change}`).sort()).toEqual([
      'y:removed',
      'z:retyped',
    ]);
    // b filters on y (breaking); it never reads z (not breaking).
    expect(impact.breaking).toEqual([
      { table: 'a', column: 'y', change: 'removed', consumer: 'b', consumerKind: 'model' },
    ]);
    expect(impact.brokenExposures).toEqual([]);
  });
});
