// Shared machinery of the benchmarks: the metadata backends (SQLite, a throwaway PostgreSQL),
// temp directories that are removed even when a run fails, timing and statistics, deterministic
// data, and the big metadata-only repositories (1M entries over a few thousand shared blobs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { initRepository, openRepository } from '../src/api/open-repository.js';
import type { CommitId } from '../src/common/ids.js';
import type { Repository } from '../src/core/repository.js';
import type { StagedChange, StagedValue } from '../src/meta/meta-store.js';
import { canPutMany, type PutManyItem, type PutManyItems } from '../src/storage/put-many.js';
import { prng } from '../test/engine/support.js';
import { type PgCluster, startPgCluster } from '../test/support/pg-cluster.js';
import type { BenchReport, Table as BenchTable } from './report.js';

export type MetaKind = 'sqlite' | 'postgres';
export const META_KINDS: readonly MetaKind[] = ['sqlite', 'postgres'];
export const META_LABEL: Record<MetaKind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

// ---- output ---------------------------------------------------------------------------------

/** Progress goes to stderr, so stdout holds only the result tables. */
export function log(msg: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[${t}] ${msg}\n`);
}

// ---- timing and statistics ------------------------------------------------------------------

export const now = (): number => performance.now();

/** Runs `fn` and returns its result with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = now();
  const value = await fn();
  return { ms: now() - t0, value };
}

export interface Stats {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) throw new Error('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
  const mid = s.length >> 1;
  const median =
    s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, median, p90: at(0.9), min: s[0] as number, max: s.at(-1) as number, mean };
}

/** Milliseconds for humans: 0.84 ms, 12.3 ms, 456 ms, 12.34 s, 3 min 05 s. */
export function fmtMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export const fmtRatio = (x: number): string => `${x.toFixed(2)}×`;
export const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Median with spread, e.g. `12.3 ms (p90 14.0 ms, n=7)`. */
export function fmtStats(s: Stats): string {
  return s.n === 1 ? fmtMs(s.median) : `${fmtMs(s.median)} (p90 ${fmtMs(s.p90)}, n=${s.n})`;
}

// ---- deterministic data ---------------------------------------------------------------------

/** mulberry32, shared with the tests: every run generates the same data. */
export { prng };

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results keep their order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** Flushes dirty pages so earlier writes do not compete with the next measurement. */
export function syncDisks(): void {
  try {
    execFileSync('sync');
  } catch {
    // best effort
  }
}

// ---- machine --------------------------------------------------------------------------------

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  os: string;
  disk: string;
  git?: string;
  postgres?: string;
}

function tryExec(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The code measured: HEAD plus a note when the working tree has uncommitted changes. */
export function codeVersion(): string {
  const head = tryExec('git', ['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = tryExec('git', ['status', '--porcelain', '--', 'src', 'package.json']);
  const n = dirty ? dirty.split('\n').length : 0;
  return n > 0 ? `${head} + uncommitted changes (${n} files in src/ and package.json)` : head;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  const fs = tryExec('df', ['-T', tmpdir()])?.split('\n')[1]?.split(/\s+/);
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    disk: fs ? `${fs[1]} on ${fs[0]} (temp dir ${tmpdir()})` : tmpdir(),
    git: tryExec('git', ['--version'])?.replace(/^git version /, ''),
  };
}

// ---- temp directories -----------------------------------------------------------------------

/** Temp directories of this run; all removed by cleanup(), and on process exit as a fallback. */
export class TempDirs {
  private readonly dirs = new Set<string>();
  private readonly onExit = (): void => this.cleanup();

  constructor() {
    process.on('exit', this.onExit);
  }

  make(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `sluice-bench-${label}-`));
    this.dirs.add(dir);
    return dir;
  }

  remove(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  cleanup(): void {
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
    process.off('exit', this.onExit);
  }
}

// ---- the environment of a run ---------------------------------------------------------------

export interface BenchOptions {
  quick: boolean;
  metas: MetaKind[];
}

export interface RepoHandle {
  kind: MetaKind;
  dir: string;
  repo: Repository;
  /** The PostgreSQL database URL (PostgreSQL repositories only). */
  metaUrl?: string;
}

/**
 * What a benchmark runs against: temp dirs, the PostgreSQL cluster (started once, with fsync on),
 * open repositories (closed at the end) and the big fixtures (built once per backend and size).
 */
export class BenchEnv {
  readonly temp = new TempDirs();
  readonly machine = machineInfo();
  private pg?: PgCluster;
  private pgDescription?: string;
  private dbCounter = 0;
  private readonly open = new Set<Repository>();
  private readonly fixtures = new Map<string, Promise<BigRepo>>();

  private constructor(readonly opts: BenchOptions) {}

  static async start(opts: BenchOptions): Promise<BenchEnv> {
    const env = new BenchEnv(opts);
    try {
      if (opts.metas.includes('postgres')) await env.startPg();
    } catch (err) {
      await env.stop();
      throw err;
    }
    return env;
  }

  get quick(): boolean {
    return this.opts.quick;
  }
  get metas(): MetaKind[] {
    return this.opts.metas;
  }
  /** One line on how PostgreSQL was run (version, durability settings), when it was. */
  get postgres(): string | undefined {
    return this.pgDescription;
  }

  private async startPg(): Promise<void> {
    log('starting a throwaway PostgreSQL cluster (fsync on)');
    this.pg = await startPgCluster({ fsync: true, database: 'bench_probe' });
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.pg.url });
    await client.connect();
    try {
      const show = async (name: string): Promise<string> => {
        const row = (await client.query(`show ${name}`)).rows[0] as
          | Record<string, string>
          | undefined;
        return row?.[name] ?? '?';
      };
      const version = await show('server_version');
      const fsync = await show('fsync');
      const sync = await show('synchronous_commit');
      const fpw = await show('full_page_writes');
      this.pgDescription = `PostgreSQL ${version} (throwaway cluster on local disk, fsync=${fsync}, synchronous_commit=${sync}, full_page_writes=${fpw})`;
    } finally {
      await client.end();
    }
  }

  /** Creates a fresh repository in a new temp dir (PostgreSQL: in a new database). */
  async createRepo(
    kind: MetaKind,
    label: string,
    opts: { dir?: string } = {},
  ): Promise<RepoHandle> {
    const dir = opts.dir ?? this.temp.make(`${label}-${kind}`);
    const meta = kind === 'postgres' ? await this.newDatabase(label) : undefined;
    const repo = await initRepository(dir, {
      ...(meta ? { meta } : {}),
      name: label,
      committer: 'bench',
    });
    this.open.add(repo);
    return { kind, dir, repo, metaUrl: meta };
  }

  /**
   * Lets the stores settle after bulk writes, so the next measurement does not pay for the
   * previous one: flushes dirty pages; on PostgreSQL also VACUUM ANALYZE (a commit deletes its
   * staged rows, which leaves dead tuples for autovacuum) and CHECKPOINT.
   */
  async quiesce(handle: { kind: MetaKind; metaUrl?: string }): Promise<void> {
    if (handle.kind === 'postgres' && handle.metaUrl) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: handle.metaUrl });
      await client.connect();
      try {
        await client.query('vacuum analyze');
        await client.query('checkpoint');
      } finally {
        await client.end();
      }
    }
    syncDisks();
  }

  /** Opens another handle on a repository: fresh caches, like a new CLI process would have. */
  async openRepo(dir: string): Promise<Repository> {
    const repo = await openRepository(dir, { committer: 'bench' });
    this.open.add(repo);
    return repo;
  }

  async closeRepo(repo: Repository): Promise<void> {
    if (!this.open.delete(repo)) return;
    await repo.close();
  }

  /** Runs `fn` on a freshly opened handle (opening is not part of what `fn` measures). */
  async withFreshHandle<T>(dir: string, fn: (repo: Repository) => Promise<T>): Promise<T> {
    const repo = await this.openRepo(dir);
    try {
      return await fn(repo);
    } finally {
      await this.closeRepo(repo);
    }
  }

  private async newDatabase(label: string): Promise<string> {
    if (!this.pg) throw new Error('PostgreSQL was not started (use --meta postgres or both)');
    return this.pg.createDatabase(
      `bench_${label.replace(/[^a-z0-9_]/gi, '_')}_${++this.dbCounter}`,
    );
  }

  /** The big repository of `size` entries on `kind`, built once per run (see buildBigRepo). */
  bigRepo(kind: MetaKind, size: number): Promise<BigRepo> {
    const key = `${kind}:${size}`;
    let f = this.fixtures.get(key);
    if (!f) {
      f = buildBigRepo(this, kind, size);
      this.fixtures.set(key, f);
    }
    return f;
  }

  async stop(): Promise<void> {
    for (const repo of this.open) {
      try {
        await repo.close();
      } catch {
        // closing is best effort at the end
      }
    }
    this.open.clear();
    await this.pg?.stop();
    this.pg = undefined;
    this.temp.cleanup();
  }
}

// ---- big metadata-only repositories ---------------------------------------------------------

const DAYS = 31;

/**
 * Realistic data-lake keys, in sorted order: `tables/table_042/date=2026-01-15/part-00017-
 * 3f9a2c1b.parquet` (~60 characters). About 10,000 files per table, 31 daily partitions each.
 */
export class PathLayout {
  readonly tables: number;
  readonly partsPerDay: number;
  readonly perTable: number;

  constructor(readonly size: number) {
    this.tables = Math.max(1, Math.round(size / 10_000));
    this.partsPerDay = Math.ceil(size / (this.tables * DAYS));
    this.perTable = this.partsPerDay * DAYS;
  }

  /** The i-th key (0 <= i < size); keys are generated in sorted order. */
  pathAt(i: number): string {
    const t = Math.floor(i / this.perTable);
    const rest = i % this.perTable;
    const day = Math.floor(rest / this.partsPerDay) + 1;
    const part = rest % this.partsPerDay;
    return `tables/table_${pad(t, 3)}/date=2026-01-${pad(day, 2)}/part-${pad(part, 5)}-${suffix(i)}.parquet`;
  }

  /**
   * `count` new files of one new daily partition of table `table` — a typical ingest. `batch`
   * picks the partition (each batch number gives a distinct one, later in the year).
   */
  newPartition(table: number, batch: number, count: number): string[] {
    const month = 2 + Math.floor(batch / 28);
    const day = 1 + (batch % 28);
    const dir = `tables/table_${pad(table % this.tables, 3)}/date=2026-${pad(month, 2)}-${pad(day, 2)}`;
    return Array.from(
      { length: count },
      (_, k) => `${dir}/part-${pad(k, 5)}-${suffix(batch * 100_003 + k)}.parquet`,
    );
  }
}

/** 8 hex characters derived from n: the writer's id in real part-file names. */
function suffix(n: number): string {
  return (Math.imul(n + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
}

export interface BigRepo {
  kind: MetaKind;
  dir: string;
  metaUrl?: string;
  size: number;
  layout: PathLayout;
  /** The distinct blobs every entry points at. */
  blobs: StagedValue[];
  /** Head of `main`: the commit holding `size` entries. Benchmarks branch off it, never move main. */
  base: CommitId;
  /** The handle that built it (its caches are warm). */
  repo: Repository;
  setup: { blobsMs: number; stageMs: number; commitMs: number; totalMs: number };
  /** Source of distinct partition numbers and value bumps for changes made by benchmarks. */
  nextBatch(): number;
}

/** A blob that entry `i` initially points at. */
export const blobOf = (big: BigRepo, i: number): StagedValue =>
  big.blobs[i % big.blobs.length] as StagedValue;

const STAGE_BATCH = 50_000;

/**
 * Builds a repository whose `main` holds `size` entries. Writing 1M files would measure the disk,
 * so a few thousand distinct blobs are stored with putObjects and 1M entries referencing them are
 * staged directly in the MetaStore, then committed: the tree is real, the blobs are shared.
 */
export async function buildBigRepo(
  env: BenchEnv,
  kind: MetaKind,
  size: number,
  opts: { dir?: string } = {},
): Promise<BigRepo> {
  const label = `big${size >= 1_000_000 ? `${size / 1_000_000}m` : `${size / 1000}k`}`;
  log(`building ${fmtInt(size)}-entry repository on ${META_LABEL[kind]}`);
  const t0 = now();
  const { repo, dir, metaUrl } = await env.createRepo(kind, label, opts);
  const layout = new PathLayout(size);

  // Distinct blobs, stored through the normal write path on a scratch branch. One putObject per
  // blob stores each as its own object (a bulk putObjects would pack small blobs together), like
  // the multi-megabyte Parquet files these entries stand for.
  const blobCount = Math.min(2000, Math.max(100, Math.ceil(size / 500)));
  const rand = prng(size);
  await repo.createBranch('bench-blobs');
  const items = Array.from({ length: blobCount }, (_, b) => {
    const n = 200 + Math.floor(rand() * 1800);
    const body = new Uint8Array(n);
    const head = Buffer.from(`PAR1 blob ${b} of ${blobCount}\n`);
    body.set(head.subarray(0, Math.min(head.length, n)));
    for (let k = head.length; k < n; k++) body[k] = Math.floor(rand() * 256);
    return { path: `blobs/blob-${pad(b, 5)}.parquet`, body };
  });
  const entries = await mapConcurrent(items, 16, (item) =>
    repo.putObject('bench-blobs', item.path, item.body),
  );
  await repo.deleteBranch('bench-blobs'); // the stored objects stay; only the staged paths go
  const blobs: StagedValue[] = entries.map((e) => ({
    address: e.address,
    size: e.size,
    checksum: e.checksum,
    contentType: e.contentType,
    metadata: {},
    ...(e.physical !== undefined ? { physical: e.physical } : {}),
  }));
  const t1 = now();

  const big: BigRepo = {
    kind,
    dir,
    metaUrl,
    size,
    layout,
    blobs,
    base: '' as CommitId,
    repo,
    setup: { blobsMs: t1 - t0, stageMs: 0, commitMs: 0, totalMs: 0 },
    nextBatch: (() => {
      let batch = 0;
      return () => ++batch;
    })(),
  };
  for (let i = 0; i < size; i += STAGE_BATCH) {
    const changes: StagedChange[] = [];
    for (let k = i; k < Math.min(size, i + STAGE_BATCH); k++)
      changes.push({ path: layout.pathAt(k), value: blobOf(big, k) });
    await repo.meta.stage(repo.name, repo.defaultBranch, changes);
    if (size >= 200_000 && (i / STAGE_BATCH) % 5 === 4)
      log(`  staged ${fmtInt(i + changes.length)}`);
  }
  const t2 = now();
  const commit = await repo.commit(repo.defaultBranch, { message: `${fmtInt(size)} entries` });
  const t3 = now();
  big.base = commit.id;
  // Not timed: the tree is valid — its entries' objects can be read back.
  for (const i of [0, size - 1]) {
    const bytes = await repo.getObject(big.base, layout.pathAt(i));
    if (bytes.byteLength !== blobOf(big, i).size)
      throw new Error(`entry ${i} reads back ${bytes.byteLength} bytes`);
  }
  await env.quiesce(big);
  big.setup = { blobsMs: t1 - t0, stageMs: t2 - t1, commitMs: t3 - t2, totalMs: t3 - t0 };
  log(
    `  built in ${fmtMs(t3 - t0)} (blobs ${fmtMs(t1 - t0)}, stage ${fmtMs(t2 - t1)}, commit ${fmtMs(t3 - t2)})`,
  );
  return big;
}

/** Picks `count` distinct entry indexes uniformly at random, avoiding `exclude`. */
export function randomIndexes(
  size: number,
  count: number,
  seed: number,
  exclude?: Set<number>,
): number[] {
  const rand = prng(seed);
  const picked = new Set<number>();
  while (picked.size < count) {
    const i = Math.floor(rand() * size);
    if (!exclude?.has(i)) picked.add(i);
  }
  return [...picked];
}

/** A change scenario: where the changed keys lie in the key space. */
export type Scenario = 'clustered' | 'scattered';
export const SCENARIO_LABEL: Record<Scenario, string> = {
  clustered: 'clustered (new files of one partition)',
  scattered: 'scattered (uniformly random keys)',
};

/**
 * `count` changes for the scenario. Clustered: new files in one new partition of `table` (a
 * table's ingest). Scattered: existing entries at random indexes pointed at another blob (the
 * bump is unique per batch, so the value always differs from what the entry held).
 */
export function makeChanges(
  big: BigRepo,
  scenario: Scenario,
  count: number,
  opts: { table?: number; exclude?: Set<number>; picked?: (indexes: number[]) => void } = {},
): StagedChange[] {
  const batch = big.nextBatch();
  if (scenario === 'clustered') {
    const table = opts.table ?? Math.floor(big.layout.tables / 2);
    return big.layout
      .newPartition(table, batch, count)
      .map((path, k) => ({ path, value: blobOf(big, batch * 7919 + k) }));
  }
  const indexes = randomIndexes(big.size, count, batch * 1_000_003 + big.size, opts.exclude);
  opts.picked?.(indexes);
  return indexes.map((i) => ({ path: big.layout.pathAt(i), value: blobOf(big, i + batch) }));
}

export function describeBackend(kind: MetaKind): string {
  return kind === 'sqlite'
    ? 'embedded default (WAL, synchronous=NORMAL), objects on the local disk with fsync'
    : 'throwaway local cluster (version and settings above), objects on the local disk with fsync';
}

/** One benchmark: runs on the backends of the environment and reports its figures. */
export interface Benchmark {
  name: string;
  description: string;
  /** The MetaStores it measures (default: every one chosen); none else is started for it. */
  backends?: readonly MetaKind[];
  run(env: BenchEnv): Promise<BenchReport>;
}

/** Entries of the big and the small repository of the metadata benchmarks. */
export function repoSizes(env: BenchEnv): { big: number; small: number } {
  return env.quick ? { big: 20_000, small: 2_000 } : { big: 1_000_000, small: 10_000 };
}

/** How the big repositories were built (the setup cost is a figure too). */
export function setupTable(fixtures: BigRepo[]): BenchTable {
  return {
    title:
      'Setup: building the repositories (putObjects of the blobs, meta.stage in batches of 50,000, one commit)',
    columns: [
      'Backend',
      'Entries',
      'Distinct blobs',
      'Store blobs',
      'Stage entries',
      'Commit',
      'Total',
    ],
    rows: fixtures.map((f) => [
      META_LABEL[f.kind],
      fmtInt(f.size),
      fmtInt(f.blobs.length),
      fmtMs(f.setup.blobsMs),
      fmtMs(f.setup.stageMs),
      fmtMs(f.setup.commitMs),
      fmtMs(f.setup.totalMs),
    ]),
  };
}

export const FIXTURE_NOTE =
  'The big trees reference shared blobs (metadata benchmarks): entries are real tree entries ' +
  '(path, address, size, checksum, content type) with keys like ' +
  '`tables/table_042/date=2026-01-15/part-00017-3f9a2c1b.parquet`, but they point at a few ' +
  'thousand distinct objects instead of one file each.';

export interface StoreIo {
  /** Tree nodes read from the store (cache misses) and written. */
  reads: number;
  writes: number;
  readBytes: number;
  writtenBytes: number;
  /** Store objects created for them (node packs and loose roots). */
  objectsWritten: number;
}

/**
 * Counts the tree nodes an operation reads from the store and writes, and the store objects it
 * creates: the work it does, independent of how busy the machine is. Call `done()` at its end.
 */
export function countStoreIo(repo: Repository): StoreIo & { done: () => StoreIo } {
  const stats = repo.ctx.nodes.stats;
  const before = { ...stats };
  const io = { reads: 0, writes: 0, readBytes: 0, writtenBytes: 0, objectsWritten: 0 };
  const store = repo.store;
  const put = store.put.bind(store);
  store.put = async (key, body, opts) => {
    await put(key, body, opts);
    io.objectsWritten++;
  };
  if (canPutMany(store)) {
    const putManyOrig = store.putMany.bind(store);
    store.putMany = (items, opts) => putManyOrig(countItems(items, io), opts);
  }
  const done = (): StoreIo => {
    io.reads = stats.read - before.read;
    io.readBytes = stats.readBytes - before.readBytes;
    io.writes = stats.written - before.written;
    io.writtenBytes = stats.writtenBytes - before.writtenBytes;
    return { ...io };
  };
  return Object.assign(io, { done });
}

async function* countItems(
  items: PutManyItems,
  io: { objectsWritten: number },
): AsyncIterable<PutManyItem> {
  for await (const item of items) {
    io.objectsWritten++;
    yield item;
  }
}

/** `1,115 r / 1,109 w (29 MiB)`: the median counts of a series of operations. */
export function fmtIo(ios: StoreIo[]): string {
  const med = (xs: number[]): number => stats(xs).median;
  const r = med(ios.map((i) => i.reads));
  const w = med(ios.map((i) => i.writes));
  const bytes = med(ios.map((i) => i.readBytes + i.writtenBytes));
  const o = med(ios.map((i) => i.objectsWritten));
  const parts = [`${fmtInt(Math.round(r))} read`];
  if (w > 0) parts.push(`${fmtInt(Math.round(w))} written`);
  const files = o > 0 ? `, ${fmtInt(Math.round(o))} store object(s) written` : '';
  return `${parts.join(' / ')} (${(bytes / 2 ** 20).toFixed(1)} MiB${files})`;
}
