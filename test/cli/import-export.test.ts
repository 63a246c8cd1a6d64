// End to end through the built CLI: `sluice import DIR --to BRANCH:PREFIX` (JSON and text), `cat`
// of an imported file, a changed file refused by cat and reported by fsck (exit 4), `export-ref`
// to a directory (refused when not empty unless --force), bad input with stable codes, and both
// commands refused with --remote.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree, writeLake } from '../lake/support.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

describe('sluice import and export-ref', () => {
  it('imports a directory without copying, reads it, reports a changed file, exports it back', {
    timeout: 120_000,
  }, async () => {
    const root = tempDir();
    dirs.push(root);
    const repo = join(root, 'repo');
    const lake = join(root, 'lake');
    const files = writeLake(lake, 40);
    const sluice = cliFor(repo);
    expect((await runCli(['init', repo, '-q'])).code).toBe(0);

    const imp = await sluice(['--json', 'import', lake, '--to', 'main:raw/']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.json).toMatchObject({
      source: `file://${lake}`,
      branch: 'main',
      prefix: 'raw',
      objects: 40,
      bytesCopied: 0,
      commit: { message: `import file://${lake}` },
    });
    const cat = await sluice(['cat', 'raw/d0/e0/f00000.bin']);
    expect(cat.stdoutBytes).toEqual(files.get('d0/e0/f00000.bin'));
    const ls = await sluice(['ls', 'raw/d0/e0/']);
    expect(ls.stdout).toContain('(external)');

    // Text output, and a second import to another prefix with a message.
    const text = await sluice(['import', `file://${lake}`, '--to', 'main:copy', '-m', 'again']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toMatch(/imported 40 object\(s\) \(.*, none copied\)/);

    // Export: the tree as it was; a non-empty destination needs --force.
    const out = join(root, 'out');
    const exp = await sluice(['--json', 'export-ref', 'main', out, '--prefix', 'raw']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.json).toMatchObject({ ref: 'main', objects: 40 });
    expect(readTree(out)).toEqual(files);
    expectError(
      await sluice(['--json', 'export-ref', 'main', out, '--prefix', 'raw']),
      1,
      'InvalidArgumentError',
    );
    expect(
      (await sluice(['export-ref', 'main', out, '--prefix', 'raw', '--force', '-q'])).code,
    ).toBe(0);

    // A file changed behind Sluice's back.
    writeFileSync(join(lake, 'd0/e0/f00000.bin'), 'changed');
    expectError(
      await sluice(['--json', 'cat', 'raw/d0/e0/f00000.bin']),
      4,
      'ExternalObjectChangedError',
    );
    const fsck = await sluice(['--json', 'fsck']);
    expect(fsck.code).toBe(4);
    // raw/… and copy/… name the same external object version (one address): one problem.
    expect(fsck.json.fsck.problems.map((p: { code: string }) => p.code)).toEqual([
      'ExternalObjectChangedError',
    ]);
  });

  it('bad input: a stable code, nothing changed; --remote is refused', {
    timeout: 60_000,
  }, async () => {
    const root = tempDir();
    dirs.push(root);
    const repo = join(root, 'repo');
    const sluice = cliFor(repo);
    expect((await runCli(['init', repo, '-q'])).code).toBe(0);
    const head = (await sluice(['--json', 'log'])).stdout;
    expectError(await sluice(['--json', 'import', join(root, 'missing')]), 3, 'FileNotFoundError');
    expectError(
      await sluice(['--json', 'import', join(repo, '.sluice', 'objects')]),
      1,
      'InvalidArgumentError',
    );
    mkdirSync(join(root, 'lake'));
    writeFileSync(join(root, 'lake', 'a.csv'), 'a\n');
    expectError(
      await sluice(['--json', 'import', join(root, 'lake'), '--to', 'nope']),
      3,
      'BranchNotFoundError',
    );
    expectError(
      await sluice(['--json', 'export-ref', 'nope', join(root, 'out')]),
      3,
      'RefNotFoundError',
    );
    expect((await sluice(['--json', 'log'])).stdout).toBe(head);
    for (const args of [
      ['import', join(root, 'lake')],
      ['export-ref', 'main', join(root, 'out')],
    ]) {
      const r = await sluice(['--json', '--remote', 'http://127.0.0.1:9', ...args]);
      expect(r.json?.error?.code, r.stdout + r.stderr).toBe('RemoteUnsupportedError');
    }
  });
});
