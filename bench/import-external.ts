// import-external: zero-copy import (`repo.importExternal`) of 100,000 existing objects — small
// local files made by the bench, and the same number of objects in an s3rver bucket filled on disk
// in s3rver's own layout (filling it through PUTs would take far longer than the import) — into a
// fresh repository, one commit. The target (issue 16): ≤ 10 s, and no byte copied: the object
// store's keys are listed before and after, and the bytes under data/ that appeared are counted.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Repository } from '../src/core/repository.js';
import { openS3Store } from '../src/storage/s3-store.js';
import { letS3rverUseDes, type S3rverConstructor } from '../test/support/s3-server.js';
import { generateTree } from './import.js';
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  describeBackend,
  fmtInt,
  fmtMs,
  log,
  META_LABEL,
  type MetaKind,
  mapConcurrent,
  now,
  pad,
} from './support.js';

const TARGET_MS = 10_000;

interface Measured {
  label: string;
  backend: MetaKind;
  objects: number;
  sourceBytes: number;
  ms: number;
  /** CPU time of this process (user + system) during the import: less sensitive to load. */
  cpuMs: number;
  /** S3 only: a bare ListObjectsV2 walk of the same prefix (what s3rver alone costs). */
  listMs?: number;
  dataKeysAdded: number;
  dataBytesAdded: number;
  storeBytesAdded: number;
  storeKeysAdded: number;
}

async function footprint(repo: Repository): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  for await (const o of repo.store.list('')) keys.set(o.key, o.size);
  return keys;
}

/** Imports `source` into a fresh repository and measures time and what the store gained. */
async function measure(
  env: BenchEnv,
  kind: MetaKind,
  label: string,
  source: string,
  sourceBytes: number,
): Promise<Measured> {
  const handle = await env.createRepo(
    kind,
    `import-ext-${label.startsWith('S3') ? 's3' : 'local'}`,
  );
  const repo = handle.repo;
  const before = await footprint(repo);
  await env.quiesce(handle);
  const listMs = source.startsWith('s3://') ? await bareListing(source) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const r = await repo.importExternal(source, { branch: 'main', prefix: 'lake' });
  const ms = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const after = await footprint(repo);
  const added = [...after].filter(([k]) => !before.has(k));
  const data = added.filter(([k]) => k.startsWith('data/'));
  log(`${label} on ${META_LABEL[kind]}: ${fmtInt(r.objects)} objects in ${fmtMs(ms)}`);
  return {
    label,
    backend: kind,
    objects: r.objects,
    sourceBytes,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(listMs !== undefined ? { listMs } : {}),
    dataKeysAdded: data.length,
    dataBytesAdded: data.reduce((n, [, s]) => n + s, 0),
    storeKeysAdded: added.length,
    storeBytesAdded: added.reduce((n, [, s]) => n + s, 0),
  };
}

/** Lists an S3 prefix through the SDK, doing nothing with the keys: the source's own cost. */
async function bareListing(source: string): Promise<number> {
  const store = await openS3Store(source);
  try {
    const t0 = now();
    let n = 0;
    for await (const _ of store.list('')) n++;
    const ms = now() - t0;
    log(`bare listing of ${source}: ${fmtInt(n)} keys in ${fmtMs(ms)}`);
    return ms;
  } finally {
    await store.close();
  }
}

/**
 * Writes `count` small objects straight into s3rver's directory layout
 * (`<bucket>/<key>._S3rver_object` with its `.md5` and metadata), before s3rver starts.
 */
async function fillS3rverDir(root: string, bucket: string, count: number): Promise<number> {
  const perDir = 1000;
  let bytes = 0;
  for (let d = 0; d < Math.ceil(count / perDir); d++)
    await mkdir(join(root, bucket, 'lake', `dir_${pad(d, 3)}`), { recursive: true });
  const items = Array.from({ length: count }, (_, i) => i);
  await mapConcurrent(items, 32, async (i) => {
    const body = Buffer.from(`id,value\n${i},${'x'.repeat(100 + (i % 300))}\n`);
    bytes += body.length;
    const base = join(
      root,
      bucket,
      'lake',
      `dir_${pad(Math.floor(i / perDir), 3)}`,
      `part_${pad(i, 6)}.csv._S3rver_`,
    );
    await writeFile(`${base}object`, body);
    await writeFile(`${base}object.md5`, createHash('md5').update(body).digest('hex'));
    await writeFile(`${base}metadata.json`, JSON.stringify({ 'content-type': 'text/csv' }));
  });
  return bytes;
}

