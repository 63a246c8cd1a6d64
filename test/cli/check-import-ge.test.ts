// `sluice check import-ge` through the built CLI: YAML on stdout, --json, --out (refusing to
// overwrite without --force),
// --table read even though `check` has a --table of its own, and refusals with exit code 1.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-cli-import-ge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIXTURE = join(import.meta.dirname, '..', 'quality', 'fixtures', 'ge-suite-orders.json');

beforeAll(async () => {
  await buildOnce();
});

const sluice = (args: string[]) => runCli(args);

describe('sluice check import-ge', () => {
  it('prints the YAML; --json gives it with the number of checks', async () => {
    const r = await sluice(['check', 'import-ge', FIXTURE, '--table', 'orders']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^# Imported from the Great Expectations suite "orders.critical"/);
    expect(r.stdout).toContain('models:\n  - name: orders\n');
    const j = await sluice(['--json', 'check', 'import-ge', FIXTURE, '--table', 'orders']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { yaml: string; checks: number };
    expect(doc.checks).toBe(20);
    expect(`${doc.yaml.trimEnd()}\n`).toBe(r.stdout);
  });

  it('--out writes the file, refuses to overwrite it, and --force does', async () => {
    const out = join(root, 'project', 'checks', 'orders.yml');
    const w = await sluice(['check', 'import-ge', FIXTURE, '--table', 'orders', '--out', out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain(`wrote 20 check(s) on orders to ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('- name: orders');
    writeFileSync(out, 'mine\n');
    const again = await sluice(['check', 'import-ge', FIXTURE, '--table', 'orders', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error: ${out} already exists: pass --force to overwrite it`);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    const forced = await sluice([
      '--json',
      'check',
      'import-ge',
      FIXTURE,
      '--out',
      out,
      '--force',
      '--table',
      'orders',
    ]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ checks: 20, out });
    expect(readFileSync(out, 'utf8')).toContain('- name: orders');
  });

  it('an unsupported expectation fails the import (exit 1), named; nothing is written', async () => {
    const suite = join(root, 'bad.json');
    writeFileSync(
      suite,
      JSON.stringify({
        expectation_suite_name: 'bad',
        expectations: [
          { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' } },
          { expectation_type: 'expect_column_values_to_be_null', kwargs: { column: 'b' } },
        ],
      }),
    );
    const out = join(root, 'bad.yml');
    const r = await sluice(['check', 'import-ge', suite, '--table', 't', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be imported');
    expect(r.stderr).toContain('expectations[1] expect_column_values_to_be_null (column b)');
    expect(existsSync(out)).toBe(false);
    const j = await sluice(['--json', 'check', 'import-ge', suite, '--table', 't']);
    expect(JSON.parse(j.stdout).error).toMatchObject({
      code: 'CheckSpecError',
      data: { file: suite },
    });
  });

  it('--table is required; a missing suite file is not found (exit 3)', async () => {
    const r = await sluice(['check', 'import-ge', FIXTURE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--table is required');
    const m = await sluice(['check', 'import-ge', join(root, 'nope.json'), '--table', 't']);
    expect(m.code).toBe(3);
    expect(m.stderr).toContain('no such file');
  });
});
