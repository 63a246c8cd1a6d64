// rclone (Debian's, /usr/bin/rclone) against a gateway started here, configured through the
// environment only: lsd of the refs and ls of a branch, copyto up and down, sync of a tree up to
// a branch and back, a 64 MiB upload in 16 MiB chunks, a ranged cat (--offset/--count), copyto
// across branches (a server-side copy), deletefile — the bytes read back are the bytes written,
// and the library commits what rclone staged.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import {
  type GatewayUnderTest,
  hasClient,
  makeTree,
  randomFile,
  rclone,
  sha256,
  startGateway,
  storedTree,
  treeOf,
} from '../support/gateway-clients.js';

const MiB = 1024 * 1024;

describe.skipIf(!hasClient('rclone'))('rclone against the gateway', () => {
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
    const r = await rclone(gw, args);
    expect(r.code, `rclone ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  it('lsd lists the refs; ls a branch’s objects', async () => {
    const refs = await ok(['lsd', 'sluice:lake']);
    for (const ref of ['main', 'dev', 'release', 'production', 'v1'])
      expect(refs).toMatch(new RegExp(` ${ref}$`, 'm'));
    expect(await ok(['ls', 'sluice:lake/main'])).toMatch(/^\s*7 seed\/readme\.txt$/m);
  });

  it('copyto up and down: the same bytes', async () => {
    const up = join(dir, 'one.bin');
    const hash = randomFile(up, 50_000);
    await ok(['copyto', up, 'sluice:lake/main/rc/one.bin']);
    const down = join(dir, 'one.down');
    await ok(['copyto', 'sluice:lake/main/rc/one.bin', down]);
    expect(sha256(readFileSync(down))).toBe(hash);
  });

  it('sync: a nested tree up to a branch and back down, byte for byte', async () => {
    const src = join(dir, 'tree');
    makeTree(src, 50);
    await ok(['sync', src, 'sluice:lake/dev/tree']);
    const down = join(dir, 'tree-down');
    await ok(['sync', 'sluice:lake/dev/tree', down]);
    expect(treeOf(down)).toEqual(treeOf(src));
    // Only the files: no directory markers staged.
    expect(await storedTree(repo, 'dev', 'tree/')).toEqual(treeOf(src));
    // Nothing left to do the second time (sizes, times and hashes agree).
    const again = await rclone(gw, ['sync', src, 'sluice:lake/dev/tree', '-v']);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/Copied/);
  });

  it('a 64 MiB upload in 16 MiB chunks, read back whole and by range', async () => {
    const big = join(dir, 'big.bin');
    const hash = randomFile(big, 64 * MiB);
    await ok([
      'copyto',
      big,
      'sluice:lake/main/big.bin',
      '--s3-upload-cutoff',
      '8M',
      '--s3-chunk-size',
      '16M',
    ]);
    const down = join(dir, 'big.down');
    await ok(['copyto', 'sluice:lake/main/big.bin', down]);
    expect(sha256(readFileSync(down))).toBe(hash);
    expect((await repo.stat('main', 'big.bin')).etag).toMatch(/^[0-9a-f]{32}-4$/);
    const part = await runBytes([
      'cat',
      'sluice:lake/main/big.bin',
      '--offset',
      '3000000',
      '--count',
      '4096',
    ]);
    expect(part).toEqual(readFileSync(big).subarray(3_000_000, 3_004_096));
  }, 120_000);

  /** rclone cat's stdout as bytes. */
  async function runBytes(args: string[]): Promise<Buffer> {
    const r = await rclone(gw, args);
    expect(r.code, r.stderr).toBe(0);
    return r.stdoutBytes;
  }

  it('copyto across branches, deletefile, then a commit through the library', async () => {
    await ok(['copyto', 'sluice:lake/main/rc/one.bin', 'sluice:lake/dev/rc/one.bin']);
    expect((await repo.stat('dev', 'rc/one.bin')).address).toBe(
      (await repo.stat('main', 'rc/one.bin')).address,
    );
    await ok(['deletefile', 'sluice:lake/main/rc/one.bin']);
    await expect(repo.stat('main', 'rc/one.bin')).rejects.toMatchObject({
      code: 'PathNotFoundError',
    });
    const commit = await repo.commit('dev', { message: 'from rclone' });
    expect((await repo.stat(commit.id, 'rc/one.bin')).size).toBe(50_000);
    expect(Object.keys(await storedTree(repo, commit.id, 'tree/'))).toHaveLength(50);
  });

  it('a write to the production alias is refused (AccessDenied) and stages nothing', async () => {
    const file = join(dir, 'p.txt');
    randomFile(file, 5);
    const r = await rclone(gw, ['copyto', file, 'sluice:lake/production/p.txt', '--retries', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/AccessDenied/);
    const staged: string[] = [];
    for await (const c of repo.status('release')) staged.push(c.path);
    expect(staged).toEqual([]);
  });
});
