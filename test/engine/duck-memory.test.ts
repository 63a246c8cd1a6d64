// DuckDB's memory limit follows the machine (a share of its memory, not a fixed 1 GB), is set by
// sluice.yml's `duckdb:` section and overridden by a caller (the CLI's --memory-limit); a value
// that cannot be read is refused with its code, at its line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { machineMemory, parseMemoryLimit } from '../../src/engine/memory-limit.js';
import { withSqlSession } from '../../src/engine/session.js';
import { makeTempDir, removeDir } from './support.js';

let dir: string;
afterEach(() => removeDir(dir));

/** The memory_limit DuckDB reports in a session of `repo` with `duck`, in bytes. */
async function sessionLimit(repo: Repository, duck = {}): Promise<number> {
  const text = await withSqlSession(repo, { duck }, async (s) =>
    String((await s.duck.query("SELECT current_setting('memory_limit') AS m")).rows[0]?.m),
  );
  const r = parseMemoryLimit(text);
  if ('reason' in r) throw new Error(`unreadable ${text}`);
  return r.bytes;
}

async function repoWith(yml?: string): Promise<Repository> {
  dir = makeTempDir('duck-memory');
  await initRepository(dir, { name: 'm', committer: 'test' });
  if (yml !== undefined) writeFileSync(join(dir, 'sluice.yml'), yml);
  return openRepository(dir);
}

describe("DuckDB's memory limit", () => {
  it('is half the machine by default', async () => {
    const bytes = await sessionLimit(await repoWith());
    expect(bytes / (machineMemory() / 2)).toBeCloseTo(1, 1);
  });

  it("is sluice.yml's duckdb.memory_limit, and a caller's over it", async () => {
    const repo = await repoWith('duckdb:\n  memory_limit: 300MB\n');
    // DuckDB reports the limit rounded (286.1 MiB, 2.3 GiB): compared as ratios.
    expect((await sessionLimit(repo)) / 300e6).toBeCloseTo(1, 1);
    expect((await sessionLimit(repo, { memoryLimit: '10%' })) / (machineMemory() / 10)).toBeCloseTo(
      1,
      1,
    );
  });

  it('refuses a value it cannot read, at its line', async () => {
    await expect(repoWith('name: x\nduckdb:\n  memory_limit: lots\n')).rejects.toMatchObject({
      code: 'InvalidConfigError',
      message: expect.stringMatching(/sluice\.yml.*3/),
    });
    expect(parseMemoryLimit('4GB')).toEqual({ bytes: 4e9 });
    expect(parseMemoryLimit('512MiB')).toEqual({ bytes: 512 * 2 ** 20 });
    expect(parseMemoryLimit('10MB')).toHaveProperty('reason');
    expect(parseMemoryLimit('150%')).toHaveProperty('reason');
  });
});
