// Outages in the crash matrix: the stores themselves die while the CLI works. PostgreSQL (the
// MetaStore) is stopped at once (`pg_ctl -m immediate`) at a seeded random moment of
// `sluice --json commit`; s3rver (the ObjectStore) is SIGKILLed at a seeded random moment of
// `sluice --json put DIR`. After each trial, with the store back:
//   - the command either was acknowledged (exit 0, its JSON) — then what it did is there, whole —
//     or failed with MetaStoreUnavailableError / ObjectStoreUnavailableError (exit 5) as one JSON
//     document; never a stack trace;
//   - the branch is where it was or one whole commit further (commit), and the staging area holds
//     all of the put or none of it, every staged object readable and whole (put);
//   - fsck is clean, and the next write works.
// The moments are drawn from how long the command took once undisturbed (measured first), so the
// stops land inside the work on a fast or a loaded machine. Seeded: the seed is printed,
// SLUICE_TEST_SEED reruns it; SLUICE_OUTAGE_TRIALS sets the trials per store.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { collect, prng, testSeed } from '../engine/support.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, runCli, tempDir } from '../support/cli.js';
import { withPg } from '../support/pg-cluster.js';
import { type KillableS3Server, startKillableS3Server } from '../support/s3-server-process.js';

const TRIALS = Number(process.env.SLUICE_OUTAGE_TRIALS ?? 4);
const EXIT_UNAVAILABLE = 5;
/** A stack trace line, as Node prints one for an error nobody caught. */
const STACK = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

const root = tempDir('sluice-outages-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await buildOnce();
});

/** The command's answer: acknowledged (its JSON) or the outage, in one JSON document. */
function expectAnswer(r: CliResult, outage: string, when: string): 'ack' | 'outage' {
  const all = `${r.stdout}${r.stderr}`;
  expect(all, `no stack trace ${when}`).not.toMatch(STACK);
  expect(r.json, `one JSON document ${when}: ${all}`).toBeDefined();
  if (r.code === 0) return 'ack';
  expect(r.code, `exit code ${when}: ${all}`).toBe(EXIT_UNAVAILABLE);
  expect(r.json.error?.code, `error ${when}: ${all}`).toBe(outage);
  expect(r.json.error.message, when).toContain(r.json.error.data.host);
  return 'outage';
}

