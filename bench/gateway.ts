// gateway: what the S3 gateway (issue 16) costs against what it stands on and against a peer.
// (1) GET and PUT of a 1 GiB object through the gateway (AWS SDK v3 S3Client over 127.0.0.1,
// the server in a second process), against the floor — the same bytes straight into and out of
// the repository's ObjectStore, in-process — and against s3rver (same client, same bytes).
// (2) ListObjectsV2 of 100,000 keys, 1,000 a page, against repo.list over the same commit.
// (3) `aws s3 sync` of 10,000 small files to a branch, against the same sync to s3rver.
// Rounds interleave the sides (alternating who goes first); medians with min–max.
// Diagnostics (not recorded, with --quick): GATEWAY_BENCH_PARTS=transfer,list,sync runs only
// those parts; GATEWAY_BENCH_MIB=N sets the object size, GATEWAY_BENCH_LIST=N the listed keys (and
// 3 rounds); SLUICE_BENCH_CPU_PROF=DIR runs the
// server child under `node --cpu-prof` and leaves its profile in DIR.
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { dataKey } from '../src/core/layout.js';
import type { Repository } from '../src/core/repository.js';
import type { KillableS3Server } from '../test/support/s3-server-process.js';
import {
  type GatewayMeasured,
  gatewayReport,
  LIST_SIDES,
  type ListSample,
  type ListSide,
  type Part,
  type Plan,
  type SyncSample,
  type TransferOp,
  type TransferSample,
  type TransferSide,
  transferKey,
} from './gateway-report.js';
import {
  awsEnv,
  awsSync,
  childCpuMs,
  drain,
  type GatewayChild,
  leanList,
  objectDigest,
  objectStream,
  s3Client,
  startGateway,
  startS3rver,
  stopGateway,
  writeSmallFiles,
} from './gateway-support.js';
import { type BenchEnv, type Benchmark, type BigRepo, log, now, syncDisks } from './support.js';

const S3RVER_BUCKET = 'bench';
const READ_BRANCH = 'gib-read';
const WRITE_BRANCH = 'gib-put';
const SYNC_BRANCH = 'sync';
const GIB = 1024 ** 3;

function planOf(env: BenchEnv): Plan {
  const parts = (process.env.GATEWAY_BENCH_PARTS ?? 'transfer,list,sync').split(',') as Part[];
  const mib = Number(process.env.GATEWAY_BENCH_MIB ?? 64);
  if (!env.quick) {
    if (
      process.env.GATEWAY_BENCH_PARTS ||
      process.env.GATEWAY_BENCH_MIB ||
      process.env.GATEWAY_BENCH_LIST
    )
      throw new Error('GATEWAY_BENCH_* settings are for --quick runs only');
    return {
      objectBytes: GIB,
      transferRounds: 3,
      listSize: 100_000,
      listRounds: 5,
      syncFiles: 10_000,
      syncRounds: 3,
      parts: new Set(parts),
    };
  }
  return {
    objectBytes: mib * 1024 ** 2,
    transferRounds: 1,
    listSize: Number(process.env.GATEWAY_BENCH_LIST ?? 10_000),
    listRounds: process.env.GATEWAY_BENCH_LIST ? 3 : 1,
    syncFiles: 1_000,
    syncRounds: 1,
    parts: new Set(parts),
  };
}

/** Where each side keeps the bytes: the gateway's bucket is the repository. */
interface Targets {
  repo: Repository;
  bucket: string;
  gateway: GatewayChild;
  gw: S3Client;
  /** The gateway with the SDK's default checksums (aws-chunked bodies with a CRC32 trailer). */
  gwDefaults: S3Client;
  s3rver: KillableS3Server;
  s3: S3Client;
}

const message = (err: unknown): string => {
  const e = err as { name?: string; Code?: string; message?: string };
  const text = (e.message ?? String(err)).trim().replaceAll(/\s+/g, ' ');
  return `${e.Code ?? e.name ?? 'Error'}: ${text.slice(0, 240)}`;
};

