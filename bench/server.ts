// server: what `sluice serve` adds over the library (issue 15). The same operations — small-object
// GET, stat, a list of 1,000 entries, branch create, a one-change commit — at 1, 16 and 64
// concurrent clients, through the server (autocannon over 127.0.0.1 against a server in a second
// process, server-child.ts, so the load generator does not share its event loop) and through the
// library in-process (a pool of that many workers on one handle). Latencies are every response's
// own (autocannon's histogram keeps whole milliseconds, too coarse here), rounds interleave the two
// sides, and a diagnostic table takes the server apart (request log, identities, the bare HTTP
// floor) to show where the time goes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { Repository } from '../src/core/repository.js';
import type { Table, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  describeBackend,
  fmtInt,
  fmtMs,
  fmtRatio,
  log,
  META_LABEL,
  type MetaKind,
  now,
  pad,
  stats,
} from './support.js';

const ROOT = resolve(import.meta.dirname, '..');
const REPO = 'server';
const SMALL_PATH = 'small/object.json';
const SMALL_BYTES = 1024;
const LIST_PREFIX = 'list/';
const LIST_SIZE = 1000;
const COMMIT_BODY = Buffer.from('id,value\n1,one change\n');

const OPS = ['get', 'stat', 'list', 'branch', 'commit'] as const;
type Op = (typeof OPS)[number];
const READS: readonly Op[] = ['get', 'stat', 'list'];
const OP_LABEL: Record<Op, string> = {
  get: `GET of a ${fmtInt(SMALL_BYTES)}-byte object`,
  stat: 'stat of that object',
  list: `list of ${fmtInt(LIST_SIZE)} entries (one page)`,
  branch: 'branch create (from main)',
  commit: 'one-change commit (upload of one file + commit)',
};
const CLIENTS = [1, 16, 64] as const;

/** One measurement: one side, one operation, one concurrency, one round. */
interface Sample {
  p50: number;
  p99: number;
  /** Completed operations per second. */
  rate: number;
  /** CPU time per completed operation (µs): the server process's, or the library's. */
  cpuUs: number;
  /** The load generator's CPU time per operation (µs; server side only). */
  clientCpuUs?: number;
  n: number;
  errors: number;
}

const pct = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

const cpuMicros = (u: NodeJS.CpuUsage): number => u.user + u.system;

function sampleOf(latencies: number[], seconds: number, errors: number, cpuUs: number): Sample {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    p50: pct(s, 0.5),
    p99: pct(s, 0.99),
    rate: s.length / seconds,
    cpuUs: cpuUs / Math.max(1, s.length),
    n: s.length,
    errors,
  };
}

// ---- the server side ------------------------------------------------------------------------

interface ServerChild {
  proc: ChildProcess;
  url: string;
  authorization: string;
}

interface ChildReady {
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
}

async function startServer(dir: string, args: string[]): Promise<ServerChild> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'server-child.ts'), '--dir', dir, ...args],
    // The request log goes to stdout, as `sluice serve` writes it: here to /dev/null.
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const ready = new Promise<ChildReady>((ok, fail) => {
    proc.once('message', (m) => ok(m as ChildReady));
    proc.once('exit', (code) => fail(new Error(`server child exited with ${code}`)));
    proc.once('error', fail);
  });
  const m = await ready;
  const basic = Buffer.from(`${m.accessKeyId}:${m.secretAccessKey}`).toString('base64');
  return { proc, url: `http://127.0.0.1:${m.port}`, authorization: `Basic ${basic}` };
}

/** The server process's CPU time so far (µs). */
async function serverCpu(s: ServerChild): Promise<number> {
  const answer = new Promise<number>((ok) => {
    const on = (m: unknown): void => {
      const cpu = (m as { cpu?: NodeJS.CpuUsage }).cpu;
      if (!cpu) return;
      s.proc.off('message', on);
      ok(cpuMicros(cpu));
    };
    s.proc.on('message', on);
  });
  s.proc.send('cpu');
  return answer;
}

async function stopServer(s: ServerChild): Promise<void> {
  if (s.proc.exitCode !== null) return;
  const exited = once(s.proc, 'exit');
  s.proc.kill('SIGTERM');
  await exited;
}

let serial = 0;

/** Commit branches, one per client (one more each than clients: a reset connection may keep one). */
const COMMIT_BRANCHES = 2 * Math.max(...CLIENTS);
const commitPool: string[] = [];

