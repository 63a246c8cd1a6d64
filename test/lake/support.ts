// Helpers for the import/export tests: a lake of files on disk, the object store's footprint (to
// measure that an import copies no byte), and "nothing changed" snapshots of a branch.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Repository } from '../../src/core/repository.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

/** Writes `count` files in nested folders under `dir`; returns their relative paths and bytes. */
export function writeLake(dir: string, count: number, size = 512): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const rel = `d${i % 7}/e${i % 3}/f${String(i).padStart(5, '0')}.bin`;
    const bytes = Buffer.alloc(size + (i % 13), `${i}:`);
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
    files.set(rel, bytes);
  }
  return files;
}

/** Every file under `dir` by its `/`-separated relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export interface Footprint {
  keys: Map<string, number>;
  bytes: number;
}

/** The store's keys and sizes. */
export async function footprint(store: ObjectStore): Promise<Footprint> {
  const keys = new Map<string, number>();
  let bytes = 0;
  for await (const o of store.list('')) {
    keys.set(o.key, o.size);
    bytes += o.size;
  }
  return { keys, bytes };
}

/** Keys added between two footprints, and the bytes they hold. */
export function added(before: Footprint, after: Footprint): { keys: string[]; bytes: number } {
  const keys = [...after.keys.keys()].filter((k) => !before.keys.has(k));
  return { keys, bytes: keys.reduce((n, k) => n + (after.keys.get(k) ?? 0), 0) };
}

/** What must not change when an operation is refused: branch heads and staged rows. */
export async function snapshot(repo: Repository): Promise<string> {
  const parts: string[] = [];
  for await (const b of repo.listBranches()) {
    parts.push(`${b.name}=${b.head}`);
    for await (const c of repo.status(b.name)) parts.push(`  ${c.type} ${c.path}`);
  }
  return parts.join('\n');
}

export const mtimeOf = (p: string): number => statSync(p).mtimeMs;