// ---- (1) GET and PUT of one big object ------------------------------------------------------

interface GetFixture {
  /** The floor reads the very file the gateway serves. */
  storeKey: string;
  digest: string;
}

async function buildGetFixture(t: Targets, size: number): Promise<GetFixture> {
  const seed = 1;
  log(`  GET fixture: one ${size / 2 ** 20} MiB object on ${READ_BRANCH} and in s3rver`);
  const digest = objectDigest(size, seed);
  await t.repo.createBranch(READ_BRANCH);
  await t.repo.createBranch(WRITE_BRANCH);
  const entry = await t.repo.putObject(READ_BRANCH, 'object.bin', {
    size,
    open: () => objectStream(size, seed),
  });
  await t.repo.commit(READ_BRANCH, { message: 'gateway bench: the GET object' });
  if (entry.physical !== undefined) throw new Error('the GET object went into a pack');
  await t.s3.send(
    new PutObjectCommand({
      Bucket: S3RVER_BUCKET,
      Key: 'object.bin',
      Body: objectStream(size, seed),
      ContentLength: size,
    }),
  );
  return { storeKey: dataKey(entry.address), digest };
}

/** One GET of the fixture by `side`; with `verify`, the bytes are hashed and checked. */
async function getOnce(
  t: Targets,
  side: TransferSide,
  fx: GetFixture,
  size: number,
  verify: boolean,
): Promise<{ bytes: number; sha256?: string }> {
  if (side === 'floor') return drain(await t.repo.store.getStream(fx.storeKey), { hash: verify });
  if (side === 'library') {
    const { stream } = await t.repo.openObject(READ_BRANCH, 'object.bin');
    return drain(stream, { hash: verify });
  }
  const [client, bucket, key] =
    side === 's3rver'
      ? [t.s3, S3RVER_BUCKET, 'object.bin']
      : [side === 'gateway' ? t.gw : t.gwDefaults, t.bucket, `${READ_BRANCH}/object.bin`];
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const got = await drain(out.Body as AsyncIterable<Uint8Array>, { hash: verify });
  if (got.bytes !== size) throw new Error(`${side} GET returned ${got.bytes} bytes, not ${size}`);
  return got;
}

/** One PUT of object `seed` by `side`, checked by size (and content, where the store knows it). */
async function putOnce(
  t: Targets,
  side: TransferSide,
  size: number,
  seed: number,
): Promise<() => Promise<void>> {
  const body = objectStream(size, seed);
  if (side === 'floor') {
    const key = `bench/floor-put-${seed}`;
    await t.repo.store.put(key, body, { size });
    return async () => {
      const info = await t.repo.store.head(key);
      if (info?.size !== size) throw new Error(`floor PUT stored ${info?.size} bytes`);
      await t.repo.store.delete(key);
    };
  }
  if (side === 's3rver') {
    const key = `put-${seed}.bin`;
    await t.s3.send(
      new PutObjectCommand({ Bucket: S3RVER_BUCKET, Key: key, Body: body, ContentLength: size }),
    );
    return async () => {
      const head = await t.s3.send(new HeadObjectCommand({ Bucket: S3RVER_BUCKET, Key: key }));
      if (head.ContentLength !== size) throw new Error(`s3rver stored ${head.ContentLength} bytes`);
      await t.s3.send(new DeleteObjectCommand({ Bucket: S3RVER_BUCKET, Key: key }));
    };
  }
  const client = side === 'gateway' ? t.gw : t.gwDefaults;
  const path = `put-${seed}.bin`;
  await client.send(
    new PutObjectCommand({
      Bucket: t.bucket,
      Key: `${WRITE_BRANCH}/${path}`,
      Body: body,
      ContentLength: size,
    }),
  );
  return async () => {
    // The staged entry holds the bytes' SHA-256: the content is checked without reading it.
    const entry = await t.repo.stat(WRITE_BRANCH, path);
    if (entry.size !== size || entry.checksum !== objectDigest(size, seed))
      throw new Error(`gateway PUT staged ${entry.size} bytes with another content`);
    await t.repo.resetStaging(WRITE_BRANCH);
    if (entry.physical === undefined) await t.repo.store.delete(dataKey(entry.address));
  };
}

