import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-tables-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const q = (sql: string, refs?: string[]) =>
  withSqlSession(repo, { refs }, (s) => s.duck.query(sql));

describe('ingest', () => {
  it('a CSV becomes a table that SQL reads', async () => {
    const src = file('o.csv', 'id,amount,name\n1,12.5,a\n2,3,"b, c"\n');
    const r = await ingest(repo, src, { table: 'orders', commit: { message: 'load' } });
    expect(r.rowsWritten).toBe(2);
    expect(r.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'name', type: 'VARCHAR' },
    ]);
    const res = await q('SELECT * FROM orders ORDER BY id');
    expect(res.rows).toEqual([
      { id: '1', amount: 12.5, name: 'a' },
      { id: '2', amount: 3, name: 'b, c' },
    ]);
  });
});
