// boto3 (Debian's python3-boto3, run by /usr/bin/python3) against a gateway started here: listing
// the refs and a branch, upload_file/download_file, a directory up to a branch and back, a 64 MiB
// upload_file in parts (TransferConfig), a ranged get_object, copy_object across branches,
// delete_object — bytes read back are bytes written, and the library commits what boto3 staged.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import {
  boto3,
  type GatewayUnderTest,
  hasClient,
  makeTree,
  randomFile,
  sha256,
  startGateway,
  storedTree,
  treeOf,
} from '../support/gateway-clients.js';

const MiB = 1024 * 1024;

/** Walks a local directory up to `prefix` and a listing of it back down (both in one process). */
const SYNC = `
import os
src, prefix, down = argv
for root, _, files in os.walk(src):
    for f in files:
        p = os.path.join(root, f)
        s3.upload_file(p, "lake", prefix + os.path.relpath(p, src))
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="lake", Prefix=prefix, PaginationConfig={"PageSize": 20})
n = 0
for page in pages:
    for o in page.get("Contents", []):
        rel = o["Key"][len(prefix):]
        os.makedirs(os.path.dirname(os.path.join(down, rel)), exist_ok=True)
        s3.download_file("lake", o["Key"], os.path.join(down, rel))
        n += 1
print(n)
`;

describe.skipIf(!hasClient('boto3'))('boto3 against the gateway', () => {
  let gw: GatewayUnderTest;
  let repo: Repository;
  let dir: string;
  beforeAll(async () => {
    gw = await startGateway();
    repo = await gw.repo();
    dir = join(gw.tmp, 'files');
    mkdirSync(dir);
  });
  afterAll(async () => gw?.close());

  const py = async (script: string, args: string[] = []) => {
    const r = await boto3(gw, script, args);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };

  it('lists the refs at the bucket root and the objects of a branch', async () => {
    const out = await py(`
print(json.dumps([b["Name"] for b in s3.list_buckets()["Buckets"]]))
r = s3.list_objects_v2(Bucket="lake", Delimiter="/")
print(json.dumps(sorted(p["Prefix"] for p in r["CommonPrefixes"])))
r = s3.list_objects_v2(Bucket="lake", Prefix="main/")
print(json.dumps([(o["Key"], o["Size"]) for o in r["Contents"]]))
`);
    const [buckets, refs, objects] = out.split('\n').map((l) => JSON.parse(l));
    expect(buckets).toEqual(['lake']);
    expect(refs).toEqual(
      expect.arrayContaining(['dev/', 'main/', 'production/', 'release/', 'v1/']),
    );
    expect(objects).toEqual([['main/seed/readme.txt', 7]]);
  });

  it('upload_file and download_file: the same bytes', async () => {
    const up = join(dir, 'one.bin');
    const hash = randomFile(up, 70_000);
    const down = join(dir, 'one.down');
    await py(
      `s3.upload_file(argv[0], "lake", "main/py/one.bin"); s3.download_file("lake", "main/py/one.bin", argv[1])`,
      [up, down],
    );
    expect(sha256(readFileSync(down))).toBe(hash);
  });

  it('a directory up to a branch and back down, byte for byte', async () => {
    const src = join(dir, 'tree');
    makeTree(src, 50);
    const down = join(dir, 'tree-down');
    expect(await py(SYNC, [src, 'dev/tree/', down])).toBe('50');
    expect(treeOf(down)).toEqual(treeOf(src));
    expect(await storedTree(repo, 'dev', 'tree/')).toEqual(treeOf(src));
  });

  it('a 64 MiB upload_file in 16 MiB parts, read back whole and by range', async () => {
    const big = join(dir, 'big.bin');
    const hash = randomFile(big, 64 * MiB);
    const down = join(dir, 'big.down');
    const out = await py(
      `
from boto3.s3.transfer import TransferConfig
cfg = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024)
s3.upload_file(argv[0], "lake", "main/big.bin", Config=cfg)
print(s3.head_object(Bucket="lake", Key="main/big.bin")["ETag"])
s3.download_file("lake", "main/big.bin", argv[1])
r = s3.get_object(Bucket="lake", Key="main/big.bin", Range="bytes=5000000-5000999")
sys.stdout.write(r["ContentRange"] + "\\n" + r["Body"].read().hex() + "\\n")
`,
      [big, down],
    );
    const [etag, contentRange, hex] = out.split('\n');
    expect(etag).toMatch(/^"[0-9a-f]{32}-4"$/);
    expect(sha256(readFileSync(down))).toBe(hash);
    expect(contentRange).toBe(`bytes 5000000-5000999/${64 * MiB}`);
    expect(hex).toBe(readFileSync(big).subarray(5_000_000, 5_001_000).toString('hex'));
  }, 120_000);

  it('copy_object across branches, delete_object, then a commit through the library', async () => {
    await py(`
s3.copy_object(Bucket="lake", Key="dev/py/one.bin", CopySource={"Bucket": "lake", "Key": "main/py/one.bin"})
s3.delete_object(Bucket="lake", Key="main/py/one.bin")
`);
    const moved = await repo.stat('dev', 'py/one.bin');
    await expect(repo.stat('main', 'py/one.bin')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
    const commit = await repo.commit('dev', { message: 'from boto3' });
    expect((await repo.stat(commit.id, 'py/one.bin')).address).toBe(moved.address);
    expect(Object.keys(await storedTree(repo, commit.id, 'tree/'))).toHaveLength(50);
  });

  it('a wrong secret is SignatureDoesNotMatch and stages nothing', async () => {
    const r = await boto3(gw, 's3.put_object(Bucket="lake", Key="main/nope.txt", Body=b"x")', [], {
      accessKeyId: gw.key.accessKeyId,
      secretAccessKey: 'wrong-wrong-wrong-wrong-wrong-wrong-wron',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SignatureDoesNotMatch/);
    await expect(repo.stat('main', 'nope.txt')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
  });
});