/** The requests of one operation; a commit is two (the upload, then the commit of its path). */
function requestsOf(op: Op, auth: string, bare: boolean): AutocannonRequest[] {
  const api = `/api/v1/repositories/${REPO}`;
  const headers = { authorization: auth };
  const json = { ...headers, 'content-type': 'application/json' };
  switch (op) {
    case 'get':
      return [
        {
          method: 'GET',
          path: bare
            ? `/bare/${REPO}/main/objects?path=${SMALL_PATH}`
            : `${api}/refs/main/objects?path=${SMALL_PATH}`,
          headers,
        },
      ];
    case 'stat':
      return [{ method: 'GET', path: `${api}/refs/main/objects/stat?path=${SMALL_PATH}`, headers }];
    case 'list':
      return [
        {
          method: 'GET',
          path: `${api}/refs/main/objects/ls?prefix=${LIST_PREFIX}&amount=${LIST_SIZE}`,
          headers,
        },
      ];
    case 'branch':
      return [
        {
          method: 'POST',
          path: `${api}/branches`,
          headers: json,
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: `srv-${++serial}` }) }),
        },
      ];
    case 'commit':
      // Each pair takes a branch of its own from the pool and gives it back on the commit's
      // answer: no two clients commit on one branch at once (as ingestors on their own branches).
      return [
        {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'text/csv' },
          body: COMMIT_BODY,
          setupRequest: (req, context) => {
            const branch = commitPool.pop() ?? 'commit-srv-spare';
            context.branch = branch;
            return {
              ...req,
              path: `${api}/branches/${branch}/objects?path=commits/srv-${++serial}.csv`,
            };
          },
        },
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ message: 'one change' }),
          setupRequest: (req, context) => ({
            ...req,
            path: `${api}/branches/${context.branch as string}/commits`,
          }),
          onResponse: (_status, _body, context) => {
            if (context.branch !== 'commit-srv-spare') commitPool.push(context.branch as string);
          },
        },
      ];
  }
}

/**
 * `clients` connections for `seconds`. Each response's latency is taken from autocannon's
 * `response` event (a float in ms); a commit's is its upload's plus its commit's.
 */
async function serverRun(
  srv: ServerChild,
  op: Op,
  clients: number,
  seconds: number,
  bare = false,
): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  const pending = new Map<unknown, number>();
  commitPool.length = 0;
  for (let i = COMMIT_BRANCHES - 1; i >= 0; i--) commitPool.push(`commit-srv-${i}`);
  const cpu0 = await serverCpu(srv);
  const client0 = process.cpuUsage();
  const t0 = now();
  const instance = autocannon({
    url: srv.url,
    connections: clients,
    duration: seconds,
    requests: requestsOf(op, srv.authorization, bare),
  });
  instance.on('response', (client: unknown, status: number, _bytes: number, ms: number) => {
    if (status < 200 || status >= 300) {
      errors++;
      pending.delete(client);
      return;
    }
    if (op !== 'commit') return void latencies.push(ms);
    const upload = pending.get(client);
    if (upload === undefined) pending.set(client, ms);
    else {
      pending.delete(client);
      latencies.push(upload + ms);
    }
  });
  const result = await instance;
  const elapsed = (now() - t0) / 1000;
  const clientUs = cpuMicros(process.cpuUsage(client0));
  const cpu = (await serverCpu(srv)) - cpu0;
  const sample = sampleOf(latencies, elapsed, errors + result.errors + result.timeouts, cpu);
  return { ...sample, clientCpuUs: clientUs / Math.max(1, sample.n) };
}

// ---- the library side -----------------------------------------------------------------------

async function libraryOp(repo: Repository, op: Op, worker: number): Promise<void> {
  switch (op) {
    case 'get':
      await repo.getObject('main', SMALL_PATH);
      return;
    case 'stat':
      await repo.stat('main', SMALL_PATH);
      return;
    case 'list': {
      let n = 0;
      for await (const _ of repo.list('main', { prefix: LIST_PREFIX })) n++;
      if (n !== LIST_SIZE) throw new Error(`listed ${n} entries, not ${LIST_SIZE}`);
      return;
    }
    case 'branch':
      await repo.createBranch(`lib-${++serial}`);
      return;
    case 'commit': {
      const branch = `commit-lib-${worker}`;
      await repo.putObject(branch, `commits/lib-${++serial}.csv`, COMMIT_BODY);
      await repo.commit(branch, { message: 'one change' });
      return;
    }
  }
}