async function withS3rver<T>(
  root: string,
  bucket: string,
  fn: (endpoint: string) => Promise<T>,
): Promise<T> {
  letS3rverUseDes();
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: root,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const address: AddressInfo = await server.run();
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
  try {
    return await fn(`http://127.0.0.1:${address.port}`);
  } finally {
    for (const k of [
      'AWS_ENDPOINT_URL',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
    ])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    const closed = server.close();
    server.httpServer?.closeAllConnections();
    await closed;
  }
}

const MiB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const importExternalBench: Benchmark = {
  name: 'import-external',
  description: 'zero-copy import of 100,000 existing objects (local files, s3rver)',
  async run(env: BenchEnv): Promise<BenchReport> {
    const count = env.quick ? 5_000 : 100_000;
    const results: Measured[] = [];

    const src = env.temp.make('import-ext-src');
    log(`generating ${fmtInt(count)} local files`);
    const localBytes = await generateTree(src, { files: count, dirs: 100 });
    for (const kind of env.metas)
      results.push(await measure(env, kind, 'Local directory', src, localBytes));

    const s3root = env.temp.make('import-ext-s3rver');
    log(`filling s3rver's directory with ${fmtInt(count)} objects`);
    const s3Bytes = await fillS3rverDir(s3root, 'lake-bench', count);
    await withS3rver(s3root, 'lake-bench', async () => {
      for (const kind of env.metas)
        results.push(
          await measure(env, kind, 'S3 prefix (s3rver)', 's3://lake-bench/lake', s3Bytes),
        );
    });

    const table: Table = {
      title: `Zero-copy import of ${fmtInt(count)} objects and one commit`,
      columns: [
        'Source',
        'Backend',
        'Objects',
        'Source bytes',
        'Time',
        'CPU (user+sys)',
        'Bare listing of the source',
        '÷ 10 s target',
        'Bytes copied (new data/ keys)',
        'Store growth (tree nodes)',
      ],
      rows: results.map((r) => [
        r.label,
        META_LABEL[r.backend],
        fmtInt(r.objects),
        MiB(r.sourceBytes),
        fmtMs(r.ms),
        fmtMs(r.cpuMs),
        r.listMs === undefined ? '' : fmtMs(r.listMs),
        `${(r.ms / TARGET_MS).toFixed(2)}`,
        `${fmtInt(r.dataBytesAdded)} B (${r.dataKeysAdded} keys)`,
        `${MiB(r.storeBytesAdded)} in ${fmtInt(r.storeKeysAdded)} keys`,
      ]),
    };
    const targets: TargetCheck[] = results.map((r) => ({
      target: `import of ${fmtInt(count)} objects ≤ 10 s, no byte copied (${r.label})`,
      backend: META_LABEL[r.backend],
      measured: `${fmtMs(r.ms)}, ${fmtInt(r.dataBytesAdded)} B copied`,
      pass: r.ms <= TARGET_MS && r.dataBytesAdded === 0,
    }));
    return {
      name: 'import-external',
      title: 'import-external (zero-copy)',
      summary:
        '`repo.importExternal(SOURCE, {branch: main, prefix: lake})` into a fresh repository: ' +
        'list the source, stage one external entry per object, one commit. Timed from the call to ' +
        'its return; the store is listed before and after to count what was written.',
      setup: [
        `Local: ${fmtInt(count)} CSV files of 100–400 bytes in 100 directories (made by the bench; the walk stats each file, reads none)`,
        `S3: ${fmtInt(count)} objects of 110–410 bytes in s3rver, written into its on-disk layout before it starts (ListObjectsV2 pages of 1,000 through the AWS SDK)`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
      ],
      tables: [table],
      targets,
      notes: [
        'CPU is the bench process’s own (user + system) during the import; for the S3 source it ' +
          'includes s3rver, which runs in the same process. The bare listing is a ListObjectsV2 ' +
          'walk of the same prefix through the SDK before the import: what the source alone costs.',
        'Store growth is the tree nodes of the commit: an external entry names its URI and ETag or ' +
          'mtime, so for objects this small the nodes are a sizeable fraction of the source — but ' +
          'no object byte is written (no data/ key appears).',
      ],
    };
  },
};
