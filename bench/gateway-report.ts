// The gateway benchmark's figures as tables and target checks (gateway.ts measures them): MB/s of
// the big transfers per side with the ratios to the floor and to s3rver, the listing against the
// library, the sync against s3rver; where a side could not run, the error it answered.
import type { BenchReport, Table, TargetCheck } from './report.js';
import { type BigRepo, describeBackend, fmtInt, fmtMs, fmtRatio, stats } from './support.js';

export type Part = 'transfer' | 'list' | 'sync';

export interface Plan {
  objectBytes: number;
  transferRounds: number;
  listSize: number;
  listRounds: number;
  syncFiles: number;
  syncRounds: number;
  parts: Set<Part>;
}

export type TransferOp = 'get' | 'put';
export type TransferSide = 'floor' | 'library' | 'gateway' | 'gateway-sdk-defaults' | 's3rver';
export const transferKey = (op: TransferOp, side: TransferSide): string => `${op}:${side}`;

export interface TransferSample {
  ms: number;
  bytes: number;
  /** The bench process's CPU time during the transfer (the client; the floor's whole work). */
  clientCpuMs: number;
  /** The server child's CPU time during the transfer (gateway sides only). */
  serverCpuMs?: number;
}

export interface ListSample {
  ms: number;
  pages: number;
  /** The bench process's CPU time: the whole library listing, or the client's share. */
  clientCpuMs: number;
  /** The server child's CPU time (gateway only). */
  serverCpuMs?: number;
}

export const LIST_SIDES = ['library', 'gateway', 'gateway-lean'] as const;
export type ListSide = (typeof LIST_SIDES)[number];

export interface SyncSample {
  ms: number;
  /** The server child's CPU time (gateway only). */
  serverCpuMs?: number;
}

export interface GatewayMeasured {
  transfers: Map<string, TransferSample[]>;
  list: Record<ListSide, ListSample[]>;
  sync: { gateway: SyncSample[]; s3rver: SyncSample[] };
  syncBytes: number;
  /** What failed, by `op:side` (`list:gateway`, `sync:s3rver`, …): the side is not measured. */
  errors: Map<string, string>;
}

