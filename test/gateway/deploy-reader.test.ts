// The must-hold of issue 16 about readers: a reader polling `s3://repo/production/…` through the
// gateway while `deploy` and `rollback` run (the workflow's own blue/green flips, not a hand-set
// alias) sees the old commit's bytes or the new one's — never two commits mixed in one listing
// page, and every object wholly one version's bytes.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { deploy, loadWorkflowConfig, promote, rollback } from '../../src/workflow/index.js';
import { type Gateway, startGateway } from '../support/gateway.js';

const ENVS = `
environments:
  staging: {build: false}
  production: {}
`;
const FILES = Array.from({ length: 9 }, (_, i) => `site/page-${i}.txt`);
const opts = { backoffMs: 1 };

let gw: Gateway;
let s3: S3Client;
let repo: Repository;

/** Commits version `v` of every file on main: each file's bytes name the version. */
async function version(v: number): Promise<void> {
  await repo.putObjects(
    'main',
    FILES.map((path) => ({ path, body: Buffer.from(`v${v}:${path}`) })),
  );
  await repo.commit('main', { message: `version ${v}` });
}

async function ship(v: number): Promise<void> {
  await version(v);
  const config = loadWorkflowConfig(gw.server.root);
  await promote(repo, gw.server.root, config, 'staging', opts);
  const d = await deploy(repo, gw.server.root, config, 'production', opts);
  expect(d.status).toBe('success');
}

beforeAll(async () => {
  gw = await startGateway({ sluiceYml: ENVS });
  s3 = gw.client('admin');
  repo = await gw.repo();
  await ship(1);
});
afterAll(async () => {
  await gw?.close();
});

/** One pass over production/site/ in pages of 2: the versions each page and object showed. */
async function readPass(): Promise<{ pages: string[][]; objects: string[] }> {
  const pages: string[][] = [];
  const objects: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: gw.bucket,
        Prefix: 'production/site/',
        MaxKeys: 2,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    const versions: string[] = [];
    for (const c of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: gw.bucket, Key: c.Key }));
      const text = (await got.Body?.transformToString()) ?? '';
      const path = (c.Key as string).slice('production/'.length);
      const v = /^(v\d+):(.*)$/.exec(text);
      expect(v?.[2]).toBe(path); // wholly one version's bytes of this very object
      objects.push(v?.[1] as string);
      // The listing's ETag names the version the page was listed from (MD5 of its bytes).
      versions.push(c.ETag as string);
    }
    pages.push(versions);
  } while (token);
  return { pages, objects };
}

describe('a reader of production during deploy and rollback', () => {
  it('never sees two commits in one page', async () => {
    // Each version's ETags, as the gateway lists them at a commit of that version.
    const etagOf = new Map<string, string>();
    const record = async (v: string) => {
      for await (const item of repo.list('production', { prefix: 'site/' }))
        if (item.type === 'object') etagOf.set(`"${item.entry.etag ?? item.entry.checksum}"`, v);
    };
    await record('v1');
    let reading = true;
    const seenPages: string[][] = [];
    const reader = (async () => {
      while (reading) seenPages.push(...(await readPass()).pages);
    })();
    try {
      const config = loadWorkflowConfig(gw.server.root);
      for (const v of [2, 3, 4]) {
        await ship(v); // a deploy: the other colour built, checked, then production flipped
        await record(`v${v}`);
        await new Promise((r) => setTimeout(r, 30));
        const back = await rollback(repo, config, 'production', opts); // flipped back at once
        expect(back.flipOnly).toBe(true);
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      reading = false;
      await reader;
    }
    const versionsPerPage = seenPages
      .filter((p) => p.length > 0)
      .map((p) => new Set(p.map((etag) => etagOf.get(etag) ?? `unknown ${etag}`)));
    expect(versionsPerPage.length).toBeGreaterThan(0);
    // The reader lived through the flips: it saw more than one version in all…
    expect(new Set(versionsPerPage.flatMap((v) => [...v])).size).toBeGreaterThan(1);
    // …and never two in one page.
    for (const v of versionsPerPage) {
      expect(v.size).toBe(1);
      expect(['v1', 'v2', 'v3', 'v4']).toContain([...v][0]);
    }
  });
});
