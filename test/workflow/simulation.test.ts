// The ingestion simulation of issue 6: 100 batches from 3 ingestors running at once (each with
// its own repository handle, as separate processes would have), 10 % of them corrupt — NULL keys,
// negative amounts, duplicate keys, a renamed column. No corrupt row is ever visible on main (a
// reader watches it throughout), every corrupt batch keeps its branch and raises exactly one
// alert, every good batch lands.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { listTables } from '../../src/engine/tables.js';
import { loadWorkflowConfig } from '../../src/workflow/config/index.js';
import { listEvents } from '../../src/workflow/events/index.js';
import { type LoadRun, runLoad } from '../../src/workflow/load.js';

const BATCHES = 100;
const ROWS = 20;
const FEEDS = ['alpha', 'beta', 'gamma'];
const CORRUPTIONS = ['null key', 'negative amount', 'duplicate key', 'renamed column'] as const;

/** Batch k: good unless k % 10 === 7; its feed is k % 3. */
function batchCsv(k: number): { csv: string; corrupt?: (typeof CORRUPTIONS)[number] } {
  const corrupt = k % 10 === 7 ? CORRUPTIONS[Math.floor(k / 10) % 4] : undefined;
  const header = corrupt === 'renamed column' ? 'order_id,amt' : 'order_id,amount';
  const lines = [header];
  for (let i = 0; i < ROWS; i++) {
    let id: string = String(k * 1000 + i);
    let amount = String(i + 1);
    if (corrupt === 'null key' && i === 3) id = '';
    if (corrupt === 'negative amount' && i === 5) amount = '-12';
    if (corrupt === 'duplicate key' && i === 0) id = '1'; // batch 0's second row, already on main
    lines.push(`${id},${amount}`);
  }
  return { csv: `${lines.join('\n')}\n`, ...(corrupt ? { corrupt } : {}) };
}

let server: Server;
const alerts: { type: string; refs: { runId: string } }[] = [];
let dir: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'sluice-sim-'));
  mkdirSync(join(dir, 'checks'));
  writeFileSync(
    join(dir, 'sluice.yml'),
    [
      'gates:',
      '  - branch: main',
      'ingestors:',
      ...FEEDS.map((f) => `  - {name: ${f}, kind: files, path: landing/${f}/*.csv, table: orders}`),
      'alerts:',
      `  - {name: ops, kind: webhook, url: "http://127.0.0.1:${(server.address() as AddressInfo).port}/", retries: 0}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'checks/orders.yml'),
    [
      'version: 2',
      'models:',
      '  - name: orders',
      '    tests:',
      '      - schema: {columns: [order_id, amount], allow_extra: false}',
      '    columns:',
      '      - name: order_id',
      '        tests: [not_null, unique]',
      '      - name: amount',
      '        tests: [not_null, {between: {min: 0}}]',
      '',
    ].join('\n'),
  );
  for (const f of FEEDS) mkdirSync(join(dir, 'landing', f), { recursive: true });
  await (await initRepository(dir, { committer: 'sim' })).close();
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** Corrupt rows visible on a ref: NULL keys, negative amounts, duplicate keys, extra columns. */
async function corruptRows(repo: Repository, ref: string): Promise<number> {
  const tables = await listTables(repo, ref);
  const t = tables.get('orders');
  if (!t) return 0;
  if (t.manifest.columns.map((c) => c.name).join(',') !== 'order_id,amount') return 1;
  return withSqlSession(repo, { refs: [ref] }, async (s) => {
    const r = await s.duck.query(
      `SELECT (SELECT count(*) FROM orders WHERE order_id IS NULL OR amount IS NULL OR amount < 0)
            + (SELECT count(*) - count(DISTINCT order_id) FROM orders) AS bad`,
    );
    return Number(r.rows[0]?.bad);
  });
}

describe('write–audit–publish under load', () => {
  it('100 batches, 3 concurrent ingestors, 10 % corrupt: nothing corrupt on main, every good batch lands', async () => {
    const handles = await Promise.all(FEEDS.map(() => openRepository(dir)));
    const reader = await openRepository(dir);
    const config = loadWorkflowConfig(dir);
    const runs = new Map<number, LoadRun>();
    let done = false;
    let observations = 0;
    let worst = 0;
    try {
      // A reader watching main while the batches land.
      const watch = (async () => {
        while (!done) {
          worst = Math.max(worst, await corruptRows(reader, 'main'));
          observations++;
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await Promise.all(
        FEEDS.map(async (feed, f) => {
          for (let k = f; k < BATCHES; k += FEEDS.length) {
            writeFileSync(join(dir, 'landing', feed, 'batch.csv'), batchCsv(k).csv);
            runs.set(
              k,
              await runLoad(handles[f] as Repository, dir, config, feed, { backoffMs: 1 }),
            );
          }
        }),
      );
      done = true;
      await watch;

      expect(observations).toBeGreaterThan(5);
      expect(worst).toBe(0);
      expect(await corruptRows(reader, 'main')).toBe(0);
      const corrupt = [...runs].filter(([k]) => batchCsv(k).corrupt);
      const good = [...runs].filter(([k]) => !batchCsv(k).corrupt);
      expect(corrupt).toHaveLength(10);
      expect(good.map(([, r]) => r.status)).toEqual(Array(90).fill('success'));
      expect(corrupt.map(([, r]) => r.status)).toEqual(Array(10).fill('failure'));
      // Every good row is on main, exactly once.
      const rows = await withSqlSession(reader, { refs: ['main'] }, async (s) =>
        Number((await s.duck.query('SELECT count(DISTINCT order_id) AS n FROM orders')).rows[0]?.n),
      );
      expect(rows).toBe(90 * ROWS);
      // Each corrupt batch's branch is kept, with the batch on it; one alert each.
      const kept: string[] = [];
      for await (const b of reader.listBranches({ prefix: 'ingest/' })) kept.push(b.name);
      expect(kept.sort()).toEqual(corrupt.map(([, r]) => r.branch).sort());
      for (const [, r] of corrupt) expect(await corruptRows(reader, r.branch)).toBeGreaterThan(0);
      expect(alerts.map((a) => a.refs.runId).sort()).toEqual(
        corrupt.map(([, r]) => r.runId).sort(),
      );
      const outcomes: Record<string, number> = {};
      for await (const e of listEvents(reader, { types: ['load'] }))
        outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
      expect(outcomes).toEqual({ success: 90, failure: 10 });
    } finally {
      done = true;
      for (const h of [...handles, reader]) await h.close();
    }
  }, 240_000);
});