const med = (xs: number[]): number => (xs.length ? stats(xs).median : Number.NaN);
const mbps = (s: TransferSample): number => s.bytes / s.ms / 1e3;
const fmtMbps = (x: number): string => (Number.isNaN(x) ? '—' : fmtInt(Math.round(x)));
const fmtPct = (x: number): string => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(0)} %`);
const ratioOr = (x: number): string => (Number.isNaN(x) ? '—' : fmtRatio(x));

/** Median (min–max), or the one value. */
function spread(xs: number[], fmt: (x: number) => string): string {
  if (xs.length === 0) return '—';
  if (xs.length === 1) return fmt(xs[0] as number);
  return `${fmt(med(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

const SIDE_LABEL: Record<TransferSide, string> = {
  floor: 'floor: ObjectStore put / getStream, in-process',
  library: 'library: repo.openObject (verified read), in-process',
  gateway: 'gateway (S3Client, checksums when required)',
  'gateway-sdk-defaults': 'gateway (S3Client, SDK default checksums)',
  s3rver: 's3rver (S3Client, checksums when required)',
};
const SIDES: TransferSide[] = ['floor', 'library', 'gateway', 'gateway-sdk-defaults', 's3rver'];

function medianRate(m: GatewayMeasured, op: TransferOp, side: TransferSide): number {
  return med((m.transfers.get(transferKey(op, side)) ?? []).map(mbps));
}

function transferTable(plan: Plan, m: GatewayMeasured): Table {
  const rows: string[][] = [];
  const perGiB = (ms: number[], bytes: number): string =>
    ms.length ? `${((med(ms) / 1000) * (1024 ** 3 / bytes)).toFixed(2)}` : '—';
  for (const op of ['get', 'put'] as const) {
    const floor = medianRate(m, op, 'floor');
    const s3rver = medianRate(m, op, 's3rver');
    for (const side of SIDES) {
      if (side === 'library' && op === 'put') continue;
      const samples = m.transfers.get(transferKey(op, side)) ?? [];
      const error = m.errors.get(transferKey(op, side));
      const rate = medianRate(m, op, side);
      rows.push([
        op.toUpperCase(),
        SIDE_LABEL[side],
        spread(samples.map(mbps), fmtMbps),
        spread(
          samples.map((s) => s.ms),
          fmtMs,
        ),
        side === 'floor' ? '' : fmtPct(rate / floor),
        side === 's3rver' ? '' : ratioOr(rate / s3rver),
        perGiB(
          samples.flatMap((s) => (s.serverCpuMs === undefined ? [] : [s.serverCpuMs])),
          plan.objectBytes,
        ),
        perGiB(
          samples.map((s) => s.clientCpuMs),
          plan.objectBytes,
        ),
        error ? `failed: ${error}` : '',
      ]);
    }
  }
  return {
    title: `One ${fmtInt(plan.objectBytes / 2 ** 20)} MiB object: throughput in MB/s (10^6 bytes/s), median of ${plan.transferRounds} round(s) (min–max)`,
    columns: [
      'Op',
      'Side',
      'MB/s',
      'Time',
      '÷ floor',
      '÷ s3rver',
      'Server CPU s/GiB',
      'Bench process CPU s/GiB',
      'Errors',
    ],
    rows,
  };
}

const cpu = (xs: number[]): string => {
  const x = med(xs);
  return Number.isNaN(x) ? '—' : fmtInt(Math.round(x));
};

const LIST_LABEL: Record<ListSide, string> = {
  library: 'library: repo.list over the commit, drained, in-process',
  gateway: 'gateway: S3Client ListObjectsV2Command, 1,000 a page',
  'gateway-lean': 'gateway: signed HTTP requests, pages searched for keys and token (no SDK parse)',
};

function listTable(plan: Plan, m: GatewayMeasured): Table {
  const lib = med(m.list.library.map((s) => s.ms));
  const rows = LIST_SIDES.map((side) => {
    const xs = m.list[side];
    const ms = xs.map((s) => s.ms);
    const pages = xs[0]?.pages ?? 0;
    const e = m.errors.get(`list:${side}`);
    return [
      LIST_LABEL[side],
      spread(ms, fmtMs),
      pages ? fmtInt(pages) : '',
      pages ? (med(ms) / pages).toFixed(1) : '',
      side === 'library' ? '' : ratioOr(med(ms) / lib),
      side === 'library' ? '' : cpu(xs.map((s) => s.serverCpuMs ?? Number.NaN)),
      cpu(xs.map((s) => s.clientCpuMs)),
      e ? `failed: ${e}` : '',
    ];
  });
  return {
    title: `Listing ${fmtInt(plan.listSize)} keys: median of ${plan.listRounds} round(s) (min–max)`,
    columns: [
      'Side',
      'Time',
      'Pages',
      'ms per page',
      '÷ library',
      'Server CPU ms',
      'Bench process CPU ms',
      'Errors',
    ],
    rows,
  };
}

function syncTable(plan: Plan, m: GatewayMeasured): Table {
  const rows = (['gateway', 's3rver'] as const).map((side) => {
    const ms = m.sync[side].map((s) => s.ms);
    const e = m.errors.get(`sync:${side}`);
    return [
      side === 'gateway' ? 'gateway (to a branch, staged)' : 's3rver',
      spread(ms, fmtMs),
      ms.length ? fmtInt(Math.round(plan.syncFiles / (med(ms) / 1000))) : '—',
      side === 'gateway' ? cpu(m.sync.gateway.map((s) => s.serverCpuMs ?? Number.NaN)) : '',
      e ? `failed: ${e}` : '',
    ];
  });
  const ratio = med(m.sync.gateway.map((s) => s.ms)) / med(m.sync.s3rver.map((s) => s.ms));
  return {
    title: `\`aws s3 sync\` of ${fmtInt(plan.syncFiles)} small files (${fmtInt(m.syncBytes)} bytes) to an empty prefix: median of ${plan.syncRounds} round(s) (min–max); gateway time ÷ s3rver time ${ratioOr(ratio)}`,
    columns: ['Destination', 'Time', 'Files/s', 'Server CPU ms', 'Errors'],
    rows,
  };
}

function targetsOf(plan: Plan, m: GatewayMeasured): TargetCheck[] {
  const backend = 'SQLite';
  const checks: TargetCheck[] = [];
  const miss = (side: string): string => `not measured (${m.errors.get(side) ?? 'not run'})`;
  if (plan.parts.has('transfer')) {
    for (const [op, share] of [
      ['get', 0.7],
      ['put', 0.5],
    ] as const) {
      const gw = medianRate(m, op, 'gateway');
      const floor = medianRate(m, op, 'floor');
      const s3 = medianRate(m, op, 's3rver');
      const upper = op.toUpperCase();
      checks.push({
        target: `${upper} of ${fmtInt(plan.objectBytes / 2 ** 20)} MiB: ≥ ${share * 100} % of the floor's throughput`,
        backend,
        measured: Number.isNaN(gw)
          ? miss(transferKey(op, 'gateway'))
          : `${fmtMbps(gw)} vs ${fmtMbps(floor)} MB/s: ${fmtPct(gw / floor)}`,
        pass: gw / floor >= share,
      });
      checks.push({
        target: `${upper} of ${fmtInt(plan.objectBytes / 2 ** 20)} MiB: ahead of s3rver`,
        backend,
        measured: Number.isNaN(gw)
          ? miss(transferKey(op, 'gateway'))
          : `${fmtMbps(gw)} vs ${fmtMbps(s3)} MB/s: ${ratioOr(gw / s3)}`,
        pass: gw > s3,
      });
    }
  }
  if (plan.parts.has('list')) {
    const lib = med(m.list.library.map((s) => s.ms));
    for (const side of ['gateway', 'gateway-lean'] as const) {
      const gw = med(m.list[side].map((s) => s.ms));
      checks.push({
        target: `ListObjectsV2 of ${fmtInt(plan.listSize)} keys: ≤ 2× listing them through the library (${side === 'gateway' ? 'S3Client, its XML parse included' : 'lean client: the gateway and HTTP only'})`,
        backend,
        measured: Number.isNaN(gw)
          ? miss(`list:${side}`)
          : `${fmtMs(gw)} vs ${fmtMs(lib)}: ${ratioOr(gw / lib)}`,
        pass: gw / lib <= 2,
      });
    }
  }
  if (plan.parts.has('sync')) {
    const gw = med(m.sync.gateway.map((s) => s.ms));
    const s3 = med(m.sync.s3rver.map((s) => s.ms));
    checks.push({
      target: `aws s3 sync of ${fmtInt(plan.syncFiles)} small files: ahead of s3rver`,
      backend,
      measured: Number.isNaN(gw) ? miss('sync:gateway') : `${fmtMs(gw)} vs ${fmtMs(s3)}`,
      pass: gw < s3,
    });
  }
  return checks;
}

export function gatewayReport(plan: Plan, m: GatewayMeasured, big: BigRepo): BenchReport {
  const mib = fmtInt(plan.objectBytes / 2 ** 20);
  const tables: Table[] = [];
  if (plan.parts.has('transfer')) tables.push(transferTable(plan, m));
  if (plan.parts.has('list')) tables.push(listTable(plan, m));
  if (plan.parts.has('sync')) tables.push(syncTable(plan, m));
  return {
    name: 'gateway',
    title: 'The S3 gateway against the object store, the library and s3rver',
    summary: `A ${mib} MiB GET and PUT through the gateway (AWS SDK for JavaScript v3 S3Client, path style, a stream body of known length; a GET drains the stream) against the same bytes written to and read from the repository's ObjectStore in-process (the floor) and against s3rver; ListObjectsV2 of ${fmtInt(plan.listSize)} keys (1,000 a page, following continuation tokens) against repo.list over the same commit; \`aws s3 sync\` of ${fmtInt(plan.syncFiles)} small files to a branch against the same sync to s3rver. The server runs in a second process (bench/server-child.ts, as \`sluice serve\` builds it, request log at info to /dev/null), so client and server do not share an event loop; s3rver runs in a process of its own too.`,
    setup: [
      `Rounds: ${plan.transferRounds} for the transfers (after one warm-up GET, whose bytes are hashed and checked, and one warm-up PUT per side), ${plan.listRounds} for the listing (after one warm-up each), ${plan.syncRounds} for the sync; the sides take turns going first`,
      `Bytes: deterministic noise (incompressible), a different object for every PUT so no content-addressed store can skip a write; every PUT is checked afterwards (the gateway's staged entry by size and SHA-256, s3rver and the floor by size) and then deleted; \`sync\` is run before each transfer so one write's dirty pages do not land on the next measurement`,
      "Floor: `store.put(key, stream, {size})` (temp file, fdatasync, rename) and `store.getStream(key)` of the very file the gateway's GET serves, on the repository's local ObjectStore; in the benchmark process, no HTTP",
      'Gateway: the repository is the bucket, the first key segment the ref: GETs read a committed object on a branch, PUTs stage on another branch; auth is the server benchmark’s in-memory stand-in for the identity layer (one key, SigV4 checked by the gateway)',
      's3rver 3 (test/support/s3rver-child.ts) stores each object as a plain file without fsync; it does not accept aws-chunked bodies, so the compared clients send checksums only when an operation requires one (`requestChecksumCalculation: WHEN_REQUIRED`) — the SDK default (aws-chunked with a CRC32 trailer) is measured on the gateway as an extra row',
      `Listing: main of a ${fmtInt(big.size)}-entry repository built as the metadata benchmarks build theirs (${fmtInt(big.blobs.length)} shared blobs, meta.stage, one commit); keys like \`main/${big.layout.pathAt(0)}\``,
      'Sync: /usr/bin/aws (aws-cli 2.9) with a private HOME and config (path style, region us-east-1), `aws s3 sync DIR s3://BUCKET/PREFIX --endpoint-url … --no-progress --only-show-errors` to an empty prefix (gateway: a branch; the staged files are counted and then reset); 100 files per folder, 200–4,000 bytes each; the CLI’s start-up is in both times',
      `SQLite: ${describeBackend('sqlite')}`,
      'The machine’s 2 cores are shared by the client (the benchmark process, or the AWS CLI) and the server',
    ],
    tables,
    targets: targetsOf(plan, m),
    notes: [],
  };
}
