// The crash matrix: a child process ingests, builds, or commits and collects garbage in a loop on
// an embedded repository (SQLite + local fs) and is SIGKILLed at a seeded random moment, again and
// again on the same repository. After every kill the repository is whole: fsck is clean, main is
// the last acknowledged commit or one commit on top of it, and what each operation acknowledged
// is there, whole —
//   ingest: every acknowledged batch of rows is in table t exactly once, and any other rows are
//           whole batches (an ingest lands all its rows or none);
//   build:  the seed and the model built from it agree at main's head (a build lands as one
//           commit), and an acknowledged build's commit is in main's history;
//   gc:     every object main's history reaches is still stored (fsck reads them all).
// (test/engine/crash-safety.test.ts does the same for commits and merges.) Seeded: the seed is
// printed, SLUICE_TEST_SEED reruns it; SLUICE_CRASH_MATRIX_KILLS sets the kills per operation.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { withSqlSession } from '../../src/engine/session.js';
import { listTables } from '../../src/engine/tables.js';
import {
  collect,
  makeTempDir,
  PROJECT_ROOT,
  prng,
  removeDir,
  testSeed,
  type WorkerResult,
  waitForWorker,
} from '../engine/support.js';

const KILLS = Number(process.env.SLUICE_CRASH_MATRIX_KILLS ?? 5);
const WORKER = join(PROJECT_ROOT, 'test/support/crash-worker.ts');

type Mode = 'ingest' | 'build' | 'gc';

interface Ack {
  commit: string;
  rest: string[];
}

function parseAcks(stdout: string): Ack[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1); // a torn last line is not an ACK
  return complete
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([tag, commit]) => tag === 'ACK' && commit !== undefined)
    .map(([, commit, ...rest]) => ({ commit: commit as string, rest }));
}

async function sql<T>(repo: Repository, query: string): Promise<T[]> {
  return withSqlSession(
    repo,
    { refs: ['main'] },
    async (s) => (await s.duck.query(query)).rows as T[],
  );
}

/** What must hold after each kill, per operation. */
const CHECKS: Record<Mode, (repo: Repository, acks: Ack[], when: string) => Promise<void>> = {
  async ingest(repo, acks, when) {
    if (!(await listTables(repo, 'main')).has('t')) {
      // Killed before the first ingest landed: then none was acknowledged either.
      expect(acks, `no table t, so no acknowledged batch ${when}`).toEqual([]);
      return;
    }
    const rows = await sql<{ id: bigint | number }>(repo, 'SELECT id FROM t');
    const ids = rows.map((r) => Number(r.id));
    expect(new Set(ids).size, `no row twice ${when}`).toBe(ids.length);
    const batches = new Map<number, number>();
    for (const id of ids)
      batches.set(Math.floor(id / 100), (batches.get(Math.floor(id / 100)) ?? 0) + 1);
    for (const [batch, n] of batches) expect(n, `batch ${batch * 100} whole ${when}`).toBe(25);
    for (const a of acks)
      expect(batches.get(Number(a.rest[0]) / 100), `acknowledged batch ${a.rest[0]} ${when}`).toBe(
        25,
      );
  },
  async build(repo, acks, when) {
    const [seed] = await sql<{ n: bigint }>(repo, 'SELECT count(*) AS n FROM nums');
    const [model] = await sql<{ n: bigint }>(repo, 'SELECT n FROM total');
    expect(Number(model?.n), `the model agrees with the seed at main's head ${when}`).toBe(
      Number(seed?.n),
    );
    const history = new Set<string>((await collect(repo.log('main'))).map((c) => c.id));
    for (const a of acks)
      if (a.commit !== '-')
        expect(history.has(a.commit), `acknowledged build ${a.commit} ${when}`).toBe(true);
  },
  async gc(repo, acks, when) {
    const history = new Set<string>((await collect(repo.log('main'))).map((c) => c.id));
    for (const a of acks)
      expect(history.has(a.commit), `acknowledged ${a.commit} ${when}`).toBe(true);
    const last = acks.at(-1);
    if (last && last.rest[0] !== '-') {
      // The newest acknowledged put is readable through its commit (unless gc was allowed to drop
      // it: it was removed in the next commit and nothing keeps it — then fsck above decided).
      const [path, content] = (last.rest.join(' ') as string).split(/=(.*)/s);
      const got = await repo.getObject(last.commit, path as string).then(
        (b) => Buffer.from(b).toString('utf8'),
        () => undefined,
      );
      if (got !== undefined) expect(got, `content of ${path} ${when}`).toBe(content);
    }
  },
};

