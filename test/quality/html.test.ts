// Data docs (`renderDataDocs` / `writeDataDocs`): the page's structure (checks by table, failing
// samples, profile), history charts drawn from stored runs and profiles, escaping of every value
// that comes from data or specs, and a page that loads nothing from anywhere.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import {
  dataDocsChunks,
  gatherHistory,
  renderDataDocs,
  writeDataDocs,
} from '../../src/quality/report-html.js';
import { type CheckRun, runChecks } from '../../src/quality/run.js';
import { parseSpecText } from '../../src/quality/spec.js';
import { ingest } from '../../src/tables/ingest.js';

let dir: string;
let repo: Repository;
let n = 0;

const EVIL = '<script>alert(1)</script>';

const SPEC = `version: 2
models:
  - name: orders
    tests:
      - row_count: {min: 1}
    columns:
      - name: id
        tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [new, paid], name: "<img src=x onerror=alert(2)>"}
      - name: amount
        tests:
          - between: {min: 0, severity: warn}
  - name: customers
    columns:
      - name: id
        tests: [not_null]
`;

async function load(table: string, csv: string): Promise<void> {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, csv);
  await ingest(repo, p, { table, mode: 'overwrite', commit: { message: `load ${n}` } });
}

const orders = (k: number, extra = ''): string =>
  `id,status,amount\n${Array.from({ length: k }, (_, i) => `${i + 1},${i % 2 ? 'new' : 'paid'},${i * 10}`).join('\n')}\n${extra}`;

