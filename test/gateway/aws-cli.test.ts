// The AWS CLI (Debian's aws-cli 2.x at /usr/bin/aws) against a gateway started here, as a user
// runs it: ls of the bucket (the refs) and of a branch, cp up and down, sync of a tree up to a
// branch and back, a 64 MiB upload in parts (its default 8 MiB threshold), a ranged get-object,
// a copy across branches, rm — the bytes read back are the bytes written, and a commit through the
// library holds them. Then what must be refused, with S3's codes and nothing staged: a wrong
// secret, writes to a tag, an alias and a protected branch, and operations Sluice does not have.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import {
  aws,
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

describe.skipIf(!hasClient('aws'))('the AWS CLI against the gateway', () => {
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

  const ok = async (args: string[]) => {
    const r = await aws(gw, args);
    expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  it('ls: the repository as a bucket, its refs as prefixes, a branch’s objects', async () => {
    const [buckets, refs, seed] = await Promise.all([
      ok(['s3', 'ls']),
      ok(['s3', 'ls', 's3://lake/']),
      ok(['s3', 'ls', 's3://lake/main/seed/']),
    ]);
    expect(buckets).toMatch(/ lake$/m);
    for (const ref of ['main', 'dev', 'release', 'production', 'v1'])
      expect(refs).toMatch(new RegExp(`PRE ${ref}/$`, 'm'));
    expect(seed).toMatch(/ 7 readme\.txt$/m);
  });

  it('cp up and down: one file, the same bytes', async () => {
    const up = join(dir, 'one.bin');
    const hash = randomFile(up, 100_000);
    await ok(['s3', 'cp', up, 's3://lake/main/cli/one.bin']);
    const down = join(dir, 'one.down');
    await ok(['s3', 'cp', 's3://lake/main/cli/one.bin', down]);
    expect(sha256(readFileSync(down))).toBe(hash);
    expect((await repo.stat('main', 'cli/one.bin')).checksum).toBe(hash);
  });

  it('sync: a nested tree up to a branch and back down, byte for byte', async () => {
    const src = join(dir, 'tree');
    makeTree(src, 50);
    await ok(['s3', 'sync', src, 's3://lake/dev/tree/']);
    const down = join(dir, 'tree-down');
    await ok(['s3', 'sync', 's3://lake/dev/tree/', down]);
    const want = treeOf(src);
    expect(Object.keys(want)).toHaveLength(50);
    expect(treeOf(down)).toEqual(want);
    expect(await storedTree(repo, 'dev', 'tree/')).toEqual(want);
    // A second sync has nothing to send: sizes and times agree.
    expect(await ok(['s3', 'sync', src, 's3://lake/dev/tree/'])).toBe('');
  });

  it('a 64 MiB upload in parts, read back whole and by range', async () => {
    const big = join(dir, 'big.bin');
    const hash = randomFile(big, 64 * MiB);
    await ok(['s3', 'cp', big, 's3://lake/main/big.bin']);
    const down = join(dir, 'big.down');
    const part = join(dir, 'range.bin');
    const [headOut, , range] = await Promise.all([
      ok(['s3api', 'head-object', '--bucket', 'lake', '--key', 'main/big.bin']),
      ok(['s3', 'cp', 's3://lake/main/big.bin', down]),
      ok([
        's3api',
        'get-object',
        '--bucket',
        'lake',
        '--key',
        'main/big.bin',
        '--range',
        'bytes=1000000-1999999',
        part,
      ]),
    ]);
    const head = JSON.parse(headOut) as { ETag: string; ContentLength: number };
    expect(head.ContentLength).toBe(64 * MiB);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-8"$/); // 8 parts of aws-cli's 8 MiB
    expect(sha256(readFileSync(down))).toBe(hash);
    expect(JSON.parse(range).ContentRange).toBe(`bytes 1000000-1999999/${64 * MiB}`);
    expect(readFileSync(part)).toEqual(readFileSync(big).subarray(1_000_000, 2_000_000));
  }, 120_000);

  it('copy across branches, then rm', async () => {
    await ok(['s3', 'cp', 's3://lake/main/cli/one.bin', 's3://lake/dev/cli/one.bin']);
    const main = await repo.stat('main', 'cli/one.bin');
    const dev = await repo.stat('dev', 'cli/one.bin');
    expect(dev.address).toBe(main.address); // zero-copy: the same object
    await ok(['s3', 'rm', 's3://lake/dev/cli/one.bin']);
    // (`aws s3 ls` of an empty prefix exits 1: ask list-objects-v2.)
    const left = JSON.parse(
      (await ok(['s3api', 'list-objects-v2', '--bucket', 'lake', '--prefix', 'dev/cli/'])) || '{}',
    ) as { KeyCount?: number };
    expect(left.KeyCount ?? 0).toBe(0);
    await expect(repo.stat('dev', 'cli/one.bin')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
  });

  it('what the CLI staged is committed through the library', async () => {
    const commit = await repo.commit('main', { message: 'from the aws cli' });
    expect((await repo.stat(commit.id, 'cli/one.bin')).size).toBe(100_000);
    expect((await repo.stat(commit.id, 'big.bin')).size).toBe(64 * MiB);
    const dev = await repo.commit('dev', { message: 'tree' });
    expect(Object.keys(await storedTree(repo, dev.id, 'tree/'))).toHaveLength(50);
  });

  /** Staged changes of every branch (what a refused write must not add to). */
  const staged = async () => {
    const out: string[] = [];
    for (const b of ['main', 'dev', 'release'])
      for await (const c of repo.status(b)) out.push(`${b}:${c.path}`);
    return out.sort();
  };

  it('a wrong secret: SignatureDoesNotMatch, nothing staged', async () => {
    const before = await staged();
    const file = join(dir, 'bad.txt');
    randomFile(file, 10);
    const r = await aws(gw, ['s3', 'cp', file, 's3://lake/main/bad.txt'], {
      accessKeyId: gw.key.accessKeyId,
      secretAccessKey: `${gw.key.secretAccessKey.slice(0, -1)}x`,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SignatureDoesNotMatch/);
    expect(await staged()).toEqual(before);
  });

  it('writes to a tag, an alias and a protected branch: AccessDenied, nothing staged', async () => {
    const before = await staged();
    const file = join(dir, 'x.txt');
    randomFile(file, 10);
    const refs = ['v1', 'production', 'release'];
    const results = await Promise.all(
      refs.map((ref) => aws(gw, ['s3', 'cp', file, `s3://lake/${ref}/x.txt`])),
    );
    results.forEach((r, i) => {
      expect(r.code, refs[i]).not.toBe(0);
      expect(r.stderr, refs[i]).toMatch(/AccessDenied/);
    });
    expect(await staged()).toEqual(before);
  });

  it('tagging, ACLs, versioning: NotImplemented, nothing changed', async () => {
    const before = await staged();
    const entry = await repo.stat('main', 'cli/one.bin');
    const calls = [
      [
        'put-object-tagging',
        '--bucket',
        'lake',
        '--key',
        'main/cli/one.bin',
        '--tagging',
        'TagSet=[{Key=k,Value=v}]',
      ],
      ['put-object-acl', '--bucket', 'lake', '--key', 'main/cli/one.bin', '--acl', 'public-read'],
      ['put-bucket-versioning', '--bucket', 'lake', '--versioning-configuration', 'Status=Enabled'],
    ];
    const results = await Promise.all(calls.map((call) => aws(gw, ['s3api', ...call])));
    results.forEach((r, i) => {
      expect(r.code, calls[i]?.[0]).not.toBe(0);
      expect(r.stderr, calls[i]?.[0]).toMatch(/NotImplemented/);
    });
    expect(await staged()).toEqual(before);
    expect(await repo.stat('main', 'cli/one.bin')).toEqual(entry);
  });
});
