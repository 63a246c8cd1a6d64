// import: 100,000 small files into a fresh repository and one commit, against `git add -A &&
// git commit` on a copy of the same tree. File reading is inside the timing for both (git reads
// the working tree itself). The target: Sluice at least 2x faster than git.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Repository } from '../src/core/repository.js';
import type { MetaStore } from '../src/meta/meta-store.js';
import { openMetaStore } from '../src/meta/open-meta.js';
import { LocalFsStore } from '../src/storage/local-fs-store.js';
import type { ObjectStore } from '../src/storage/object-store.js';
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  countStoreIo,
  describeBackend,
  fmtInt,
  fmtMs,
  fmtRatio,
  log,
  META_LABEL,
  type MetaKind,
  mapConcurrent,
  now,
  pad,
  prng,
  syncDisks,
} from './support.js';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '..');
const CLI_MAIN = join(REPO_ROOT, 'dist', 'cli-bundle', 'main.js');

interface Sizes {
  files: number;
  dirs: number;
}

const FULL: Sizes = { files: 100_000, dirs: 100 };
const QUICK: Sizes = { files: 8_000, dirs: 20 }; // above gc.auto (6,700 loose objects), like the full run

interface Outcome {
  label: string;
  /** Something worth knowing about this run. */
  note?: string;
  phases: [string, number][];
  totalMs: number;
  diskKiB?: number;
  error?: string;
}

/** Small CSV-like files of 100–400 bytes, spread evenly over `dirs` directories. */
export async function generateTree(root: string, sizes: Sizes): Promise<number> {
  const rand = prng(42);
  const perDir = Math.ceil(sizes.files / sizes.dirs);
  for (let d = 0; d < sizes.dirs; d++)
    await mkdir(join(root, `dir_${pad(d, 3)}`), { recursive: true });
  const specs = Array.from({ length: sizes.files }, (_, i) => ({
    i,
    size: 100 + Math.floor(rand() * 301),
    seed: Math.floor(rand() * 2 ** 31),
  }));
  let bytes = 0;
  await mapConcurrent(specs, 32, async ({ i, size, seed }) => {
    const r = prng(seed);
    let text = `id,ts,amount,file\n`;
    for (let row = 0; text.length < size; row++) {
      text += `${i * 1000 + row},2026-01-${pad(1 + (row % 28), 2)}T${pad(Math.floor(r() * 24), 2)}:00:00Z,${(r() * 1000).toFixed(2)},${i}\n`;
    }
    text = `${text.slice(0, size - 1)}\n`;
    bytes += text.length;
    await writeFile(
      join(root, `dir_${pad(Math.floor(i / perDir), 3)}`, `part_${pad(i, 6)}.csv`),
      text,
    );
  });
  return bytes;
}

/** Relative paths of every file under `root`. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

async function diskKiB(dir: string): Promise<number | undefined> {
  try {
    const { stdout } = await run('du', ['-sk', dir]);
    return Number(stdout.split(/\s/)[0]);
  } catch {
    return undefined;
  }
}

/** Times how long a MetaStore / ObjectStore method takes in total, without changing what it does. */
function meter<T extends object, K extends keyof T>(
  target: T,
  method: K,
): { ms: number; calls: number } {
  const m = { ms: 0, calls: 0 };
  const orig = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    const t = now();
    m.calls++;
    try {
      return await orig(...args);
    } finally {
      m.ms += now() - t;
    }
  };
  return m;
}

