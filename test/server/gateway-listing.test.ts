// ListObjectsV2 and ListObjects through the AWS SDK for JavaScript against a listening server:
// every parameter, keys S3 clients find awkward, the repository's root as its refs, staged
// objects on a branch, a tag and the `production` alias, and a reader listing `production`
// page by page while the alias flips between two branches (never a mix within one page).
import {
  GetObjectCommand,
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { createSandbox } from '../../src/workflow/index.js';
import { type Gateway, startGateway } from '../support/gateway.js';

const BUCKET = 'repo';
let gw: Gateway;
let repo: Repository;
let s3: S3Client;

/** Committed on main (and tagged v1): a small tree with a few levels. */
const COMMITTED = [
  'data/2024/a.csv',
  'data/2024/b.csv',
  'data/2025/c.csv',
  'data/top.csv',
  'docs/readme.md',
  'z.txt',
];
/** Awkward keys: space, plus, percent, XML specials, unicode (astral too), a C1 control. */
const ODD = [
  'odd/a b.txt',
  'odd/c+d.txt',
  'odd/100%.txt',
  'odd/x&y<z>"q\'.txt',
  'odd/ünï©ødé.txt',
  'odd/emoji-😀.txt',
  'odd/nel\u0085here.txt',
];

const body = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  gw = await startGateway();
  repo = await gw.repo();
  s3 = gw.client('admin');
  await repo.putObjects(
    'main',
    [...COMMITTED, ...ODD].map((path) => ({ path, body: body(`main:${path}`) })),
  );
  await repo.commit('main', { message: 'data' });
  await repo.createTag('v1', 'main');
  await repo.createBranch('dev', { from: 'main' });
  await repo.setAlias('production', 'main');
  // Staged, not committed: visible on the branch, not on the tag.
  await repo.putObject('main', 'data/staged.csv', body('staged'));
});

afterAll(async () => {
  await gw?.close();
});

async function v2(input: Omit<ListObjectsV2CommandInput, 'Bucket'>, client = s3) {
  return client.send(new ListObjectsV2Command({ Bucket: BUCKET, ...input }));
}

const keysOf = (out: { Contents?: { Key?: string }[] }) =>
  (out.Contents ?? []).map((c) => c.Key as string);
const prefixesOf = (out: { CommonPrefixes?: { Prefix?: string }[] }) =>
  (out.CommonPrefixes ?? []).map((c) => c.Prefix as string);

/** Every page of a V2 listing, following continuation tokens. */
async function allPagesV2(input: Omit<ListObjectsV2CommandInput, 'Bucket'>) {
  const pages: ListObjectsV2CommandOutput[] = [];
  let token: string | undefined;
  for (;;) {
    const out = await v2({ ...input, ...(token ? { ContinuationToken: token } : {}) });
    pages.push(out);
    if (!out.IsTruncated) return pages;
    token = out.NextContinuationToken;
    expect(token).toBeTruthy();
  }
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to fail');
}

