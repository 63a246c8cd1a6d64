import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { sqlString, withDuck } from '../../src/engine/duckdb.js';
import { withSqlSession } from '../../src/engine/session.js';
import { getTable } from '../../src/engine/tables.js';
import { ingest, TABLE_FILES_COPY_OPTIONS } from '../../src/tables/ingest.js';

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

  it("preformatted Parquet is stored as written when its columns are the table's; else converted", async () => {
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const write = (name: string, select: string, options = TABLE_FILES_COPY_OPTIONS) =>
      withDuck({ threads: 1 }, async (d) => {
        const out = join(dir, name);
        await d.run(`COPY (${select}) TO ${sqlString(out)} (${options})`);
        return join(out, 'part_0.parquet');
      });
    // Snappy rather than the table layout's zstd, so that a rewrite would show in the bytes.
    const first = await write(
      'v1',
      'SELECT range::BIGINT AS id, range * 2.5 AS amount FROM range(1000)',
      TABLE_FILES_COPY_OPTIONS.replace('zstd', 'snappy'),
    );
    await ingest(repo, first, { table: 'm', mode: 'overwrite', preformatted: true });
    const [stored] = (await getTable(repo, 'main', 'm')).files;
    expect(stored?.checksum).toBe(sha(first)); // the very bytes COPY wrote

    // Without the option, the same file is rewritten in the table's layout.
    await ingest(repo, first, { table: 'plain', mode: 'overwrite' });
    const [plain] = (await getTable(repo, 'main', 'plain')).files;
    expect(plain?.checksum).not.toBe(sha(first));

    // An append whose columns differ from the table's (one missing) is converted to them.
    const partial = await write('v2', 'SELECT 5000::BIGINT AS id');
    const r = await ingest(repo, partial, { table: 'm', mode: 'append', preformatted: true });
    expect(r.rowsWritten).toBe(1);
    const files = (await getTable(repo, 'main', 'm')).files;
    expect(files).toHaveLength(2);
    expect(files.map((f) => f.checksum)).not.toContain(sha(partial));
    expect((await q('SELECT count(*) AS n, count(amount) AS a FROM m')).rows).toEqual([
      { n: '1001', a: '1000' },
    ]);
  });
});
