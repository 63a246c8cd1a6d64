// End to end through the built CLI: gc and fsck, and a corrupted object on disk (cat/get/fsck
// exit 4). The quickstart has its own file, quickstart.test.ts.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
const temp = (): string => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function expectError(r: CliResult, exit: number, code: string): void {
  expect({ exit: r.code, code: r.json?.error?.code }, r.stdout + r.stderr).toEqual({ exit, code });
}

/** Puts one file (a loose object under data/) and returns its content address. */
async function putOne(
  sluice: ReturnType<typeof cliFor>,
  dir: string,
  path: string,
  content: string,
  branch = 'main',
) {
  const file = join(dir, path.replace(/\//g, '_'));
  writeFileSync(file, content);
  const r = await sluice(['--json', 'put', file, path, '-b', branch]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json.entries[0].address as string;
}

describe('gc and fsck', () => {
  it('gc deletes only what no ref reaches (dry run first); fsck stays clean', async () => {
    const root = temp();
    const repo = join(root, 'repo');
    const sluice = cliFor(repo);
    expect((await runCli(['init', repo, '-q'])).code).toBe(0);
    await putOne(sluice, root, 'keep.csv', 'keep\n');
    expect((await sluice(['commit', '-m', 'keep', '-q'])).code).toBe(0);
    expect((await sluice(['branch', 'create', 'tmp', '-q'])).code).toBe(0);
    const doomed = await putOne(sluice, root, 'doomed.csv', 'doomed\n', 'tmp');
    expect((await sluice(['commit', '-m', 'doomed', '-b', 'tmp', '-q'])).code).toBe(0);
    expect((await sluice(['branch', 'delete', 'tmp', '-q'])).code).toBe(0);
    const doomedFile = join(repo, '.sluice', 'objects', 'data', doomed.slice(0, 2), doomed);
    expect(existsSync(doomedFile)).toBe(true);

    const args = ['gc', '--retention-days', '0', '--grace-seconds', '0'];
    const dry = await sluice(['--json', ...args, '--dry-run']);
    expect(dry.json.gc).toMatchObject({ dryRun: true, objectsDeleted: 1, commitsDeleted: 1 });
    expect(existsSync(doomedFile)).toBe(true);
    const real = await sluice([...args]);
    expect(real.stdout).toMatch(/^deleted 1 object\(s\) \(7 B\), \d+ node\(s\), 1 commit\(s\)\n/);
    expect(existsSync(doomedFile)).toBe(false);
    expectError(
      await sluice(['--json', 'gc', '--retention-days', 'soon']),
      1,
      'InvalidArgumentError',
    );

    const fsck = await sluice(['fsck']);
    expect(fsck.code).toBe(0);
    expect(fsck.stdout).toMatch(/ok: no problems found/);
    expect((await sluice(['cat', 'keep.csv'])).stdout).toBe('keep\n');
  });

  it('a corrupted object: cat and get exit 4 with ObjectCorruptedError (no file left); fsck lists it', async () => {
    const root = temp();
    const repo = join(root, 'repo');
    const sluice = cliFor(repo);
    expect((await runCli(['init', repo, '-q'])).code).toBe(0);
    const address = await putOne(sluice, root, 'victim.csv', 'id,value\n1,42\n');
    await putOne(sluice, root, 'fine.csv', 'fine\n');
    expect((await sluice(['commit', '-m', 'load', '-q'])).code).toBe(0);

    const file = join(repo, '.sluice', 'objects', 'data', address.slice(0, 2), address);
    const bytes = readFileSync(file);
    const at = bytes.length - 2;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);

    expectError(await sluice(['--json', 'cat', 'victim.csv']), 4, 'ObjectCorruptedError');
    const cat = await sluice(['cat', 'victim.csv']);
    expect(cat.code).toBe(4);
    expect(cat.stdout).toBe('');
    expect(cat.stderr).toMatch(/^error: object .* is corrupted/);
    const out = temp();
    expectError(
      await sluice(['--json', 'get', 'victim.csv', join(out, 'v.csv')]),
      4,
      'ObjectCorruptedError',
    );
    expect(readdirSync(out)).toEqual([]);

    const fsck = await sluice(['--json', 'fsck']);
    expect(fsck.code).toBe(4);
    expect(fsck.json.fsck.ok).toBe(false);
    expect(fsck.json.fsck.problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'object', id: address }),
    ]);
    const human = await sluice(['fsck']);
    expect(human.code).toBe(4);
    expect(human.stdout).toMatch(new RegExp(`^ObjectCorruptedError\\s+object\\s+${address}`, 'm'));
    // Existence-only checks do not read contents.
    expect((await sluice(['fsck', '--no-data'])).code).toBe(0);
  });
});
