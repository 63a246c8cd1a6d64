// A commit says what happened (issue 14, item 2): separate processes ingesting with --commit into
// one branch at once each get a commit of exactly their own files under their own message — on
// PostgreSQL and on SQLite — and a request retried with the same --idempotency-key (one after the
// other, or two racing) is applied once and answers with the first application's commit. The same
// for `sluice load`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';

const WRITERS = 4;
const INGESTS = 10;

const roots: string[] = [];
let pg: PgCluster | undefined;
beforeAll(buildOnce);
afterAll(async () => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
  await pg?.stop();
});

/** A new repository (SQLite, or on `meta`) with one CSV file per ingest to come. */
async function lake(meta?: string): Promise<{ dir: string; src: string }> {
  const root = tempDir('sluice-writer-commits-');
  roots.push(root);
  const dir = join(root, 'lake');
  const src = join(root, 'src');
  mkdirSync(src);
  const init = await runCli(['init', dir, '-q', ...(meta ? ['--meta', meta] : [])]);
  expect(init.code, init.stderr).toBe(0);
  for (let w = 0; w < WRITERS; w++)
    for (let i = 0; i < INGESTS; i++)
      writeFileSync(join(src, `w${w}-${i}.csv`), `id,writer\n${w * 100 + i},${w}\n`);
  return { dir, src };
}

async function withRepo<T>(dir: string, fn: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openRepository(dir);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

async function rowCount(dir: string): Promise<number> {
  const r = await cliFor(dir)(['--json', 'sql', 'SELECT count(*)::INT AS n FROM events']);
  expect(r.code, r.stderr).toBe(0);
  return Number(JSON.stringify(r.json).match(/"n":(\d+)/)?.[1]);
}

/**
 * WRITERS processes at a time, each running INGESTS ingests with --commit one after the other;
 * then every ingest must be acknowledged with a commit holding exactly its own files and message.
 */
async function writersCommitTheirOwn(dir: string, src: string): Promise<void> {
  const sluice = cliFor(dir);
  const results = await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const mine: { message: string; run: CliResult }[] = [];
      for (let i = 0; i < INGESTS; i++) {
        const message = `writer ${w} ingest ${i}`;
        const run = await sluice([
          '--json',
          'ingest',
          join(src, `w${w}-${i}.csv`),
          '--table',
          'events',
          '-m',
          message,
        ]);
        mine.push({ message, run });
      }
      return mine;
    }),
  );
  const acknowledged = results.flat();
  for (const { message, run } of acknowledged) {
    expect(run.code, `${message}: ${run.stdout}${run.stderr}`).toBe(0);
    expect(run.json.commit?.message, message).toBe(message);
  }
  expect(acknowledged).toHaveLength(WRITERS * INGESTS);
  await withRepo(dir, async (repo) => {
    const log: { id: string; message: string }[] = [];
    for await (const c of repo.log('main')) log.push({ id: c.id, message: c.message });
    expect(log).toHaveLength(WRITERS * INGESTS + 1); // and the root commit
    let manifests = 0;
    for (const { message, run } of acknowledged) {
      const id = run.json.commit.id as string;
      expect(log.find((c) => c.id === id)?.message, message).toBe(message);
      // The commit holds exactly this ingest's files — and the table's manifest for the one
      // commit that created the table (several writers may have found it missing at once: each
      // stages the same manifest, and the first commit to land takes it).
      const changed: string[] = [];
      for await (const c of repo.diff(`${id}~1`, id)) changed.push(c.path);
      const parquet = changed.filter((p) => p.endsWith('.parquet'));
      expect(parquet.sort(), message).toEqual([...run.json.filesAdded].sort());
      const other = changed.filter((p) => !p.endsWith('.parquet'));
      if (other.length > 0) {
        expect(other, message).toEqual(['tables/events/_sluice_table.json']);
        expect(run.json.created, message).toBe(true);
        manifests++;
      }
    }
    expect(manifests).toBe(1);
    expect([...(await collectStatus(repo))]).toEqual([]);
    expect((await repo.fsck()).problems).toEqual([]);
  });
  expect(await rowCount(dir)).toBe(WRITERS * INGESTS);
}

async function collectStatus(repo: Repository): Promise<string[]> {
  const out: string[] = [];
  for await (const c of repo.status('main')) out.push(c.path);
  return out;
}

