// A load never makes a table whose name differs only in case from one its target has: an
// ingestor writing `Orders` where `orders` is fails with TableNameConflictError (recorded as the
// load's error), and the target does not move.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import { TableNameConflictError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import { listTables } from '../../src/engine/tables.js';
import { ingest } from '../../src/tables/ingest.js';
import { loadWorkflowConfig } from '../../src/workflow/config/index.js';
import { listEvents } from '../../src/workflow/events/index.js';
import { runLoad } from '../../src/workflow/load.js';

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-load-names-'));
  repo = await initRepository(dir, { committer: 'test' });
  mkdirSync(join(dir, 'landing'));
  writeFileSync(join(dir, 'landing/orders.csv'), 'id,amount\n1,10\n');
  await ingest(repo, join(dir, 'landing/orders.csv'), {
    table: 'orders',
    commit: { message: 'orders' },
  });
  writeFileSync(
    join(dir, 'sluice.yml'),
    'ingestors:\n  - {name: shop, kind: files, path: landing/orders.csv, table: Orders}\n',
  );
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an ingestor writing a table of another spelling fails, and main does not move', async () => {
  const head = (await repo.getBranch('main')).head;
  const err = await runLoad(repo, dir, loadWorkflowConfig(dir), 'shop').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TableNameConflictError);
  expect((err as TableNameConflictError).data).toMatchObject({
    table: 'Orders',
    existing: 'orders',
  });
  expect((await repo.getBranch('main')).head).toBe(head);
  expect([...(await listTables(repo, 'main')).keys()]).toEqual(['orders']);
  const reasons: unknown[] = [];
  for await (const e of listEvents(repo, { types: ['load'] }))
    if (e.outcome === 'error') reasons.push((e as { reason?: string }).reason);
  expect(reasons).toEqual([expect.stringContaining('table Orders would clash with table orders')]);
});
