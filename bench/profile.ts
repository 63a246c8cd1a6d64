// Where the time of one engine operation goes: `npx tsx bench/profile.ts <op>[:scenario]
// [--size N] [--meta sqlite|postgres] [--changes N]`. Builds a big repository, then runs the operation once on a fresh handle under the V8 CPU profiler, with the
// MetaStore and ObjectStore calls metered. Prints the I/O breakdown, the hottest functions, and
// time by source file; writes the .cpuprofile (open it in Chrome DevTools or speedscope).
// Not a benchmark: it reports no targets and writes nothing to BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Repository } from '../src/core/repository.js';
import { LocalFsStore } from '../src/storage/local-fs-store.js';
import { generateTree, importWith } from './import.js';
import {
  BenchEnv,
  type BigRepo,
  buildBigRepo,
  fmtInt,
  fmtMs,
  log,
  type MetaKind,
  makeChanges,
  now,
  PathLayout,
  type Scenario,
} from './support.js';

const OPS = ['commit', 'diff', 'merge', 'import'] as const;
type Op = (typeof OPS)[number];

interface Args {
  op: Op;
  scenario: Scenario;
  size: number;
  meta: MetaKind;
  changes: number;
  /** Keep the big repository in this directory and reuse it next time (SQLite only). */
  keep?: string;
  /** Diagnostic: the profiled handle's object store skips fsync. */
  noFsync: boolean;
}

function parseArgs(argv: string[]): Args {
  const [what] = argv;
  const [op, scenario = 'scattered'] = (what ?? '').split(':') as [Op, Scenario];
  if (!OPS.includes(op) || !['clustered', 'scattered'].includes(scenario)) {
    process.stderr.write(
      'usage: npx tsx bench/profile.ts <commit|diff|merge|import>[:clustered|:scattered] [--size N (entries, or files for import)]\n' +
        '         [--meta sqlite|postgres]' +
        '         [--changes N] [--keep DIR (sqlite: build once, reuse)] [--no-fsync (diagnostic)]\n',
    );
    process.exit(2);
  }
  const opt = (name: string, def: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? (argv[i + 1] ?? def) : def;
  };
  return {
    op,
    scenario,
    size: Number(opt('size', op === 'import' ? '100000' : '1000000')),
    meta: opt('meta', 'sqlite') as MetaKind,
    changes: Number(opt('changes', op === 'diff' ? '100' : '1000')),
    keep: argv.includes('--keep') ? opt('keep', '') || undefined : undefined,
    noFsync: argv.includes('--no-fsync'),
  };
}

// ---- metering I/O ---------------------------------------------------------------------------

interface Meter {
  calls: number;
  /** Objects passed to putMany. */
  items: number;
  busyMs: number;
  bytes: number;
  intervals: [number, number][];
}

const META_METHODS = [
  'getRepository',
  'createBranch',
  'getBranch',
  'listBranches',
  'updateBranch',
  'deleteBranch',
  'stage',
  'getStaged',
  'listStaged',
  'clearStaging',
  'putCommit',
  'getCommit',
  'findCommitIds',
  'getTag',
  'getAlias',
];
const STORE_METHODS = ['put', 'putMany', 'get', 'getStream', 'head', 'delete', 'list'];

/** Wraps the named methods of `target` to record calls and intervals (async iterables included). */
function meterAll(
  target: object,
  prefix: string,
  meters: Map<string, Meter>,
  names: string[],
): void {
  for (const name of names) {
    const fn = (target as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    const m: Meter = { calls: 0, items: 0, busyMs: 0, bytes: 0, intervals: [] };
    meters.set(`${prefix}.${name}`, m);
    const bound = (fn as (...a: unknown[]) => unknown).bind(target);
    const record = (t0: number, bytes?: number): void => {
      const t1 = now();
      m.busyMs += t1 - t0;
      m.intervals.push([t0, t1]);
      if (bytes) m.bytes += bytes;
    };
    (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
      m.calls++;
      const t0 = now();
      if (name === 'putMany') {
        // Count the objects of a bulk put (its calls say little), as the store takes them.
        const items = args[0] as
          | AsyncIterable<{ body: Uint8Array }>
          | Iterable<{ body: Uint8Array }>;
        args[0] = (async function* () {
          for await (const item of items) {
            m.items++;
            m.bytes += item.body.byteLength;
            yield item;
          }
        })();
      }
      const out = bound(...args);
      if (out instanceof Promise) {
        return out.then((v: unknown) => {
          record(
            t0,
            v instanceof Uint8Array
              ? v.byteLength
              : args[1] instanceof Uint8Array
                ? args[1].byteLength
                : 0,
          );
          return v;
        });
      }
      if (out && typeof out === 'object' && Symbol.asyncIterator in out) {
        // Time spent inside next() calls only (not the consumer's time between them).
        const it = (out as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          async next() {
            const t = now();
            const r = await it.next();
            record(t);
            return r;
          },
          async return(v?: unknown) {
            return (await it.return?.(v)) ?? { done: true, value: v };
          },
        };
      }
      record(t0);
      return out;
    };
  }
}

function union(intervals: [number, number][]): number {
  const s = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of s) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else cur[1] = Math.max(cur[1], b);
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}