async function withRepo<T>(dir: string, fn: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openRepository(dir);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

async function expectFsckClean(repo: Repository, when: string): Promise<void> {
  const report = await repo.fsck();
  expect(report.problems, `fsck ${when}`).toEqual([]);
}

/** Runs `start`, then stops the store after `delayMs`, waits for the command, and restarts it. */
async function interrupt(
  start: () => Promise<CliResult>,
  delayMs: number,
  stop: () => Promise<void>,
  restart: () => Promise<void>,
): Promise<CliResult> {
  const done = start();
  await sleep(delayMs);
  await stop();
  try {
    return await done;
  } finally {
    await restart();
  }
}

/** How long `fn` takes, in ms. */
async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A moment inside a command that took `duration` ms undisturbed: 15–95 % of the way. */
const momentOf = (rand: () => number, duration: number): number =>
  Math.round(duration * (0.15 + 0.8 * rand()));

describe('PostgreSQL stopped mid-commit', () => {
  // Commits acknowledged only once written: an immediate stop may not undo an acknowledged one.
  const pg = withPg({ synchronousCommit: true });
  const FILES = 1200;

  it(`${TRIALS} seeded stops: the branch before or after, fsck clean, the next write works`, {
    timeout: 240_000,
  }, async () => {
    const seed = testSeed('outages-postgres');
    const rand = prng(seed);
    const dir = join(root, 'pg');
    const src = join(root, 'pg-src');
    mkdirSync(src);
    for (let i = 0; i < FILES; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`);
    const sluice = (args: string[]) => runCli(['--json', ...args, '--repo', dir]);
    const ok = async (args: string[]) => {
      const r = await sluice(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      return r;
    };
    expect((await runCli(['init', dir, '--meta', await pg.cluster.createDatabase('o')])).code).toBe(
      0,
    );
    // Undisturbed, once: how long a commit of FILES staged files takes here, now.
    await ok(['put', src, 'warmup/']);
    const duration = await timed(async () => {
      await ok(['commit', '-m', 'warmup']);
    });

    const outcomes: string[] = [];
    for (let t = 1; t <= TRIALS; t++) {
      const when = `in trial ${t} (seed ${seed})`;
      await ok(['put', src, `t${t}/`]);
      const before = await withRepo(dir, async (repo) => (await repo.getBranch('main')).head);
      const delay = momentOf(rand, duration);
      const r = await interrupt(
        () => runCli(['--json', 'commit', '-m', `trial ${t}`, '--repo', dir]),
        delay,
        () => pg.cluster.halt(),
        () => pg.cluster.resume(),
      );
      const answer = expectAnswer(r, 'MetaStoreUnavailableError', `${when} (${delay} ms)`);
      outcomes.push(answer);
      const head = await withRepo(dir, async (repo) => {
        const head = (await repo.getBranch('main')).head;
        if (answer === 'ack')
          expect(head, `the acknowledged commit ${when}`).toBe(r.json.commit.id);
        if (head === before) {
          // Not committed: everything is still staged, nothing else.
          const staged = await collect(repo.status('main'));
          expect(staged.length, `still staged ${when}`).toBe(FILES);
          expect(staged.every((c) => c.path.startsWith(`t${t}/`))).toBe(true);
        } else {
          // Committed: one commit on top of the one before, holding exactly the trial's files.
          const c = await repo.getCommit(head);
          expect(c.parents, `one commit further ${when}`).toEqual([before]);
          expect(c.message).toBe(`trial ${t}`);
          const changes = await collect(repo.diff(before, head));
          expect(changes.length, `the whole commit ${when}`).toBe(FILES);
          expect(changes.every((x) => x.type === 'added' && x.path.startsWith(`t${t}/`))).toBe(
            true,
          );
          expect(await collect(repo.status('main')), `nothing left staged ${when}`).toEqual([]);
        }
        await expectFsckClean(repo, when);
        return head;
      });
      // The next write works: the commit again if it did not land, else a new file.
      if (head === before) await ok(['commit', '-m', `trial ${t}, again`]);
      writeFileSync(join(root, 'next.txt'), `after trial ${t}\n`);
      await ok(['put', join(root, 'next.txt'), `next/${t}.txt`]);
      await ok(['commit', '-m', `after trial ${t}`]);
    }
    console.log(`[outages-postgres] commit ${Math.round(duration)} ms; ${outcomes.join(', ')}`);
    // The stops came while commits ran (else this proved little).
    expect(outcomes, `seed ${seed}`).toContain('outage');
  });
});

describe('s3rver killed mid-put', () => {
  let s3: KillableS3Server;
  const dir = join(root, 's3');
  /** Over 1 MiB each, so every file is a PUT of its own (smaller ones are packed together). */
  const FILES = 16;
  const SIZE = 1024 * 1024 + 4096;

  beforeAll(async () => {
    s3 = await startKillableS3Server();
    // The test process reads the repository too (fsck, staging).
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    });
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
  });

  /** Trial `t`'s files, each its own content (a PUT cut short must not touch another's object). */
  function writeSource(t: number, seed: number): string {
    const src = join(root, `s3-src-${t}`);
    mkdirSync(src);
    for (let i = 0; i < FILES; i++) {
      const body = Buffer.alloc(SIZE, `${seed}:${t}:${i};`);
      writeFileSync(join(src, `f${i}.bin`), body);
    }
    return src;
  }
  const expected = (seed: number, t: number, i: number): Buffer =>
    Buffer.alloc(SIZE, `${seed}:${t}:${i};`);

  it(`${TRIALS} seeded kills: all of the put staged or none, fsck clean, the next write works`, {
    timeout: 240_000,
  }, async () => {
    const seed = testSeed('outages-s3');
    const rand = prng(seed);
    const env = {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    };
    const sluice = (args: string[]) => runCli(['--json', ...args, '--repo', dir], { env });
    const ok = async (args: string[]) => {
      const r = await sluice(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      return r;
    };
    const init = await runCli(
      ['init', dir, '--storage', `s3://${s3.bucket}/lake`, '--s3-endpoint', s3.endpoint],
      { env },
    );
    expect(init.code, init.stderr).toBe(0);
    // Undisturbed, once: how long a put of FILES files takes here, now.
    const warm = writeSource(0, seed);
    const duration = await timed(async () => {
      await ok(['put', warm, 'warmup/']);
    });
    await ok(['commit', '-m', 'warmup']);

    const outcomes: string[] = [];
    for (let t = 1; t <= TRIALS; t++) {
      const when = `in trial ${t} (seed ${seed})`;
      const src = writeSource(t, seed);
      const before = await withRepo(dir, async (repo) => (await repo.getBranch('main')).head);
      const delay = momentOf(rand, duration);
      const r = await interrupt(
        () => runCli(['--json', 'put', src, `t${t}/`, '--repo', dir], { env }),
        delay,
        () => s3.kill(),
        () => s3.restart(),
      );
      const answer = expectAnswer(r, 'ObjectStoreUnavailableError', `${when} (${delay} ms)`);
      outcomes.push(answer);
      const staged = await withRepo(dir, async (repo) => {
        expect((await repo.getBranch('main')).head, `a put commits nothing ${when}`).toBe(before);
        const changes = await collect(repo.status('main'));
        if (answer === 'ack') expect(changes.length, `the acknowledged put ${when}`).toBe(FILES);
        expect([0, FILES], `all of the put staged or none ${when}`).toContain(changes.length);
        for (const c of changes) {
          // Staged objects are stored, whole.
          const i = Number(/^t\d+\/f(\d+)\.bin$/.exec(c.path)?.[1]);
          expect(c.path.startsWith(`t${t}/`), `${c.path} ${when}`).toBe(true);
          const body = Buffer.from(await repo.getObject('main', c.path));
          expect(body.equals(expected(seed, t, i)), `${c.path} whole ${when}`).toBe(true);
        }
        await expectFsckClean(repo, when);
        return changes.length;
      });
      // The next write works: the put again if it left nothing, then the commit.
      if (staged === 0) await ok(['put', src, `t${t}/`]);
      await ok(['commit', '-m', `trial ${t}`]);
      await withRepo(dir, async (repo) => {
        const files = await collect(repo.list('main', { prefix: `t${t}/` }));
        expect(files.length, `trial ${t}'s files committed`).toBe(FILES);
      });
      rmSync(src, { recursive: true, force: true });
    }
    console.log(`[outages-s3] put ${Math.round(duration)} ms; ${outcomes.join(', ')}`);
    expect(outcomes, `seed ${seed}`).toContain('outage');
  });
});