/** The library path: list + read the files, putObjects, commit. */
export async function importWith(
  repo: Repository,
  src: string,
  label: string,
  files: number,
): Promise<Outcome> {
  const stage = meter(repo.meta, 'stage');
  syncDisks();
  const t0 = now();
  const paths = await listFiles(src);
  // Synchronous reads: for small files on a local disk, the thread-pool round trips of async
  // reads (open, fstat, read, close) cost more than the reads themselves.
  const items = paths.map((rel) => ({ path: `raw/${rel}`, body: readFileSync(join(src, rel)) }));
  const t1 = now();
  await repo.putObjects(repo.defaultBranch, items);
  const t2 = now();
  const io = countStoreIo(repo);
  await repo.commit(repo.defaultBranch, { message: 'import' });
  const t3 = now();
  const nodeWrites = io.done();
  // Not timed: the commit holds every file.
  let n = 0;
  for await (const _ of repo.list(repo.defaultBranch, { prefix: 'raw/' })) n++;
  if (n !== files) throw new Error(`${label}: expected ${files} entries after import, found ${n}`);
  return {
    label,
    phases: [
      ['list + read files', t1 - t0],
      ['hash + store objects', t2 - t1 - stage.ms],
      ['stage (MetaStore)', stage.ms],
      [
        `commit (${fmtInt(nodeWrites.writes)} tree nodes in ${fmtInt(nodeWrites.objectsWritten)} store objects)`,
        t3 - t2,
      ],
    ],
    totalMs: t3 - t0,
  };
}

async function importLibrary(
  env: BenchEnv,
  kind: MetaKind,
  src: string,
  files: number,
): Promise<Outcome> {
  const { repo, dir } = await env.createRepo(kind, 'import');
  try {
    const out = await importWith(repo, src, `Sluice library, ${META_LABEL[kind]}`, files);
    out.diskKiB = await diskKiB(dir);
    return out;
  } finally {
    await env.closeRepo(repo);
  }
}

/**
 * Diagnostic only: the same import with the object store's per-object fsync switched off
 * (LocalFsStore's `fsync: false`), to show how much of the time is spent waiting for the disk.
 */
async function importNoFsync(env: BenchEnv, src: string, files: number): Promise<Outcome> {
  const dir = env.temp.make('import-nofsync');
  await mkdir(join(dir, '.sluice'), { recursive: true });
  let meta: MetaStore | undefined;
  let store: ObjectStore | undefined;
  try {
    meta = await openMetaStore(`sqlite:${join(dir, '.sluice', 'meta.db')}`);
    store = new LocalFsStore(join(dir, '.sluice', 'objects'), { fsync: false });
    const repo = await Repository.init(meta, store, { name: 'import', committer: 'bench' });
    return await importWith(
      repo,
      src,
      'Sluice library, SQLite, objects without fsync (diagnostic)',
      files,
    );
  } finally {
    await meta?.close();
    await store?.close();
  }
}

