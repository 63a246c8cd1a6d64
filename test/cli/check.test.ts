// `sluice check` end to end: the report, --json, and the exit codes 0 pass / 1 warn / 2 fail /
// 3 error (including a spec that names a missing column, reported with file and line).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-check-');
const repo = join(root, 'repo');
const sluice = cliFor(repo);
const spec = (name: string, yaml: string): string => {
  const dir = join(root, name, 'checks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'orders.yml'), yaml);
  return join(root, name);
};
const model = (tests: string): string =>
  `version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n${tests}`;

beforeAll(async () => {
  await buildOnce();
  expect((await runCli(['init', repo, '-q'])).code).toBe(0);
  const csv = join(root, 'orders.csv');
  writeFileSync(csv, 'id,amount\n1,10\n2,20\n3,-1\n');
  expect((await sluice(['ingest', csv, '--table', 'orders', '-m', 'load'])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sluice check', () => {
  it('exit 0 when all pass, 1 with warnings only, 2 with a failure; --json holds every result', async () => {
    const pass = spec('pass', model('          - not_null\n'));
    expect((await sluice(['check', '--project', pass])).code).toBe(0);
    const warn = spec('warn', model('          - between: {min: 0, severity: warn}\n'));
    const w = await sluice(['check', '--project', warn]);
    expect(w.code).toBe(1);
    expect(w.stdout).toMatch(/WARN\s+between\(amount\)\s+1 of 3 failing/);
    const fail = spec('fail', model('          - not_null\n          - between: {min: 0}\n'));
    const f = await sluice(['--json', 'check', '--project', fail]);
    expect(f.code).toBe(2);
    expect(f.json.check.summary).toEqual({ pass: 1, warn: 0, fail: 1, error: 0 });
    expect(f.json.check.results[1]).toMatchObject({
      name: 'between(amount)',
      status: 'fail',
      unexpectedCount: 1,
      sample: [{ id: '3', amount: '-1' }],
      source: { line: 8 },
    });
  });

  it('exit 3 for a check that errors, and for a spec naming a missing column (file and line)', async () => {
    const err = spec(
      'err',
      model('          - not_null\n          - sql: {query: "SELECT * FROM nope"}\n')
        .replace(
          '    columns:',
          '    tests:\n      - sql: {query: "SELECT * FROM nope"}\n    columns:',
        )
        .replace('          - sql: {query: "SELECT * FROM nope"}\n', ''),
    );
    const e = await sluice(['--json', 'check', '--project', err]);
    expect(e.code).toBe(3);
    expect(e.json.check.results.map((r: { status: string }) => r.status)).toEqual([
      'error',
      'pass',
    ]);
    const bad = spec('bad', model('          - not_null\n').replace('name: amount', 'name: amout'));
    const b = await sluice(['--json', 'check', '--project', bad]);
    expect(b.code).toBe(3);
    expect(b.json.error).toMatchObject({ code: 'CheckSpecError', data: { line: 7 } });
    expect(b.json.error.message).toContain('no column amout');
  });

  it('stores results (unless --no-store); check history lists them; profile shows and stores', async () => {
    const proj = spec('hist', model('          - between: {min: 0}\n'));
    const before = (await sluice(['--json', 'check', 'history', 'orders'])).json.runs.length;
    expect((await sluice(['check', '--project', proj, '--no-store'])).code).toBe(2);
    expect((await sluice(['--json', 'check', 'history', 'orders'])).json.runs).toHaveLength(before);
    expect((await sluice(['check', '--project', proj])).code).toBe(2);
    const h = await sluice(['--json', 'check', 'history', 'orders', '-n', '1']);
    expect(h.code).toBe(0);
    expect(h.json.runs).toHaveLength(1);
    expect(h.json.runs[0].results).toEqual([
      expect.objectContaining({ name: 'between(amount)', status: 'fail', unexpectedCount: 1 }),
    ]);
    const p = await sluice(['--json', 'profile', 'orders']);
    expect(p.code).toBe(0);
    expect(p.json).toMatchObject({
      stored: true,
      profile: { rows: 3, columns: { amount: { min: -1, max: 20, nulls: 0 } } },
    });
    expect((await sluice(['profile', 'nope'])).code).toBe(3);
  });
});

describe('sluice check suggest and --html', () => {
  it('suggest prints YAML that passes as checks; --json gives {yaml, checks}; --html writes the data docs', async () => {
    const s = await sluice(['check', 'suggest', 'orders']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('version: 2');
    expect(s.stdout).toContain('  - name: orders');
    expect(s.stdout).toMatch(/- name: id[^\n]*\n\s+tests:\n\s+- not_null\n\s+- unique/);
    const j = await sluice(['--json', 'check', 'suggest', 'orders', '--ref', 'main']);
    expect(j.code).toBe(0);
    expect(j.json.yaml).toBe(`${s.stdout.trimEnd()}\n`);
    expect(j.json.checks).toBeGreaterThanOrEqual(5);
    expect((await sluice(['check', 'suggest', 'nope'])).code).toBe(3);

    // Saved as the project's checks, the suggestion passes; --html writes one page with history.
    const proj = spec('suggested', j.json.yaml);
    const html = join(root, 'docs', 'quality.html');
    mkdirSync(join(root, 'docs'), { recursive: true });
    const r = await sluice(['--json', 'check', '--project', proj, '--html', html]);
    expect(r.code).toBe(0);
    expect(r.json.check.summary.pass).toBe(j.json.checks);
    expect(r.json.html).toBe(html);
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<h2>orders');
    expect(page).toContain('Rows over commits');
    expect(page).toContain('aria-label="check results over');
    expect(page).not.toMatch(/<script|https?:\/\//i);
    const human = await sluice(['check', '--project', proj, '--html', html]);
    expect(human.stdout).toContain(`data docs written to ${html}`);
    const bad = await sluice([
      'check',
      '--project',
      proj,
      '--html',
      join(root, 'no', 'such', 'x.html'),
    ]);
    expect(bad.code).toBe(3);
  });
});