async function timedTransfer(
  t: Targets,
  side: TransferSide,
  fn: () => Promise<unknown>,
  bytes: number,
): Promise<TransferSample> {
  syncDisks(); // the previous PUT's dirty pages do not compete with this transfer
  const onServer = side === 'gateway' || side === 'gateway-sdk-defaults';
  const cpu0 = onServer ? await childCpuMs(t.gateway) : 0;
  const client0 = process.cpuUsage();
  const t0 = now();
  await fn();
  const ms = now() - t0;
  const client = process.cpuUsage(client0);
  const serverCpuMs = onServer ? (await childCpuMs(t.gateway)) - cpu0 : undefined;
  return { ms, bytes, clientCpuMs: (client.user + client.system) / 1000, serverCpuMs };
}

const TRANSFER_SIDES: TransferSide[] = [
  'floor',
  'library',
  'gateway',
  'gateway-sdk-defaults',
  's3rver',
];
/** The library's verified read shows what the gateway's GET costs before HTTP; no PUT row. */
const sidesOf = (op: TransferOp): TransferSide[] =>
  op === 'get' ? TRANSFER_SIDES : TRANSFER_SIDES.filter((s) => s !== 'library');

async function measureTransfers(t: Targets, plan: Plan, m: GatewayMeasured): Promise<void> {
  const size = plan.objectBytes;
  const fx = await buildGetFixture(t, size);
  const failed = (op: TransferOp, side: TransferSide): boolean =>
    m.errors.has(transferKey(op, side));
  const attempt = async (op: TransferOp, side: TransferSide, fn: () => Promise<void>) => {
    if (failed(op, side)) return;
    try {
      await fn();
    } catch (err) {
      m.errors.set(transferKey(op, side), message(err));
      log(`  ${op} ${side} failed: ${message(err)}`);
    }
  };
  log('  warm-up: one GET (bytes checked) and one PUT per side');
  for (const side of TRANSFER_SIDES) {
    await attempt('get', side, async () => {
      const got = await getOnce(t, side, fx, size, true);
      if (got.sha256 !== fx.digest) throw new Error(`${side} GET read other bytes`);
    });
    if (side === 'library') continue;
    await attempt('put', side, async () => {
      const check = await putOnce(t, side, size, 900 + TRANSFER_SIDES.indexOf(side));
      await check();
    });
  }
  for (let r = 0; r < plan.transferRounds; r++) {
    for (const op of ['get', 'put'] as const) {
      const order = r % 2 ? [...sidesOf(op)].reverse() : sidesOf(op);
      for (const side of order) {
        await attempt(op, side, async () => {
          let check: (() => Promise<void>) | undefined;
          const seed = 1000 + r * 10 + TRANSFER_SIDES.indexOf(side);
          const s = await timedTransfer(
            t,
            side,
            async () => {
              if (op === 'get') await getOnce(t, side, fx, size, false);
              else check = await putOnce(t, side, size, seed);
            },
            size,
          );
          await check?.();
          m.transfers.set(transferKey(op, side), [
            ...(m.transfers.get(transferKey(op, side)) ?? []),
            s,
          ]);
        });
      }
    }
    const mbps = (op: TransferOp, side: TransferSide): string => {
      const s = m.transfers.get(transferKey(op, side))?.at(-1);
      return s ? `${((s.bytes / s.ms) * 1e3 * 1e-6).toFixed(0)}` : '—';
    };
    log(
      `  round ${r + 1}/${plan.transferRounds}: MB/s GET floor ${mbps('get', 'floor')} gateway ${mbps('get', 'gateway')} s3rver ${mbps('get', 's3rver')}; PUT floor ${mbps('put', 'floor')} gateway ${mbps('put', 'gateway')} s3rver ${mbps('put', 's3rver')}`,
    );
  }
}