// ---- CPU profile summary --------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(p: CpuProfile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  const short = (url: string): string =>
    url
      ? url
          .replace(/^.*\/work\/main\//, '')
          .replace(/^.*node_modules\//, 'node_modules/')
          .replace(/^node:/, 'node:')
      : '';
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const n = byId.get(p.samples[i] as number);
    if (!n) continue;
    // The profiler's own stop call (a sampled `dispatch` under node:inspector) is not the operation.
    let own = false;
    for (let id: number | undefined = n.id; id !== undefined && !own; id = parent.get(id)) {
      own = byId.get(id)?.callFrame.url === 'node:inspector';
    }
    if (own) continue;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    // Inclusive time per source file: each file on the stack once.
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const fn = byId.get(id)?.callFrame;
      const file = fn?.url
        ? short(fn.url).replace(/^(node_modules\/[^/]+).*$/, '$1')
        : fn?.functionName;
      if (file && !seen.has(file)) {
        seen.add(file);
        byFile.set(file, (byFile.get(file) ?? 0) + dt);
      }
    }
  }
  const top = (m: Map<string, number>, k: number): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(
        ([name, ms]) =>
          `  ${fmtMs(ms).padStart(9)}  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`,
      )
      .join('\n');
  return [
    `CPU profile: ${fmtMs(total)} sampled`,
    'Self time, top functions:',
    top(self, 25),
    'Inclusive time by source file (a file counted once per sample):',
    top(byFile, 25),
  ].join('\n');
}

// ---- the operations -------------------------------------------------------------------------

async function prepare(big: BigRepo, a: Args): Promise<(repo: Repository) => Promise<string>> {
  const repo = big.repo;
  const tag = `p${Date.now().toString(36)}`;
  if (a.op === 'commit') {
    await repo.createBranch(tag);
    await repo.meta.stage(repo.name, tag, makeChanges(big, a.scenario, a.changes));
    return async (h) => `commit ${(await h.commit(tag, { message: 'profiled' })).id.slice(0, 12)}`;
  }
  if (a.op === 'diff') {
    await repo.createBranch(tag);
    await repo.meta.stage(repo.name, tag, makeChanges(big, a.scenario, a.changes));
    const right = (await repo.commit(tag, { message: 'diff target' })).id;
    return async (h) => {
      let n = 0;
      for await (const _ of h.diff(big.base, right)) n++;
      return `${n} changes`;
    };
  }
  const [x, y, dest] = [`${tag}-a`, `${tag}-b`, `${tag}-dest`];
  for (const b of [x, y, dest]) await repo.createBranch(b);
  const picked = new Set<number>();
  const t = big.layout.tables;
  const changesA = makeChanges(big, a.scenario, a.changes, {
    table: Math.floor(t / 3),
    picked: (ix) => {
      for (const i of ix) picked.add(i);
    },
  });
  await repo.meta.stage(repo.name, x, changesA);
  await repo.commit(x, { message: 'a' });
  await repo.meta.stage(
    repo.name,
    y,
    makeChanges(big, a.scenario, a.changes, { table: Math.floor((2 * t) / 3), exclude: picked }),
  );
  await repo.commit(y, { message: 'b' });
  await repo.merge(y, dest);
  return async (h) => `merge applied ${(await h.merge(x, dest)).applied}`;
}