let last: CheckRun;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-html-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  await load('customers', 'id,name\nc1,Ada\n');
  const specs = parseSpecText(SPEC, 'checks/orders.yml');
  // Four commits of orders, a stored run after each; the last brings bad rows.
  for (const k of [10, 12, 11]) {
    await load('orders', orders(k));
    await runChecks(repo, specs, { store: true });
  }
  await load('orders', orders(14, `99,${EVIL},-5\n99,"a&b ""q"" 'x'",7\n`));
  last = await runChecks(repo, specs, { store: true });
});
afterAll(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data docs', () => {
  it('gathers the history of each table from stored runs and profiles', async () => {
    expect(last.status).toBe('fail');
    const h = await gatherHistory(repo, last);
    const o = h.find((x) => x.table === 'orders');
    expect(o?.runs.map((r) => r.results.length)).toEqual([5, 5, 5, 5]);
    expect(o?.runs.at(-1)?.runId).toBe(last.id);
    expect(o?.profiles.map((p) => p.profile.rows)).toEqual([10, 12, 11, 16]);
    expect(o?.profiles.at(-1)?.commit).toBe(last.commit);
    const c = h.find((x) => x.table === 'customers');
    expect(c?.runs).toHaveLength(4);
    // Profiles are per commit of the first-parent log: customers was profiled at four commits.
    expect(c?.profiles.map((p) => p.profile.rows)).toEqual([1, 1, 1, 1]);
  });

  it('reads a bounded number of stored results: fewer runs for a table of many checks', async () => {
    // orders has 5 checks a run: a budget of 12 results reads its 2 newest runs.
    const h = await gatherHistory(repo, last, { results: 12 });
    const o = h.find((x) => x.table === 'orders');
    expect(o?.runs.map((r) => r.results.length)).toEqual([5, 5]);
    expect(o?.runs.at(-1)?.runId).toBe(last.id);
    expect(h.find((x) => x.table === 'customers')?.runs).toHaveLength(4);
  });

  it('renders checks by table, samples, profile and charts; every value escaped', async () => {
    const history = await gatherHistory(repo, last);
    const html = renderDataDocs({ run: last, history, repo: 'lake' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Data docs — lake at main</title>');
    expect(html).toContain('<section id="t0"><h2>orders');
    expect(html).toContain('<section id="t1"><h2>customers');
    for (const r of last.results) expect(html).toContain(r.id);
    expect(html).toMatch(/<span class="badge s-fail">FAIL<\/span>/);
    expect(html).toMatch(/<span class="badge s-warn">WARN<\/span>/);
    expect(html).toContain('Failing rows (samples)');
    expect(html).toContain('Profile <span class="muted">(16 rows)</span>');

    // Escaping: the data's <script>, the check name's <img>, quotes and ampersands are text.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('a&amp;b &quot;q&quot; &#39;x&#39;');

    // Charts: rows over the four profiled commits, one bar per stored run, the status grid.
    expect(html).toContain('Rows over commits');
    const ordersSection = html.slice(
      html.indexOf('<section id="t0">'),
      html.indexOf('<section id="t1">'),
    );
    expect(ordersSection.match(/<circle /g)).toHaveLength(4);
    expect(ordersSection).toContain('<polyline');
    expect(ordersSection).toContain('aria-label="check results over 4 runs"');
    expect(ordersSection.match(/<g><title>/g)).toHaveLength(4);
    expect(ordersSection).toContain('aria-label="status of each check per run"');
    // 5 checks × 4 runs in the grid, each a rect with a tooltip.
    expect(ordersSection.match(/<rect x="\d+" y="\d+" width="10" height="10"/g)).toHaveLength(20);

    // Self-contained: no scripts, links, external URLs or images.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script src|<link|<iframe|url\(/i);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
  });

  it('escapes names and values given directly, and says when there is no history', () => {
    const run: CheckRun = {
      ref: '<b>ref</b>',
      commit: 'c0ffee',
      startedAt: new Date('2026-01-01T00:00:00Z'),
      durationMs: 5,
      queries: 1,
      status: 'fail',
      summary: { pass: 0, warn: 0, fail: 1, error: 0 },
      profiles: [],
      results: [
        {
          id: 't.<x>.sql',
          name: '"><svg onload=alert(3)>',
          table: 't"&',
          type: 'sql',
          severity: 'error',
          status: 'fail',
          observed: '<i>o</i>',
          unexpectedCount: 1,
          elementCount: 1,
          unexpectedPercent: 100,
          message: "<a href='javascript:x'>m</a>",
          sample: [{ '<k>': '</td></tr></table><script>', n: null }],
          source: { file: '<f>.yml', line: 3 },
        },
      ],
    };
    const html = renderDataDocs({ run, history: [] });
    expect(html).not.toMatch(/<(script|svg onload|a href='|i>|b>|k>|x>)/i);
    expect(html).not.toContain("javascript:x'>");
    for (const s of [
      '&lt;b&gt;ref&lt;/b&gt;',
      't&quot;&amp;',
      '&lt;/td&gt;&lt;/tr&gt;',
      '&lt;f&gt;.yml:3',
    ])
      expect(html).toContain(s);
    expect(html).toContain('No stored history for this table yet.');
    expect(html).not.toContain('<svg');
  });

  it('writeDataDocs writes the page', async () => {
    const file = join(dir, 'docs.html');
    const w = await writeDataDocs(repo, last, file);
    const text = readFileSync(file, 'utf8');
    expect(w.bytes).toBe(Buffer.byteLength(text));
    expect(text).toContain('Rows over commits');
    expect(text).toContain(`<title>Data docs — ${repo.name} at main</title>`);
  });
});

describe('a page of thousands of checks', () => {
  it('is rendered in small pieces, the same page as one string', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const results: CheckRun['results'] = Array.from({ length: 4000 }, (_, i) => ({
      id: `wide.c${i}.not_null`,
      name: `not_null(c${i})`,
      table: 'wide',
      type: 'not_null',
      severity: 'error',
      status: 'pass',
      elementCount: 1000,
      unexpectedCount: 0,
      unexpectedPercent: 0,
      source: { file: 'checks/wide.yml', line: i + 5 },
    }));
    const run: CheckRun = {
      ref: 'main',
      commit: 'c0ffee',
      startedAt: at,
      durationMs: 5,
      queries: 10,
      status: 'pass',
      summary: { pass: 4000, warn: 0, fail: 0, error: 0 },
      profiles: [],
      results,
    };
    const runs = Array.from({ length: 60 }, (_, k) => ({
      runId: `r${k}`,
      commit: 'c0ffee',
      at: new Date(at.getTime() + k * 60_000),
      results,
    }));
    const input = { run, history: [{ table: 'wide', runs, profiles: [] }], generatedAt: at };
    const chunks = [...dataDocsChunks(input)];
    const longest = Math.max(...chunks.map((c) => c.length));
    // The grid alone is ~40 MB: no piece holds more than one check's row of it.
    expect(longest).toBeLessThan(64 * 1024);
    expect(chunks.join('')).toBe(renderDataDocs(input));
    expect(chunks.join('').match(/<rect x="\d+" y="\d+" width="10" height="10"/g)).toHaveLength(
      4000 * 60,
    );
  });
});