/** A pool of `clients` workers calling the operation for `seconds`, on one handle. */
async function libraryRun(
  repo: Repository,
  op: Op,
  clients: number,
  seconds: number,
): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const deadline = t0 + seconds * 1000;
  const worker = async (_: unknown, i: number): Promise<void> => {
    while (now() < deadline) {
      const start = now();
      try {
        await libraryOp(repo, op, i);
        latencies.push(now() - start);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = (now() - t0) / 1000;
  return sampleOf(latencies, elapsed, errors, cpuMicros(process.cpuUsage(cpu0)));
}

// ---- fixture --------------------------------------------------------------------------------

async function buildFixture(repo: Repository): Promise<void> {
  // `{"pad":"…"}`: 10 bytes of JSON around the padding.
  const small = Buffer.from(JSON.stringify({ pad: 'x'.repeat(SMALL_BYTES - 10) }));
  await repo.putObject('main', SMALL_PATH, small);
  await repo.putObjects(
    'main',
    Array.from({ length: LIST_SIZE }, (_, i) => ({
      path: `${LIST_PREFIX}part-${pad(i, 4)}.csv`,
      body: Buffer.from(`id,value\n${i},${'v'.repeat(i % 50)}\n`),
    })),
  );
  await repo.commit('main', { message: 'server bench fixture' });
  for (let i = 0; i < COMMIT_BRANCHES; i++) {
    await repo.createBranch(`commit-lib-${i}`);
    await repo.createBranch(`commit-srv-${i}`);
  }
  await repo.createBranch('commit-srv-spare');
}

/** Is sluice/auth's identity layer in this checkout? (It lands with issue 15.) */
async function hasIdentities(): Promise<boolean> {
  const spec = '../src/auth/identities.js';
  try {
    await import(spec);
    return true;
  } catch {
    return false;
  }
}

// ---- one backend ----------------------------------------------------------------------------

type Key = `${Op}:${number}:${'library' | 'server'}`;

interface Plan {
  rounds: number;
  seconds: number;
  diagRounds: number;
}

interface Measured {
  kind: MetaKind;
  auth: 'identities' | 'standin';
  samples: Map<Key, Sample[]>;
  diag: { label: string; clients: number; samples: Sample[] }[];
}

function push(m: Map<Key, Sample[]>, key: Key, s: Sample): void {
  const list = m.get(key) ?? [];
  list.push(s);
  m.set(key, list);
}

async function measureBackend(env: BenchEnv, kind: MetaKind, plan: Plan): Promise<Measured> {
  const h = await env.createRepo(kind, REPO);
  await buildFixture(h.repo);
  await env.quiesce(h);
  const auth = (await hasIdentities()) ? 'identities' : 'standin';
  const samples = new Map<Key, Sample[]>();
  const srv = await startServer(h.dir, ['--auth', auth]);
  try {
    log(`  ${META_LABEL[kind]}: server at ${srv.url} (auth: ${auth}); warming up`);
    for (const op of OPS) {
      await serverRun(srv, op, 4, 1);
      await libraryRun(h.repo, op, 4, 1);
    }
    for (let r = 0; r < plan.rounds; r++) {
      for (const op of OPS) {
        for (const c of CLIENTS) {
          // Alternate which side goes first, so neither always follows the other's writes.
          const sides =
            (r + c) % 2 ? (['server', 'library'] as const) : (['library', 'server'] as const);
          for (const side of sides) {
            const s =
              side === 'server'
                ? await serverRun(srv, op, c, plan.seconds)
                : await libraryRun(h.repo, op, c, plan.seconds);
            push(samples, `${op}:${c}:${side}`, s);
          }
        }
      }
      const g = samples.get(`get:16:server`)?.at(-1);
      log(
        `  round ${r + 1}/${plan.rounds}: server GET at 16 clients ${fmtInt(Math.round(g?.rate ?? 0))}/s`,
      );
    }
  } finally {
    await stopServer(srv);
  }
  const diag = await diagnose(h.dir, auth, plan);
  return { kind, auth, samples, diag };
}

/**
 * Where a GET's time goes: the same GET on servers with one part taken out at a time — the
 * request log, the identity layer (identities → the in-memory stand-in) — and the bare floor (one
 * Fastify route, no hooks). Each variant runs in its own child, rounds interleaved.
 */
async function diagnose(
  dir: string,
  auth: 'identities' | 'standin',
  plan: Plan,
): Promise<Measured['diag']> {
  const variants: { label: string; args: string[]; bare?: boolean }[] = [
    {
      label: `the server (log on, ${auth === 'identities' ? 'Identities' : 'stand-in auth'})`,
      args: ['--auth', auth],
    },
    { label: 'without the request log', args: ['--auth', auth, '--log', 'off'] },
    ...(auth === 'identities'
      ? [{ label: 'stand-in auth (no identity lookups)', args: ['--auth', 'standin'] }]
      : []),
    {
      label: 'identity answers cached 1 s (prototype in server-child.ts)',
      args: ['--auth', auth, '--auth-cache-ms', '1000'],
    },
    { label: 'Admins instead of Developers', args: ['--auth', auth, '--group', 'Admins'] },
    {
      label: 'bare Fastify route + library (no hooks, schema, log, auth)',
      args: ['--bare'],
      bare: true,
    },
  ];
  const out: Measured['diag'] = [];
  for (const v of variants) {
    const srv = await startServer(dir, v.args);
    try {
      await serverRun(srv, 'get', 4, 1, v.bare);
      for (const c of [1, 16]) {
        const samples: Sample[] = [];
        for (let r = 0; r < plan.diagRounds; r++)
          samples.push(await serverRun(srv, 'get', c, plan.seconds, v.bare));
        out.push({ label: v.label, clients: c, samples });
      }
    } finally {
      await stopServer(srv);
    }
  }
  return out;
}

// ---- report ---------------------------------------------------------------------------------

const med = (xs: number[]): number => stats(xs).median;

/** Median (min–max) over the rounds that completed any operation. */
function spread(all: number[], fmt: (x: number) => string): string {
  const xs = all.filter((x) => !Number.isNaN(x));
  if (xs.length === 0) return '—';
  if (xs.length === 1) return fmt(xs[0] as number);
  return `${fmt(med(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

const fmtRate = (x: number): string => fmtInt(Math.round(x));
const fmtLat = (x: number): string =>
  Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
const fmtCpu = (xs: number[]): string => fmtInt(Math.round(med(xs)));
const fmtAdded = (x: number): string => (Number.isNaN(x) ? '—' : `${x.toFixed(2)} ms`);

function mainTable(m: Measured): Table {
  const rows: string[][] = [];
  for (const op of OPS) {
    for (const c of CLIENTS) {
      const lib = m.samples.get(`${op}:${c}:library`) ?? [];
      const srv = m.samples.get(`${op}:${c}:server`) ?? [];
      if (lib.length === 0 || srv.length === 0) continue;
      const libP50 = med(lib.map((s) => s.p50));
      const srvP50 = med(srv.map((s) => s.p50));
      const errors = lib.reduce((a, s) => a + s.errors, 0) + srv.reduce((a, s) => a + s.errors, 0);
      rows.push([
        OP_LABEL[op],
        String(c),
        spread(
          lib.map((s) => s.p50),
          fmtLat,
        ),
        spread(
          srv.map((s) => s.p50),
          fmtLat,
        ),
        fmtAdded(srvP50 - libP50),
        `${fmtLat(med(lib.map((s) => s.p99)))} / ${fmtLat(med(srv.map((s) => s.p99)))}`,
        spread(
          lib.map((s) => s.rate),
          fmtRate,
        ),
        spread(
          srv.map((s) => s.rate),
          fmtRate,
        ),
        fmtRatio(med(srv.map((s) => s.rate)) / med(lib.map((s) => s.rate))),
        `${fmtCpu(lib.map((s) => s.cpuUs))} / ${fmtCpu(srv.map((s) => s.cpuUs))} + ${fmtCpu(srv.map((s) => s.clientCpuUs ?? 0))}`,
        errors > 0 ? `${fmtInt(errors)} errors` : '',
      ]);
    }
  }
  return {
    title: `${META_LABEL[m.kind]}: library in-process vs server over HTTP — medians of the rounds (min–max); latencies in ms`,
    columns: [
      'Operation',
      'Clients',
      'Library p50',
      'Server p50',
      'Added p50',
      'p99 library / server',
      'Library ops/s',
      'Server ops/s',
      'Server ÷ library ops/s',
      'CPU µs/op: library / server + load generator',
      'Errors',
    ],
    rows,
  };
}

function diagTable(m: Measured): Table {
  const lib = (c: number): Sample[] => m.samples.get(`get:${c}:library`) ?? [];
  const row = (label: string, c: number, xs: Sample[], libP50?: number): string[] => [
    label,
    String(c),
    spread(
      xs.map((s) => s.p50),
      fmtLat,
    ),
    libP50 === undefined ? '' : fmtAdded(med(xs.map((s) => s.p50)) - libP50),
    spread(
      xs.map((s) => s.rate),
      fmtRate,
    ),
    libP50 === undefined
      ? `(${fmtCpu(xs.map((s) => s.cpuUs))})`
      : `${fmtCpu(xs.map((s) => s.cpuUs))} + ${fmtCpu(xs.map((s) => s.clientCpuUs ?? 0))}`,
  ];
  const rows: string[][] = [];
  for (const c of [1, 16]) {
    const libP50 = med(lib(c).map((s) => s.p50));
    rows.push(row('library in-process (main table)', c, lib(c)));
    for (const d of m.diag.filter((x) => x.clients === c))
      rows.push(row(d.label, c, d.samples, libP50));
  }
  return {
    title: `${META_LABEL[m.kind]}: where a small-object GET's time goes — the server with one part taken out at a time (median of the rounds, min–max)`,
    columns: [
      'Variant',
      'Clients',
      'p50 ms',
      'Added p50 over the library',
      'GETs/s',
      'CPU µs/GET: server (library) + load generator',
    ],
    rows,
  };
}

function targetsOf(m: Measured): TargetCheck[] {
  const backend = META_LABEL[m.kind];
  const checks: TargetCheck[] = [];
  for (const op of READS) {
    const lib = med((m.samples.get(`${op}:1:library`) ?? []).map((s) => s.p50));
    const srv = med((m.samples.get(`${op}:1:server`) ?? []).map((s) => s.p50));
    const added = srv - lib;
    checks.push({
      target: `${OP_LABEL[op]}: ≤ 2 ms p50 added over the library (1 client)`,
      backend,
      measured: `${fmtMs(srv)} vs ${fmtMs(lib)}: +${added.toFixed(2)} ms`,
      pass: added <= 2,
    });
  }
  const best = Math.max(
    ...CLIENTS.map((c) => med((m.samples.get(`get:${c}:server`) ?? []).map((s) => s.rate))),
  );
  checks.push({
    target: '≥ 2,000 small-object GETs/s on 2 cores (best of 1, 16, 64 clients)',
    backend,
    measured: `${fmtRate(best)}/s`,
    pass: best >= 2000,
  });
  return checks;
}

export const serverBench: Benchmark = {
  name: 'server',
  description:
    'sluice serve vs the library in-process: reads, branch create, commit at 1/16/64 clients',
  async run(env) {
    const plan: Plan = env.quick
      ? { rounds: 1, seconds: 1, diagRounds: 1 }
      : { rounds: 5, seconds: 2, diagRounds: 3 };
    const measured: Measured[] = [];
    for (const kind of env.metas) measured.push(await measureBackend(env, kind, plan));
    const auth = measured[0]?.auth ?? 'standin';
    return {
      name: 'server',
      title: 'The server against the library in-process',
      summary: `Small-object GET, stat, a list of ${fmtInt(LIST_SIZE)} entries, branch create and a one-change commit at 1, 16 and 64 concurrent clients: through the server — autocannon (keep-alive connections, one request in flight each) against a server listening on 127.0.0.1 in a second process, so the load generator does not share its event loop — and through the library in-process, a pool of as many workers on one handle. Each measurement runs ${plan.seconds} s; every response's latency is recorded (a commit's is its upload's plus its commit's).`,
      setup: [
        `Rounds: ${plan.rounds}; each round runs every operation at every concurrency on both sides, alternating which goes first; one warm-up second per operation and side before`,
        `Server: bench/server-child.ts — buildServer over a RepositoryHost, as \`sluice serve\` builds it, the request log at info to stdout (/dev/null); auth: ${auth === 'identities' ? 'the real Identities over the repository database (bootstrapped admin, then a Developers user and its access key, HTTP Basic)' : 'an in-memory stand-in for the identity layer (one Developers user, its key compared in memory, subject built without a database) — the real Identities were not in this checkout'}`,
        `Fixture: one ${fmtInt(SMALL_BYTES)}-byte JSON object, ${fmtInt(LIST_SIZE)} small CSV files under ${LIST_PREFIX}, committed on main; branches are created from main (srv-N / lib-N); a commit uploads one file to a branch of the client's own (one per client: commit-srv-N / commit-lib-N, as ingestors write their own branches) and commits it`,
        'Library: the same calls on the handle that built the fixture — getObject, stat, list (drained), createBranch, putObject + commit',
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
        'The load generator (autocannon, in the benchmark process) and the server share the machine’s cores: on 2 cores the figures are what one box serving itself gets',
      ],
      tables: measured.flatMap((m) => [mainTable(m), diagTable(m)]),
      targets: measured.flatMap(targetsOf),
      notes: [],
    };
  },
};
