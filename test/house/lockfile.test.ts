// The lock file installs on every platform the dependencies ship for: `npm ci` refuses a lock
// that lacks an optional platform package (DuckDB's and Biome's per-OS binaries), so a user on a
// Mac or on arm64 Linux, or a CI pipeline there, could not install. Every optional dependency of
// every locked package must itself be locked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const ROOT = join(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};

/** Where npm would find `name` for the package at `from`: nested first, then each parent up. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (dir === '') return false;
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

describe('package-lock.json', () => {
  it('is a v3 lock', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('locks every optional dependency of every package (the binaries of every platform)', () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {}))
        if (!resolves(path, name)) missing.push(`${name} (for ${path || 'the project'})`);
    }
    expect(missing).toEqual([]);
  });

  it('locks every dependency of every package', () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.dependencies ?? {}))
        if (!resolves(path, name)) missing.push(`${name} (for ${path || 'the project'})`);
    }
    expect(missing).toEqual([]);
  });
});