/** Code point (UTF-8) order, as S3 lists. */
const utf8Sort = (xs: string[]) =>
  [...xs].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('ListObjectsV2 under a ref', () => {
  it('lists every key of a branch, staged ones included, in UTF-8 order with S3 fields', async () => {
    const out = await v2({ Prefix: 'main/' });
    const expected = utf8Sort([...COMMITTED, ...ODD, 'data/staged.csv'].map((p) => `main/${p}`));
    expect(keysOf(out)).toEqual(expected);
    expect(out.KeyCount).toBe(expected.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxKeys).toBe(1000);
    const first = out.Contents?.find((c) => c.Key === 'main/data/top.csv');
    const text = 'main:data/top.csv';
    expect(first?.Size).toBe(text.length);
    expect(first?.StorageClass).toBe('STANDARD');
    expect(first?.ETag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(first?.LastModified).toBeInstanceOf(Date);
    expect(first?.Owner).toBeUndefined();
    const withOwner = await v2({ Prefix: 'main/data/', FetchOwner: true });
    expect(withOwner.Contents?.[0]?.Owner?.ID).toBe('admin');
  });

  it('rolls keys up at the delimiter into common prefixes', async () => {
    const out = await v2({ Prefix: 'main/', Delimiter: '/' });
    expect(keysOf(out)).toEqual(['main/z.txt']);
    expect(prefixesOf(out)).toEqual(['main/data/', 'main/docs/', 'main/odd/']);
    expect(out.KeyCount).toBe(4);
    const deeper = await v2({ Prefix: 'main/data/', Delimiter: '/' });
    expect(keysOf(deeper)).toEqual(['main/data/staged.csv', 'main/data/top.csv']);
    expect(prefixesOf(deeper)).toEqual(['main/data/2024/', 'main/data/2025/']);
    // A prefix that is not a "directory" and a multi-character delimiter.
    const partial = await v2({ Prefix: 'main/data/20', Delimiter: '4/' });
    expect(prefixesOf(partial)).toEqual(['main/data/2024/']);
    expect(keysOf(partial)).toEqual(['main/data/2025/c.csv']);
  });

  it('pages with max-keys and continuation tokens, each key once, prefixes counted', async () => {
    const full = keysOf(await v2({ Prefix: 'main/' }));
    const pages = await allPagesV2({ Prefix: 'main/', MaxKeys: 3 });
    expect(pages.length).toBe(Math.ceil(full.length / 3));
    for (const p of pages.slice(0, -1)) expect(p.KeyCount).toBe(3);
    expect(pages.flatMap(keysOf)).toEqual(full);
    // With a delimiter a page may end on a common prefix; the next starts past it.
    const rolled = await allPagesV2({ Prefix: 'main/', Delimiter: '/', MaxKeys: 1 });
    expect(rolled.map((p) => [...prefixesOf(p), ...keysOf(p)])).toEqual([
      ['main/data/'],
      ['main/docs/'],
      ['main/odd/'],
      ['main/z.txt'],
    ]);
  });

  it('starts after start-after, and a token overrides an earlier start-after', async () => {
    const out = await v2({ Prefix: 'main/data/', StartAfter: 'main/data/2024/b.csv' });
    expect(keysOf(out)).toEqual([
      'main/data/2025/c.csv',
      'main/data/staged.csv',
      'main/data/top.csv',
    ]);
    const rolled = await v2({
      Prefix: 'main/data/',
      Delimiter: '/',
      StartAfter: 'main/data/2024/a.csv',
    });
    expect(prefixesOf(rolled)).toEqual(['main/data/2025/']);
    const before = await v2({ Prefix: 'main/docs/', StartAfter: 'a' });
    expect(keysOf(before)).toEqual(['main/docs/readme.md']);
    const past = await v2({ Prefix: 'main/docs/', StartAfter: 'zzz' });
    expect(keysOf(past)).toEqual([]);
    const first = await v2({
      Prefix: 'main/data/',
      MaxKeys: 2,
      StartAfter: 'main/data/2024/a.csv',
    });
    expect(keysOf(first)).toEqual(['main/data/2024/b.csv', 'main/data/2025/c.csv']);
    const next = await v2({
      Prefix: 'main/data/',
      StartAfter: 'main/data/2024/a.csv',
      ContinuationToken: first.NextContinuationToken as string,
    });
    expect(keysOf(next)).toEqual(['main/data/staged.csv', 'main/data/top.csv']);
    expect(next.StartAfter).toBe('main/data/2024/a.csv');
    expect(next.ContinuationToken).toBe(first.NextContinuationToken);
  });

  it('takes max-keys 0, caps max-keys at 1000, refuses garbage', async () => {
    const zero = await v2({ Prefix: 'main/', MaxKeys: 0 });
    expect(zero.KeyCount).toBe(0);
    expect(zero.IsTruncated).toBe(false);
    expect(keysOf(zero)).toEqual([]);
    expect((await v2({ Prefix: 'main/', MaxKeys: 5000 })).MaxKeys).toBe(1000);
    for (const token of ['garbage!', 'AAAA', Buffer.from('main/z.txt').toString('base64url')])
      expect(await errorOf(v2({ Prefix: 'main/', ContinuationToken: token }))).toEqual({
        name: 'InvalidArgument',
        status: 400,
      });
    expect((await errorOf(v2({ Prefix: 'main/', MaxKeys: -1 }))).name).toBe('InvalidArgument');
  });

  it('answers awkward keys exactly, escaped in XML, and URL-encoded when asked', async () => {
    const expected = utf8Sort(ODD.map((p) => `main/${p}`));
    expect(keysOf(await v2({ Prefix: 'main/odd/' }))).toEqual(expected);
    const enc = await v2({ Prefix: 'main/odd/', EncodingType: 'url', MaxKeys: 3 });
    expect(enc.EncodingType).toBe('url');
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    expect(keysOf(enc).map(decode)).toEqual(expected.slice(0, 3));
    expect(keysOf(enc)).toContain('main/odd/100%25.txt');
    expect(keysOf(enc).join()).not.toMatch(/[ \u0085]/);
    expect(enc.Prefix).toBe('main/odd/');
    // Continuation through URL-encoded pages, and start-after echoed encoded.
    const rest = await v2({
      Prefix: 'main/odd/',
      EncodingType: 'url',
      ContinuationToken: enc.NextContinuationToken as string,
    });
    expect([...keysOf(enc), ...keysOf(rest)].map(decode)).toEqual(expected);
    const sa = await v2({ Prefix: 'main/', StartAfter: 'main/odd/a b.txt', EncodingType: 'url' });
    expect(sa.StartAfter).toBe('main/odd/a+b.txt');
    const delim = await v2({ Prefix: 'main/', Delimiter: ' ', EncodingType: 'url' });
    expect(delim.Delimiter).toBe('+');
    expect(prefixesOf(delim).map(decode)).toEqual(['main/odd/a ']);
  });

  it('reads a tag as its commit (no staged objects) and the alias as its branch', async () => {
    const tag = keysOf(await v2({ Prefix: 'v1/data/' }));
    expect(tag).toEqual([
      'v1/data/2024/a.csv',
      'v1/data/2024/b.csv',
      'v1/data/2025/c.csv',
      'v1/data/top.csv',
    ]);
    const prod = keysOf(await v2({ Prefix: 'production/data/', Delimiter: '/' }));
    expect(prod).toEqual(['production/data/staged.csv', 'production/data/top.csv']);
    const head = await repo.getCommit('main');
    const onTag = (await v2({ Prefix: 'v1/z.txt' })).Contents?.[0];
    expect(onTag?.LastModified?.getTime()).toBe(head.createdAt.getTime());
  });

  it('lists nothing for an unknown ref, and refuses a ref the user may not read', async () => {
    expect(keysOf(await v2({ Prefix: 'nosuchref/' }))).toEqual([]);
    expect((await errorOf(v2({ Prefix: 'main/' }, gw.client('nobody')))).name).toBe('AccessDenied');
  });
});

describe('the repository root', () => {
  it('lists the refs as common prefixes: branches, aliases, tags; not sandboxes', async () => {
    await createSandbox(repo, 'secret', { owner: 'dev', private: true });
    for (const user of ['admin', 'viewer', 'dev']) {
      const out = await v2({ Delimiter: '/' }, gw.client(user));
      expect(prefixesOf(out)).toEqual(['dev/', 'main/', 'production/', 'v1/']);
      expect(keysOf(out)).toEqual([]);
    }
    const some = await v2({ Delimiter: '/', Prefix: 'ma' });
    expect(prefixesOf(some)).toEqual(['main/']);
    const paged = await allPagesV2({ Delimiter: '/', MaxKeys: 3 });
    expect(paged.flatMap(prefixesOf)).toEqual(['dev/', 'main/', 'production/', 'v1/']);
    expect(paged.length).toBe(2);
  });

  it('refuses a root listing without the "/" delimiter (name a ref)', async () => {
    expect(await errorOf(v2({}))).toEqual({ name: 'InvalidArgument', status: 400 });
    expect((await errorOf(v2({ Prefix: 'main' }))).name).toBe('InvalidArgument');
  });
});

describe('ListObjects (V1)', () => {
  const v1 = (input: Record<string, unknown>) =>
    s3.send(new ListObjectsCommand({ Bucket: BUCKET, ...input }));

  it('pages with markers; NextMarker only with a delimiter', async () => {
    const full = keysOf(await v1({ Prefix: 'main/data/' }));
    expect(full.length).toBe(5);
    const first = await v1({ Prefix: 'main/data/', MaxKeys: 2 });
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    expect(first.Contents?.[0]?.Owner?.ID).toBe('admin');
    const pages: ListObjectsCommandOutput[] = [first];
    while (pages.at(-1)?.IsTruncated) {
      const marker = keysOf(pages.at(-1) as ListObjectsCommandOutput).at(-1);
      pages.push(await v1({ Prefix: 'main/data/', MaxKeys: 2, Marker: marker }));
    }
    expect(pages.flatMap(keysOf)).toEqual(full);
    expect(pages[1]?.Marker).toBe(full[1]);
    const rolled = await v1({ Prefix: 'main/', Delimiter: '/', MaxKeys: 2 });
    expect(prefixesOf(rolled)).toEqual(['main/data/', 'main/docs/']);
    expect(rolled.NextMarker).toBe('main/docs/');
    const next = await v1({ Prefix: 'main/', Delimiter: '/', Marker: rolled.NextMarker });
    expect([...prefixesOf(next), ...keysOf(next)]).toEqual(['main/odd/', 'main/z.txt']);
  });

  it('URL-encodes marker and keys when asked', async () => {
    const out = await v1({ Prefix: 'main/odd/', Marker: 'main/odd/a b.txt', EncodingType: 'url' });
    expect(out.Marker).toBe('main/odd/a+b.txt');
    expect(keysOf(out).every((k) => !k.includes(' '))).toBe(true);
  });
});

describe('a reader of production during deploys', () => {
  it('sees one branch per page while the alias flips between blue and green', async () => {
    const files = Array.from({ length: 12 }, (_, i) => `site/page-${String(i).padStart(2, '0')}`);
    for (const [branch, extra] of [
      ['blue', []],
      ['green', ['site/zz-green-only']],
    ] as const) {
      await repo.createBranch(branch, { from: 'main' });
      await repo.putObjects(
        branch,
        [...files, ...extra].map((path) => ({ path, body: body(`${branch}:${path}`) })),
      );
      await repo.commit(branch, { message: branch });
    }
    await repo.setAlias('production', 'blue');
    const etags = new Map<string, string>();
    for (const branch of ['blue', 'green'])
      for await (const item of repo.list(branch, { prefix: 'site/' }))
        if (item.type === 'object')
          etags.set(`${branch}|production/${item.entry.path}`, `"${item.entry.checksum}"`);

    let flipping = true;
    let flips = 0;
    const flipper = (async () => {
      while (flipping) {
        await repo.setAlias('production', flips % 2 === 0 ? 'green' : 'blue');
        flips++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const seen = new Set<string>();
    try {
      for (let round = 0; round < 6; round++) {
        let token: string | undefined;
        do {
          const page = await v2({
            Prefix: 'production/site/',
            MaxKeys: 4,
            ...(token ? { ContinuationToken: token } : {}),
          });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
          const contents = page.Contents ?? [];
          const branches = new Set(
            contents.map((c) =>
              ['blue', 'green'].filter((b) => etags.get(`${b}|${c.Key}`) === c.ETag).join('+'),
            ),
          );
          // Every key's ETag is blue's or green's, and one page is one branch's.
          expect(branches.size).toBe(1);
          const [branch] = [...branches];
          expect(['blue', 'green']).toContain(branch);
          seen.add(branch as string);
          for (const c of contents) {
            const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: c.Key }));
            const text = await got.Body?.transformToString();
            const path = (c.Key as string).slice('production/'.length);
            // Each object is wholly one branch's bytes (the alias may flip between list and GET).
            expect([`blue:${path}`, `green:${path}`]).toContain(text);
          }
        } while (token);
      }
    } finally {
      flipping = false;
      await flipper;
    }
    expect(flips).toBeGreaterThan(0);
  });
});