/** The big repository: built in a temp dir, or kept in (and reloaded from) `--keep DIR`. */
async function fixture(env: BenchEnv, a: Args): Promise<BigRepo> {
  if (!a.keep) return env.bigRepo(a.meta, a.size);
  if (a.meta !== 'sqlite')
    throw new Error('--keep works with --meta sqlite only (PostgreSQL is a throwaway cluster)');
  const file = join(a.keep, 'bench-fixture.json');
  if (!existsSync(file)) {
    const big = await buildBigRepo(env, 'sqlite', a.size, { dir: a.keep });
    writeFileSync(file, JSON.stringify({ size: big.size, base: big.base, blobs: big.blobs }));
    return big;
  }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Pick<BigRepo, 'size' | 'base' | 'blobs'>;
  if (saved.size !== a.size)
    throw new Error(`${a.keep} holds ${saved.size} entries, not ${a.size}`);
  log(`reusing the ${fmtInt(saved.size)}-entry repository in ${a.keep}`);
  let batch = Math.floor(Date.now() / 1000) % 1_000_000; // partitions not used by earlier runs
  return {
    ...saved,
    kind: 'sqlite',
    dir: a.keep,
    layout: new PathLayout(saved.size),
    repo: await env.openRepo(a.keep),
    setup: { blobsMs: 0, stageMs: 0, commitMs: 0, totalMs: 0 },
    nextBatch: () => ++batch,
  };
}

/** Diagnostic: the same repository through an object store that does not fsync (shares the MetaStore). */
function withoutFsync(h: Repository, dir: string): Promise<Repository> {
  const store = new LocalFsStore(join(dir, '.sluice', 'objects'), { fsync: false });
  return Repository.open(h.meta, store, h.name, { committer: 'bench' });
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const env = await BenchEnv.start({ quick: false, metas: [a.meta] });
  try {
    let h: Repository;
    let run: (repo: Repository) => Promise<string>;
    if (a.op === 'import') {
      const src = env.temp.make('profile-import-src');
      log(`generating ${fmtInt(a.size)} files`);
      await generateTree(src, { files: a.size, dirs: 100 });
      const created = await env.createRepo(a.meta, 'import');
      await env.quiesce(created);
      h = a.noFsync ? await withoutFsync(created.repo, created.dir) : created.repo;
      run = async (repo) => {
        const o = await importWith(repo, src, 'import', a.size);
        return o.phases.map(([name, ms]) => `${name} ${fmtMs(ms)}`).join(' · ');
      };
    } else {
      const big = await fixture(env, a);
      run = await prepare(big, a);
      await env.quiesce(big);
      const fresh = await env.openRepo(big.dir);
      h = a.noFsync ? await withoutFsync(fresh, big.dir) : fresh;
    }
    const meters = new Map<string, Meter>();
    meterAll(h.meta, 'meta', meters, META_METHODS);
    meterAll(h.store, 'store', meters, STORE_METHODS);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const t0 = now();
    const what = await run(h);
    const wall = now() - t0;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    const file = join(
      '/tmp',
      `sluice-${a.op}${a.op === 'import' ? '' : `-${a.scenario}`}-${a.size}-${a.meta}${a.noFsync ? '-nofsync' : ''}.cpuprofile`,
    );
    writeFileSync(file, JSON.stringify(profile));

    const lines = [
      `${
        a.op === 'import'
          ? `import of ${fmtInt(a.size)} files`
          : `${a.op} (${a.scenario}, ${fmtInt(a.changes)} changes) on ${fmtInt(a.size)} entries`
      }, ${a.meta}${a.noFsync ? ', objects without fsync' : ''}: ${fmtMs(wall)} wall — ${what}`,
      'I/O calls (busy = sum of call durations; wall = union of their intervals, i.e. time with at least one in flight):',
    ];
    for (const [name, m] of [...meters]
      .filter(([, m]) => m.calls > 0)
      .sort((x, y) => union(y[1].intervals) - union(x[1].intervals))) {
      lines.push(
        `  ${name.padEnd(28)} ${String(m.calls).padStart(6)} calls${m.items ? ` (${fmtInt(m.items)} objects)` : ''}  busy ${fmtMs(m.busyMs).padStart(9)}  wall ${fmtMs(union(m.intervals)).padStart(9)}${m.bytes ? `  ${fmtInt(Math.round(m.bytes / 1024))} KiB` : ''}`,
      );
    }
    const all = [...meters.values()].flatMap((m) => m.intervals);
    lines.push(
      `  any I/O in flight: ${fmtMs(union(all))} of ${fmtMs(wall)}`,
      '',
      summarize(profile),
      '',
      `profile written to ${file}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await env.stop();
  }
}

await main();