const GIT_ENV = {
  ...process.env,
  // Plain defaults: no system or user configuration, only an identity.
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** A copy of the tree for git to work in (made before any timing starts). */
async function gitCopy(env: BenchEnv, src: string): Promise<string> {
  const dir = env.temp.make('import-git');
  await run('cp', ['-a', `${src}/.`, dir]);
  return dir;
}

async function importGit(dir: string): Promise<Outcome> {
  syncDisks();
  const git = async (...args: string[]): Promise<number> => {
    const t = now();
    await run('git', args, { cwd: dir, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
    return now() - t;
  };
  const init = await git('init', '-q');
  const add = await git('add', '-A');
  const commit = await git('commit', '-q', '-m', 'x');
  // With 100,000 loose objects, `git commit` starts `git gc --auto` detached in the background.
  // It is not part of git's time, but it must not run during the next variant's measurement.
  const gcMs = await waitForGit(dir);
  return {
    label: 'git init + add -A + commit (defaults)',
    phases: [
      ['init', init],
      ['add -A', add],
      ['commit', commit],
    ],
    totalMs: init + add + commit,
    diskKiB: await diskKiB(join(dir, '.git')),
    ...(gcMs > 0
      ? { note: `then a detached \`git gc --auto\` ran ${fmtMs(gcMs)} (waited for, not counted)` }
      : {}),
  };
}

/** Git processes working in `dir` (such as a detached `git gc --auto`). */
function gitProcessesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() !== 'git') continue;
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** Waits until no git process works in `dir` any more; returns how long that took. */
async function waitForGit(dir: string): Promise<number> {
  const t0 = now();
  let last = t0;
  // The detached gc may take a moment to appear; watch for a second of quiet.
  while (now() - last < 1000 && now() - t0 < 10 * 60_000) {
    if (gitProcessesIn(dir).length > 0) last = now();
    await new Promise((r) => setTimeout(r, 100));
  }
  return last - t0;
}

/** The CLI end to end (two processes), when it has been built into dist/. */
async function importCli(env: BenchEnv, kind: MetaKind, src: string): Promise<Outcome> {
  const label = `Sluice CLI, ${META_LABEL[kind]}`;
  const { repo, dir } = await env.createRepo(kind, 'import-cli');
  await env.closeRepo(repo);
  const phases: [string, number][] = [];
  try {
    syncDisks();
    const cli = async (name: string, ...args: string[]): Promise<void> => {
      const t = now();
      await run(process.execPath, [join(REPO_ROOT, 'bin', 'sluice.js'), ...args], {
        cwd: dir,
        env: { ...process.env, SLUICE_USER: 'bench' },
        maxBuffer: 64 * 1024 * 1024,
      });
      phases.push([name, now() - t]);
    };
    await cli('sluice put DIR raw/', 'put', src, 'raw/');
    await cli('sluice commit', 'commit', '-m', 'x');
    return {
      label,
      phases,
      totalMs: phases.reduce((a, [, ms]) => a + ms, 0),
      diskKiB: await diskKiB(dir),
    };
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    const why = (e.stderr || e.message || String(err)).trim().split('\n')[0] ?? '';
    return { label, phases, totalMs: Number.NaN, error: why.slice(0, 200) };
  }
}

export const importBench: Benchmark = {
  name: 'import',
  description: 'import + commit of 100,000 small files, vs git add + commit',
  async run(env) {
    const sizes = env.quick ? QUICK : FULL;
    const src = env.temp.make('import-src');
    log(`generating ${fmtInt(sizes.files)} files in ${sizes.dirs} directories`);
    const bytes = await generateTree(src, sizes);

    const rounds = env.quick ? 1 : 3;
    const cliBuilt = existsSync(CLI_MAIN);
    // Variants run in rounds (git, library, CLI, diagnostic, then again), so drift in the machine's
    // load hits all of them alike; each variant reports its median round.
    // Every directory stays until the end: deleting 100,000 files between variants makes the
    // disk busy (journal, discard) while the next variant is timed. git's copies are made first.
    const gitDirs: string[] = [];
    for (let r = 0; r < rounds; r++) gitDirs.push(await gitCopy(env, src));
    const variants: { key: string; run: (round: number) => Promise<Outcome> }[] = [
      { key: 'git', run: (round) => importGit(gitDirs[round] as string) },
      ...env.metas.map((kind) => ({
        key: `lib:${kind}`,
        run: () => importLibrary(env, kind, src, sizes.files),
      })),
      ...(cliBuilt
        ? env.metas.map((kind) => ({ key: `cli:${kind}`, run: () => importCli(env, kind, src) }))
        : []),
      ...(env.metas.includes('sqlite')
        ? [{ key: 'nofsync', run: () => importNoFsync(env, src, sizes.files) }]
        : []),
    ];
    const runs = new Map<string, Outcome[]>(variants.map((v) => [v.key, []]));
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const o = await v.run(r);
        log(
          `round ${r + 1}/${rounds}: ${o.label}: ${o.error ? `failed: ${o.error}` : fmtMs(o.totalMs)}`,
        );
        runs.get(v.key)?.push(o);
      }
    }
    env.temp.remove(src);
    /** The median round of a variant (a failed round, if any, is reported as such). */
    const median = (key: string): Outcome & { all: number[] } => {
      const os = runs.get(key) ?? [];
      const failed = os.find((o) => o.error);
      const all = os.map((o) => o.totalMs);
      if (failed) return { ...failed, all };
      const sorted = [...os].sort((a, b) => a.totalMs - b.totalMs);
      return { ...(sorted[(sorted.length - 1) >> 1] as Outcome), all };
    };
    const git = median('git');
    const outcomes = variants.map((v) => median(v.key));
    const spread = (o: { all: number[] }): string =>
      o.all.length > 1 ? ` (${o.all.map((ms) => fmtMs(ms)).join(', ')})` : '';

    const results: Table = {
      title: `Import of ${fmtInt(sizes.files)} files (${fmtInt(bytes)} bytes) and one commit — median of ${rounds} round(s)`,
      columns: [
        'Variant',
        'Total (all rounds)',
        'git ÷ this (medians)',
        'git ÷ this (best rounds)',
        'Phases of the median round',
        'On disk',
      ],
      rows: outcomes.map((o, i) => [
        o.label,
        o.error ? `failed: ${o.error}` : `${fmtMs(o.totalMs)}${spread(o)}`,
        variants[i]?.key === 'git' || o.error ? '' : fmtRatio(git.totalMs / o.totalMs),
        variants[i]?.key === 'git' || o.error
          ? ''
          : fmtRatio(Math.min(...git.all) / Math.min(...o.all)),
        o.phases.map(([name, ms]) => `${name} ${fmtMs(ms)}`).join(' · ') +
          (o.note ? ` · ${o.note}` : ''),
        o.diskKiB === undefined ? '' : `${fmtInt(Math.round(o.diskKiB / 1024))} MiB`,
      ]),
    };
    const targets: TargetCheck[] = variants
      .filter((v) => v.key.startsWith('lib:') || v.key.startsWith('cli:'))
      .map((v) => {
        const o = median(v.key);
        const kind = v.key.slice(4) as MetaKind;
        const ratio = git.totalMs / o.totalMs;
        return {
          target: `Sluice ≥ 2× faster than git (${v.key.startsWith('lib:') ? 'library' : 'CLI, two processes'})`,
          backend: META_LABEL[kind],
          measured: o.error
            ? `failed: ${o.error}`
            : `${fmtMs(o.totalMs)} vs git ${fmtMs(git.totalMs)}: ${fmtRatio(ratio)}`,
          pass: !o.error && ratio >= 2,
        };
      });
    return {
      name: 'import',
      title: `Import + commit of ${fmtInt(sizes.files)} small files vs git`,
      summary:
        'A fresh repository (`initRepository`), then one `repo.putObjects(main, items)` with the ' +
        'files read from disk as Uint8Array bodies (listing and reading are timed; `readFileSync`, ' +
        'which beats async reads for small files), then ' +
        '`repo.commit`. The peer runs `git init -q && git add -A && git commit -q -m x` on a ' +
        'copy of the same tree with default configuration (no system or user config; git does ' +
        'not fsync loose objects by default). `sync` runs before each timed variant, no ' +
        'directory is deleted until all rounds are done (mass deletes keep the disk busy), and ' +
        'the run waits for the `git gc --auto` that `git commit` detaches (100,000 loose objects ' +
        "exceed gc.auto) before going on: it is not counted in git's time, and it would " +
        'otherwise slow down whatever runs next.',
      setup: [
        `Rounds: ${rounds}; each round runs every variant once, in the order of the table`,
        `Files: ${fmtInt(sizes.files)} CSV files of 100–400 bytes in ${sizes.dirs} directories (${fmtInt(bytes)} bytes in all), generated in a temp dir`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
        cliBuilt
          ? 'CLI: `node bin/sluice.js put DIR raw/ && node bin/sluice.js commit -m x` in a repository created by the library'
          : 'CLI: not measured (the CLI bundle dist/cli-bundle/main.js is not built)',
      ],
      tables: [results],
      targets,
      notes: [],
    } satisfies BenchReport;
  },
};
