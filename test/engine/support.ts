// Helpers shared by the engine tests: temp dirs, collecting async iterables, error codes,
// whole-repository snapshots, and child processes running test/support/engine-worker.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TreeEntry } from '../../src/core/entry.js';
import type { Repository } from '../../src/core/repository.js';

/** The repository root (where node_modules/tsx lives). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKER_SCRIPT = join(PROJECT_ROOT, 'test/support/engine-worker.ts');

export const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
export const dec = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sluice-${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** The `code` of what `p` rejects with ('OK' when it resolves); non-Sluice errors are rethrown. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /Error$/.test(code)) return code;
    throw err;
  }
}

/** Every object visible at `ref` (through staging for a branch), keyed by path. */
export async function listTree(repo: Repository, ref: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  for await (const item of repo.list(ref)) {
    if (item.type === 'object') out.set(item.entry.path, item.entry);
  }
  return out;
}

/** path → content of everything visible at `ref`, read object by object. */
export async function readTree(repo: Repository, ref: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of (await listTree(repo, ref)).keys())
    out[path] = dec(await repo.getObject(ref, path));
  return out;
}

export interface RepoSnapshot {
  branches: Record<string, { head: string; content: Record<string, string>; status: string[] }>;
  tags: Record<string, string>;
  aliases: Record<string, string>;
  commits: number;
}

/** Everything a caller can observe about refs and content: compared before/after a refusal. */
export async function snapshot(repo: Repository): Promise<RepoSnapshot> {
  const snap: RepoSnapshot = { branches: {}, tags: {}, aliases: {}, commits: 0 };
  for (const b of await collect(repo.listBranches())) {
    const status = (await collect(repo.status(b.name))).map((c) => `${c.type} ${c.path}`);
    snap.branches[b.name] = { head: b.head, content: await readTree(repo, b.name), status };
  }
  for (const t of await collect(repo.listTags())) snap.tags[t.name] = t.commitId;
  for (const a of await collect(repo.listAliases())) snap.aliases[a.name] = a.target;
  snap.commits = (await collect(repo.meta.listCommits(repo.name))).length;
  return snap;
}

/** Starts `node --import tsx test/support/engine-worker.ts <args>` with its stdio piped. */
export function spawnWorker(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
}

export interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a worker's output and waits for it to exit. */
export function waitForWorker(child: ChildProcess): Promise<WorkerResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolveExit({ code, signal, stdout, stderr }));
  });
}

/** A deterministic PRNG (mulberry32), so a printed seed reproduces a run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for a randomized test: $SLUICE_TEST_SEED when set, else fresh (and printed). */
export function testSeed(name: string): number {
  const given = process.env.SLUICE_TEST_SEED;
  const seed = given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[${name}] seed ${seed} (rerun with SLUICE_TEST_SEED=${seed})`);
  return seed;
}