// ---- (2) listing ----------------------------------------------------------------------------

async function listLibrary(repo: Repository): Promise<number> {
  let n = 0;
  for await (const _ of repo.list('main')) n++;
  return n;
}

async function listGateway(t: Targets): Promise<{ keys: number; pages: number }> {
  let keys = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await t.gw.send(
      new ListObjectsV2Command({
        Bucket: t.bucket,
        Prefix: 'main/',
        MaxKeys: 1000,
        ContinuationToken: token,
      }),
    );
    keys += page.Contents?.length ?? 0;
    pages++;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

async function measureListing(t: Targets, plan: Plan, m: GatewayMeasured): Promise<void> {
  const sides = LIST_SIDES;
  const one = async (side: ListSide): Promise<ListSample> => {
    const onServer = side !== 'library';
    const cpu0 = onServer ? await childCpuMs(t.gateway) : 0;
    const client0 = process.cpuUsage();
    const t0 = now();
    const r =
      side === 'library'
        ? { keys: await listLibrary(t.repo), pages: 0 }
        : side === 'gateway'
          ? await listGateway(t)
          : await leanList(t.gateway, t.bucket, 'main/');
    const ms = now() - t0;
    const client = process.cpuUsage(client0);
    const serverCpuMs = onServer ? (await childCpuMs(t.gateway)) - cpu0 : undefined;
    if (r.keys !== plan.listSize)
      throw new Error(`${side} listed ${r.keys} keys, not ${plan.listSize}`);
    return { ms, pages: r.pages, clientCpuMs: (client.user + client.system) / 1000, serverCpuMs };
  };
  for (let r = -1; r < plan.listRounds; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      if (m.errors.has(`list:${side}`)) continue;
      try {
        const s = await one(side);
        if (r >= 0) m.list[side].push(s);
      } catch (err) {
        m.errors.set(`list:${side}`, message(err));
        log(`  list ${side} failed: ${message(err)}`);
      }
    }
    if (r >= 0)
      log(
        `  round ${r + 1}/${plan.listRounds}: ${LIST_SIDES.map((side) => {
          const x = m.list[side].at(-1);
          return `${side} ${x ? `${x.ms.toFixed(0)} ms (CPU ${x.serverCpuMs === undefined ? '' : `server ${x.serverCpuMs.toFixed(0)} + `}${x.clientCpuMs.toFixed(0)})` : '—'}`;
        }).join(', ')}`,
      );
  }
}

// ---- (3) aws s3 sync ------------------------------------------------------------------------

async function countStaged(repo: Repository, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of repo.status(SYNC_BRANCH, { prefix })) n++;
  return n;
}

async function countS3rver(client: S3Client, prefix: string): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: S3RVER_BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    n += page.Contents?.length ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return n;
}

