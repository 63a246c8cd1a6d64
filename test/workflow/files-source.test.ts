// The files ingestor's path: a file, a directory or a glob relative to the repository directory;
// never anything outside it (../, an absolute path elsewhere, a brace glob or a symlink reaching
// out), and an empty match is a clear error.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileNotFoundError, InvalidPathError } from '../../src/common/errors.js';
import { resolveFilesSource } from '../../src/workflow/sources/files.js';

let top: string;
let repo: string;

const write = (p: string, text = 'id\n1\n') => {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
};

beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'sluice-files-src-'));
  repo = join(top, 'repo');
  mkdirSync(join(repo, '.sluice'), { recursive: true });
  write(join(repo, 'exports/b.csv'));
  write(join(repo, 'exports/a.csv'));
  write(join(repo, 'exports/notes.txt'), 'not data');
  write(join(repo, 'exports/_SUCCESS'), '');
  write(join(repo, 'exports/2024/c.ndjson'), '{"id": 3}\n');
  write(join(repo, 'one.parquet'), 'PAR1');
  write(join(repo, '.sluice/meta.db'), 'x');
  write(join(top, 'outside/secret.csv'), 'password\nhunter2\n');
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

async function refused(path: string): Promise<InvalidPathError> {
  try {
    await resolveFilesSource(repo, { path }, 'ingestor orders');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPathError);
    return err as InvalidPathError;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('resolveFilesSource', () => {
  it('resolves a file relative to the repository directory', async () => {
    expect(await resolveFilesSource(repo, { path: 'one.parquet' })).toEqual([
      join(repo, 'one.parquet'),
    ]);
  });

  it('resolves a directory to its data files, sorted, skipping _ and . names', async () => {
    expect(await resolveFilesSource(repo, { path: 'exports' })).toEqual([
      join(repo, 'exports/2024/c.ndjson'),
      join(repo, 'exports/a.csv'),
      join(repo, 'exports/b.csv'),
    ]);
  });

  it('resolves a glob relative to the repository directory, whatever the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(top);
    try {
      expect(await resolveFilesSource(repo, { path: 'exports/*.csv' })).toEqual([
        join(repo, 'exports/a.csv'),
        join(repo, 'exports/b.csv'),
      ]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('accepts an absolute path inside the repository directory', async () => {
    expect(await resolveFilesSource(repo, { path: join(repo, 'exports/a.csv') })).toEqual([
      join(repo, 'exports/a.csv'),
    ]);
  });

  it('an empty match is a clear error naming the path', async () => {
    await expect(
      resolveFilesSource(repo, { path: 'exports/*.json' }, 'ingestor orders'),
    ).rejects.toThrow(FileNotFoundError);
    await expect(
      resolveFilesSource(repo, { path: 'exports/*.json' }, 'ingestor orders'),
    ).rejects.toThrow(/^ingestor orders: no input files match exports\/\*\.json/);
    await expect(resolveFilesSource(repo, { path: 'nope.csv' })).rejects.toThrow(
      /no input files match nope.csv/,
    );
  });

  describe('refuses paths that leave the repository directory (path traversal)', () => {
    it('../', async () => {
      const err = await refused('../outside/secret.csv');
      expect(err.message).toMatch(/^ingestor orders: path "..\/outside\/secret.csv" leaves/);
      expect(err.data).toEqual({ path: '../outside/secret.csv', reason: 'path traversal' });
    });

    it('a ../ hidden inside the path', async () => {
      await refused('exports/../../outside/secret.csv');
    });

    it('a glob with ../', async () => {
      await refused('exports/../../outside/*.csv');
    });

    it('an absolute path elsewhere', async () => {
      await refused(join(top, 'outside/secret.csv'));
      await refused('/etc/passwd');
    });

    it('a brace glob reaching out', async () => {
      const err = await refused('{exports,../outside}/*.csv');
      expect(err.message).toMatch(/leaves the repository directory \(path traversal\)/);
      await refused('exports/{a,../../outside/secret}.csv');
    });

    it('a symlink to a file outside', async () => {
      symlinkSync(join(top, 'outside/secret.csv'), join(repo, 'exports/link.csv'));
      await refused('exports/link.csv');
      await refused('exports');
    });

    it("the repository's own storage", async () => {
      const err = await refused('.sluice/meta.db');
      expect(err.message).toMatch(/\.sluice/);
    });
  });
});