/** A fresh repository for `mode`: the build one holds the tiny project. */
async function setUp(mode: Mode, root: string): Promise<string> {
  const dir = join(root, mode);
  mkdirSync(dir, { recursive: true });
  if (mode === 'build') {
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    mkdirSync(join(dir, 'models'), { recursive: true });
    writeFileSync(join(dir, 'sluice.yml'), 'name: crash\nmaterialized: {"": table}\n');
    writeFileSync(join(dir, 'seeds', 'nums.csv'), 'n\n0\n');
    writeFileSync(join(dir, 'models', 'total.sql'), "select count(*) as n from {{ ref('nums') }}");
  }
  const repo = await initRepository(dir, { name: mode, committer: 'crash' });
  try {
    if (mode === 'build') {
      const { buildProject } = await import('../../src/pipeline/build.js');
      await buildProject(repo, dir, { artifacts: false, lineage: false });
    }
  } finally {
    await repo.close();
  }
  return dir;
}

function launch(mode: Mode, dir: string, seed: number, incarnation: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, mode, dir, String(seed), String(incarnation)],
    { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return { child, exited: waitForWorker(child) };
}

/** Resolves when `cond` holds; fails if the worker exits first or a minute passes. */
async function waitFor(cond: () => boolean, exited: Promise<unknown>, what: string): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (const start = Date.now(); !cond(); await sleep(20)) {
    if (gone) throw new Error(`${what}: the worker exited first`);
    if (Date.now() - start > 60_000) throw new Error(`${what}: nothing within a minute`);
  }
}

async function killAtRandom(
  mode: Mode,
  dir: string,
  seed: number,
  rand: () => number,
  children: Set<ChildProcess>,
): Promise<{ acks: number; midWork: number }> {
  const acks: Ack[] = [];
  let midWork = 0;
  let next = launch(mode, dir, seed, 1);
  children.add(next.child);
  for (let k = 1; k <= KILLS; k++) {
    const { child, exited } = next;
    let output = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout?.on('data', (s: string) => {
        output += s;
        if (output.includes('READY\n')) resolve();
      });
    });
    const first = await Promise.race([
      ready.then(() => 'ready'),
      exited.then(() => 'exited'),
      sleep(60_000).then(() => 'timeout'),
    ]);
    if (first !== 'ready')
      throw new Error(`${mode} worker ${k} ${first} before it was ready: ${output}`);
    child.stdin?.end('GO\n');
    // The first worker dies at a random moment from GO (maybe before anything landed); the
    // others once they have acknowledged something, so a loaded machine cannot push every kill
    // in front of the work.
    if (k > 1) await waitFor(() => output.includes('ACK '), exited, `${mode} worker ${k} ACK`);
    await sleep((k > 1 ? 0 : 150) + Math.floor(rand() * 1200));
    child.kill('SIGKILL');
    const res: WorkerResult = await exited;
    // The next worker loads while this one's repository is checked.
    if (k < KILLS) {
      next = launch(mode, dir, seed, k + 1);
      children.add(next.child);
    }
    const when = `after ${mode} kill ${k} (seed ${seed})`;
    expect(
      res.signal,
      `${mode} worker ${k} died on its own (exit ${res.code}): ${res.stderr}`,
    ).toBe('SIGKILL');
    const mine = parseAcks(res.stdout);
    if (mine.length > 0) midWork++;
    acks.push(...mine);
    const repo = await openRepository(dir);
    try {
      const report = await repo.fsck();
      expect(report.problems, `fsck ${when}`).toEqual([]);
      await CHECKS[mode](repo, acks, when);
    } finally {
      await repo.close();
    }
  }
  return { acks: acks.length, midWork };
}

describe('the crash matrix (SIGKILL, SQLite + local fs)', () => {
  for (const mode of ['ingest', 'build', 'gc'] as const) {
    it(`${mode}: ${KILLS} kills at random moments leave the repository whole`, {
      timeout: 300_000,
    }, async () => {
      const seed = testSeed(`crash-matrix-${mode}`);
      const rand = prng(seed);
      const root = makeTempDir(`crash-${mode}`);
      const children = new Set<ChildProcess>();
      try {
        const dir = await setUp(mode, root);
        const { acks, midWork } = await killAtRandom(mode, dir, seed, rand, children);
        // The kills landed while work was going on.
        expect(midWork, `${mode}: killed while working`).toBeGreaterThanOrEqual(KILLS - 1);
        expect(acks).toBeGreaterThan(0);
      } finally {
        for (const c of children)
          if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        removeDir(root);
      }
    });
  }
});
