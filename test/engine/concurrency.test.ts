// Concurrency across processes on one directory repository: writers putting and committing to the
// same branch at once (no acknowledged write may be lost), and merges into one branch at once
// (every non-conflicting merge lands; of two conflicting ones exactly one does).
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import {
  collect,
  dec,
  enc,
  makeTempDir,
  readTree,
  removeDir,
  spawnWorker,
  type WorkerResult,
  waitForWorker,
} from './support.js';

/** Runs workers together (each waits for `startAt` after loading, so their work overlaps). */
async function runWorkers(argsOf: (startAt: number) => string[][]): Promise<WorkerResult[]> {
  const startAt = Date.now() + 2500;
  const children: ChildProcess[] = argsOf(startAt).map((args) => spawnWorker(args));
  try {
    return await Promise.all(children.map((c) => waitForWorker(c)));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

interface WriterReport {
  puts: Map<string, string>;
  commitsOk: number;
  emptyCommits: number;
  otherFailures: string[];
}

function parseWriter(out: WorkerResult): WriterReport {
  const report: WriterReport = {
    puts: new Map(),
    commitsOk: 0,
    emptyCommits: 0,
    otherFailures: [],
  };
  for (const line of out.stdout.split('\n')) {
    const [tag, a, b] = line.split(' ');
    if (tag === 'PUT' && a && b) report.puts.set(a, b.replaceAll('_', ' '));
    else if (tag === 'COMMIT' && a === 'ok') report.commitsOk++;
    else if (tag === 'COMMIT' && a === 'EmptyCommitError') report.emptyCommits++;
    else if (tag === 'COMMIT') report.otherFailures.push(line);
  }
  return report;
}

/**
 * N writers × `paths` paths, committing after every few puts; then every acknowledged write must be
 * in main's head (after one last commit of whatever is still staged).
 */
async function writersLoseNothing(
  dir: string,
  writers: number,
  paths: number,
  rounds: number,
): Promise<void> {
  const started = Date.now();
  const results = await runWorkers((startAt) =>
    Array.from({ length: writers }, (_, id) => [
      'writer',
      dir,
      String(id),
      String(paths),
      String(rounds),
      String(startAt),
    ]),
  );
  const reports = results.map((r, id) => {
    expect(r.code, `writer ${id} failed: ${r.stderr}`).toBe(0);
    return parseWriter(r);
  });
  for (const [id, r] of reports.entries()) {
    expect(r.puts.size, `writer ${id} acknowledged every put`).toBe(paths);
    expect(r.otherFailures, `writer ${id} commit failures`).toEqual([]);
  }
  const repo = await openRepository(dir);
  try {
    // Commits race, so the last one may have been refused as empty while another still carried
    // rows; whatever remains staged is committed here.
    if ((await collect(repo.status('main'))).length > 0)
      await repo.commit('main', { message: 'final' });
    expect(await collect(repo.status('main'))).toEqual([]);
    const head = (await repo.resolve('main')).commit;
    const content = await readTree(repo, head);
    const lost: string[] = [];
    for (const r of reports)
      for (const [path, value] of r.puts) if (content[path] !== value) lost.push(path);
    expect(lost, 'acknowledged writes missing from the head').toEqual([]);
    expect(Object.keys(content)).toHaveLength(writers * paths);
    const fsck = await repo.fsck();
    expect(fsck.problems).toEqual([]);
    const ok = reports.reduce((n, r) => n + r.commitsOk, 0);
    const empty = reports.reduce((n, r) => n + r.emptyCommits, 0);
    expect(ok).toBeGreaterThan(0);
    console.log(
      `[concurrency] ${writers} writers × ${paths} paths (${rounds} commits each): ` +
        `${ok} commits landed, ${empty} refused as empty, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await repo.close();
  }
}

describe('concurrent writers and commits (processes, SQLite)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = makeTempDir('concurrency');
    const repo = await initRepository(dir, { name: 'conc', committer: 'test' });
    await repo.close();
  });
  afterAll(() => removeDir(dir));

  it('4 processes writing and committing to main lose no acknowledged write', {
    timeout: 120_000,
  }, async () => {
    await writersLoseNothing(dir, 4, 60, 12);
  });
});

describe('concurrent merges (processes, SQLite)', () => {
  let dir: string;
  const K = 4;
  beforeAll(async () => {
    dir = makeTempDir('merges');
    const repo = await initRepository(dir, { name: 'merges', committer: 'test' });
    try {
      await repo.putObjects('main', [
        { path: 'shared/base', body: enc('base') },
        { path: 'conflict/x', body: enc('base') },
      ]);
      await repo.commit('main', { message: 'base' });
      for (let i = 0; i < K; i++) {
        await repo.createBranch(`topic-${i}`);
        await repo.putObject(`topic-${i}`, `topic-${i}/file`, enc(`topic ${i}`));
        await repo.commit(`topic-${i}`, { message: `topic ${i}` });
      }
      for (const side of ['left', 'right']) {
        await repo.createBranch(side);
        await repo.putObject(side, 'conflict/x', enc(side));
        await repo.commit(side, { message: side });
      }
    } finally {
      await repo.close();
    }
  });
  afterAll(() => removeDir(dir));

  it('every non-conflicting merge lands; of two conflicting ones exactly one does', {
    timeout: 120_000,
  }, async () => {
    const sources = [...Array.from({ length: K }, (_, i) => `topic-${i}`), 'left', 'right'];
    const results = await runWorkers((startAt) =>
      sources.map((s) => ['merge', dir, s, 'main', String(startAt)]),
    );
    const outcome = new Map<string, string>();
    for (const [i, r] of results.entries()) {
      const line =
        r.stdout.split('\n').find((l) => l.startsWith('MERGED') || l.startsWith('REFUSED')) ?? '';
      expect(line, `merge of ${sources[i]}: ${r.stderr}`).not.toBe('');
      expect(r.code, `merge of ${sources[i]}: ${line}`).toBe(line.startsWith('MERGED') ? 0 : 3);
      outcome.set(sources[i] as string, line);
    }
    for (let i = 0; i < K; i++) expect(outcome.get(`topic-${i}`)).toMatch(/^MERGED [0-9a-f]{64}$/);
    const sides = ['left', 'right'].map((s) => outcome.get(s) as string);
    const landed = sides.filter((l) => l.startsWith('MERGED'));
    expect(landed, `left: ${sides[0]}; right: ${sides[1]}`).toHaveLength(1);
    expect(sides.find((l) => l.startsWith('REFUSED'))).toMatch(/^REFUSED MergeConflictError /);

    const repo = await openRepository(dir);
    try {
      const head = (await repo.resolve('main')).commit;
      const history = new Set<string>((await collect(repo.log('main'))).map((c) => c.id));
      for (const line of outcome.values()) {
        const id = line.split(' ')[1] as string;
        if (line.startsWith('MERGED')) expect(history.has(id), `merge ${id} lost`).toBe(true);
      }
      const content = await readTree(repo, head);
      for (let i = 0; i < K; i++) expect(content[`topic-${i}/file`]).toBe(`topic ${i}`);
      const winner = sides[0]?.startsWith('MERGED') ? 'left' : 'right';
      expect(dec(await repo.getObject('main', 'conflict/x'))).toBe(winner);
      expect(content['shared/base']).toBe('base');
      expect((await repo.fsck()).problems).toEqual([]);
    } finally {
      await repo.close();
    }
  });
});

describe('concurrent writers and commits (processes, PostgreSQL)', () => {
  let pg: PgCluster | undefined;
  let dir: string;
  beforeAll(async () => {
    pg = await startPgCluster();
    dir = makeTempDir('concurrency-pg');
    const repo = await initRepository(dir, { name: 'conc-pg', meta: pg.url, committer: 'test' });
    await repo.close();
  });
  afterAll(async () => {
    removeDir(dir);
    await pg?.stop();
  });

  it('4 processes writing and committing to main lose no acknowledged write', {
    timeout: 120_000,
  }, async () => {
    await writersLoseNothing(dir, 4, 30, 6);
  });
});