/** An ingest retried with its key adds nothing; two racing with one key apply once. */
async function retriesApplyOnce(dir: string, src: string): Promise<void> {
  const sluice = cliFor(dir);
  const before = await rowCount(dir);
  const ingest = (file: string, key: string) =>
    sluice([
      '--json',
      'ingest',
      join(src, file),
      '--table',
      'events',
      '--commit',
      '--idempotency-key',
      key,
    ]);
  const first = await ingest('w0-0.csv', 'retry-1');
  expect(first.code, first.stderr).toBe(0);
  expect(first.json.replayed).toBeUndefined();
  const again = await ingest('w0-0.csv', 'retry-1');
  expect(again.code, again.stderr).toBe(0);
  expect(again.json).toMatchObject({
    replayed: true,
    commit: { id: first.json.commit.id },
    filesAdded: first.json.filesAdded,
    rowsWritten: 1,
  });
  expect(await rowCount(dir)).toBe(before + 1);

  const racing = await Promise.all([ingest('w1-0.csv', 'race-1'), ingest('w1-0.csv', 'race-1')]);
  for (const r of racing) expect(r.code, r.stderr).toBe(0);
  expect(racing[0]?.json.commit.id).toBe(racing[1]?.json.commit.id);
  expect(racing.filter((r) => r.json.replayed === true)).toHaveLength(1);
  expect(await rowCount(dir)).toBe(before + 2);

  // The same key for another request is refused, and changes nothing.
  const other = await sluice([
    '--json',
    'ingest',
    join(src, 'w2-0.csv'),
    '--table',
    'other',
    '--commit',
    '--idempotency-key',
    'retry-1',
  ]);
  expect(other.code).toBe(2);
  expect(other.json.error.code).toBe('IdempotencyKeyReusedError');
  expect(await rowCount(dir)).toBe(before + 2);

  // A key is for a commit: an ingest that only stages cannot carry one.
  const staged = await sluice([
    '--json',
    'ingest',
    join(src, 'w3-0.csv'),
    '--table',
    'events',
    '--idempotency-key',
    'stage-1',
  ]);
  expect(staged.code).toBe(1);
  expect(staged.json.error.code).toBe('InvalidArgumentError');
  expect(await rowCount(dir)).toBe(before + 2);
}

describe('ingest --commit from separate processes (PostgreSQL)', () => {
  let dir: string;
  let src: string;
  beforeAll(async () => {
    pg = await startPgCluster();
    ({ dir, src } = await lake(pg.url));
  }, 120_000);

  it(`${WRITERS} processes × ${INGESTS} ingests: each commit holds its own rows and message`, {
    timeout: 600_000,
  }, async () => {
    await writersCommitTheirOwn(dir, src);
  });

  it('a retried ingest with the same idempotency key adds nothing', {
    timeout: 120_000,
  }, async () => {
    await retriesApplyOnce(dir, src);
  });
});

describe('ingest --commit from separate processes (SQLite)', () => {
  let dir: string;
  let src: string;
  beforeAll(async () => {
    ({ dir, src } = await lake());
  });

  it(`${WRITERS} processes × ${INGESTS} ingests: each commit holds its own rows and message`, {
    timeout: 600_000,
  }, async () => {
    await writersCommitTheirOwn(dir, src);
  });

  it('a retried ingest with the same idempotency key adds nothing', {
    timeout: 120_000,
  }, async () => {
    await retriesApplyOnce(dir, src);
  });
});

describe('commit --path', () => {
  it('commits only the staged changes at or under the named paths; the rest stays staged', {
    timeout: 120_000,
  }, async () => {
    const { dir, src } = await lake();
    const sluice = cliFor(dir);
    for (const [file, to] of [
      ['w0-0.csv', 'a.csv'],
      ['w0-1.csv', 'dir/b.csv'],
      ['w0-2.csv', 'dir/sub/c.csv'],
      ['w0-3.csv', 'dirx.csv'],
    ] as const) {
      const put = await sluice(['put', join(src, file), to]);
      expect(put.code, put.stderr).toBe(0);
    }
    const c = await sluice([
      '--json',
      'commit',
      '-m',
      'a and dir',
      '--path',
      'a.csv',
      '--path',
      'dir',
    ]);
    expect(c.code, c.stderr).toBe(0);
    await withRepo(dir, async (repo) => {
      const changed: string[] = [];
      for await (const ch of repo.diff(`${c.json.commit.id}~1`, c.json.commit.id))
        changed.push(ch.path);
      expect(changed).toEqual(['a.csv', 'dir/b.csv', 'dir/sub/c.csv']);
      expect(await collectStatus(repo)).toEqual(['dirx.csv']);
    });
    // Nothing staged at the path: nothing to commit, and nothing changes.
    const none = await sluice(['--json', 'commit', '-m', 'nothing', '--path', 'a.csv']);
    expect(none.code).toBe(2);
    expect(none.json.error.code).toBe('EmptyCommitError');
    const rest = await sluice(['--json', 'commit', '-m', 'the rest']);
    expect(rest.code, rest.stderr).toBe(0);
  });
});