async function measureSync(
  env: BenchEnv,
  t: Targets,
  plan: Plan,
  m: GatewayMeasured,
): Promise<void> {
  const work = env.temp.make('gateway-sync');
  const dir = join(work, 'files');
  m.syncBytes = writeSmallFiles(dir, plan.syncFiles);
  await t.repo.createBranch(SYNC_BRANCH);
  const gwEnv = awsEnv(join(work, 'home-gateway'), t.gateway);
  const s3Env = awsEnv(join(work, 'home-s3rver'), t.s3rver);
  const sides = ['gateway', 's3rver'] as const;
  for (let r = 0; r < plan.syncRounds; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      if (m.errors.has(`sync:${side}`)) continue;
      const prefix = side === 'gateway' ? `r${r}/` : `sync-r${r}/`;
      try {
        syncDisks();
        const cpu0 = side === 'gateway' ? await childCpuMs(t.gateway) : 0;
        const t0 = now();
        if (side === 'gateway')
          await awsSync(
            dir,
            `s3://${t.bucket}/${SYNC_BRANCH}/${prefix}`,
            t.gateway.endpoint,
            gwEnv,
          );
        else await awsSync(dir, `s3://${S3RVER_BUCKET}/${prefix}`, t.s3rver.endpoint, s3Env);
        const ms = now() - t0;
        const serverCpuMs = side === 'gateway' ? (await childCpuMs(t.gateway)) - cpu0 : undefined;
        const n =
          side === 'gateway' ? await countStaged(t.repo, prefix) : await countS3rver(t.s3, prefix);
        if (n !== plan.syncFiles) throw new Error(`${side} holds ${n} files after the sync`);
        m.sync[side].push({ ms, serverCpuMs } satisfies SyncSample);
      } catch (err) {
        m.errors.set(`sync:${side}`, message(err));
        log(`  sync ${side} failed: ${message(err)}`);
      }
    }
    await t.repo.resetStaging(SYNC_BRANCH);
    log(
      `  round ${r + 1}/${plan.syncRounds}: gateway ${m.sync.gateway.at(-1)?.ms.toFixed(0) ?? '—'} ms (server CPU ${m.sync.gateway.at(-1)?.serverCpuMs?.toFixed(0) ?? '—'} ms), s3rver ${m.sync.s3rver.at(-1)?.ms.toFixed(0) ?? '—'} ms`,
    );
  }
}

// ---- the run --------------------------------------------------------------------------------

async function withTargets<T>(big: BigRepo, fn: (t: Targets) => Promise<T>): Promise<T> {
  const profileDir = process.env.SLUICE_BENCH_CPU_PROF;
  const gateway = await startGateway(big.dir, profileDir ? { profileDir } : {});
  let s3rver: KillableS3Server | undefined;
  try {
    s3rver = await startS3rver(S3RVER_BUCKET);
    const t: Targets = {
      repo: big.repo,
      bucket: big.repo.name,
      gateway,
      gw: s3Client(gateway),
      gwDefaults: s3Client(gateway, { sdkDefaults: true }),
      s3rver,
      s3: s3Client(s3rver),
    };
    log(`  gateway at ${gateway.endpoint}, s3rver at ${s3rver.endpoint}`);
    try {
      return await fn(t);
    } finally {
      for (const c of [t.gw, t.gwDefaults, t.s3]) c.destroy();
    }
  } finally {
    await s3rver?.stop();
    await stopGateway(gateway);
    if (profileDir) log(`  server CPU profile written to ${profileDir}`);
  }
}

export const gatewayBench: Benchmark = {
  name: 'gateway',
  description:
    'S3 gateway: 1 GiB GET/PUT vs the object store and s3rver, ListObjectsV2 of 100,000 keys, aws s3 sync of 10,000 files',
  backends: ['sqlite'],
  async run(env) {
    const plan = planOf(env);
    // One repository holds everything: main is the listed tree (shared blobs, as the metadata
    // benchmarks build theirs); the big object and the syncs live on branches of their own.
    const big = await env.bigRepo('sqlite', plan.listSize);
    const m: GatewayMeasured = {
      transfers: new Map(),
      list: { library: [], gateway: [], 'gateway-lean': [] },
      sync: { gateway: [], s3rver: [] },
      syncBytes: 0,
      errors: new Map(),
    };
    await withTargets(big, async (t) => {
      if (plan.parts.has('transfer')) {
        log(`== transfers of a ${plan.objectBytes / 2 ** 20} MiB object`);
        await measureTransfers(t, plan, m);
      }
      if (plan.parts.has('list')) {
        log(`== ListObjectsV2 of ${plan.listSize} keys vs repo.list`);
        await measureListing(t, plan, m);
      }
      if (plan.parts.has('sync')) {
        log(`== aws s3 sync of ${plan.syncFiles} files`);
        await measureSync(env, t, plan, m);
      }
    });
    return gatewayReport(plan, m, big);
  },
};
