// A build never makes a table whose name differs only in case from one the branch has (SQL reads
// both as one name): a model (table or view) or a seed named `Orders` where `orders` is fails its
// node with TableNameConflictError and the branch does not move; two writers of such names in one
// project are a ProjectError before anything runs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { ProjectError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { listTables } from '../../src/engine/tables.js';
import { buildProject } from '../../src/pipeline/build.js';
import { ingest } from '../../src/tables/ingest.js';

let root: string;
let dir: string;
let repo: Repository;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-build-names-'));
  dir = join(root, 'project');
  mkdirSync(dir);
  repo = await initRepository(dir, { committer: 'test' });
  writeFileSync(join(root, 'orders.csv'), 'id,amount\n1,10\n');
  await ingest(repo, join(root, 'orders.csv'), { table: 'orders', commit: { message: 'orders' } });
});
afterEach(async () => {
  await repo.close();
  rmSync(root, { recursive: true, force: true });
});

function files(map: Record<string, string>): void {
  writeFileSync(join(dir, 'sluice.yml'), 'name: shop\n');
  for (const [path, text] of Object.entries(map)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('a build writing a table of another spelling', () => {
  for (const [what, map] of [
    ['a table model', { 'models/Orders.sql': "{{ config(materialized='table') }} select 2 as id" }],
    ['a view model', { 'models/Orders.sql': "{{ config(materialized='view') }} select 2 as id" }],
    ['a seed', { 'seeds/Orders.csv': 'id\n3\n' }],
  ] as const) {
    it(`${what}: the node fails naming both spellings, the branch does not move`, async () => {
      files(map);
      const head = (await repo.getBranch('main')).head;
      const out = await buildProject(repo, dir);
      const node = out.run.results.find((r) => r.name === 'Orders');
      expect(node?.status).toBe('error');
      expect(node?.message).toContain('table Orders would clash with table orders');
      expect(out.landed).toBeUndefined();
      expect((await repo.getBranch('main')).head).toBe(head);
      expect([...(await listTables(repo, 'main')).keys()]).toEqual(['orders']);
    });
  }

  it('two writers of one name in different cases: a ProjectError before anything runs', async () => {
    files({ 'models/Orders.sql': 'select 1 as id', 'seeds/orders.csv': 'id\n1\n' });
    const err = await buildProject(repo, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).message).toBe(
      'models/Orders.sql: table Orders is also written by seed orders',
    );
  });
});
