// The workflow event log on a real (embedded) repository: typed events in and out, the refs/data
// split, the actor default, validation, filters, durations for --since, what a deploy brings
// (newLoads, from commit ancestry), and appends from several processes at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import { InvalidArgumentError } from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import {
  defaultActor,
  type LoadEvent,
  listEvents,
  newLoads,
  parseDuration,
  parseSince,
  recordEvent,
  type StoredEvent,
} from '../../src/workflow/events/index.js';

let dir: string;
let repo: Repository;
const savedEnv = { actor: process.env.SLUICE_ACTOR, user: process.env.SLUICE_USER };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-events-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [
    ['SLUICE_ACTOR', savedEnv.actor],
    ['SLUICE_USER', savedEnv.user],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const loadEvent = (runId: string, extra: Partial<LoadEvent> = {}): LoadEvent => ({
  type: 'load',
  ingestor: 'orders',
  runId,
  branch: `ingest/orders/${runId}`,
  target: 'main',
  outcome: 'success',
  ...extra,
});

describe('recordEvent and listEvents', () => {
  it('stores a typed event and reads it back the same, refs and data split in the store', async () => {
    const stored = await recordEvent(repo, {
      type: 'deploy',
      environment: 'production',
      deployId: 'dep-1',
      colour: 'green',
      commit: 'abc',
      fromCommit: 'def',
      smoke: 'pass',
      loads: [
        { runId: 'r1', ingestor: 'orders', commit: 'c1', committedAt: '2024-05-01T00:00:00.000Z' },
      ],
      outcome: 'success',
      actor: 'deployer',
      time: '2024-05-02T10:00:00.123Z',
    });
    expect(stored).toEqual({
      id: 1,
      time: '2024-05-02T10:00:00.123Z',
      type: 'deploy',
      outcome: 'success',
      actor: 'deployer',
      environment: 'production',
      deployId: 'dep-1',
      colour: 'green',
      commit: 'abc',
      fromCommit: 'def',
      smoke: 'pass',
      loads: [
        { runId: 'r1', ingestor: 'orders', commit: 'c1', committedAt: '2024-05-01T00:00:00.000Z' },
      ],
    });
    expect(await collect(listEvents(repo))).toEqual([stored]);
    const [raw] = await collect(repo.meta.listEvents(repo.name));
    expect(raw?.refs).toEqual({
      environment: 'production',
      deployId: 'dep-1',
      colour: 'green',
      commit: 'abc',
      fromCommit: 'def',
    });
    expect(Object.keys(raw?.data ?? {}).sort()).toEqual(['loads', 'smoke']);
  });

  it('defaults the time to now and the actor to $SLUICE_ACTOR, $SLUICE_USER, the OS user', async () => {
    process.env.SLUICE_ACTOR = 'ci-bot';
    const before = Date.now();
    const a = await recordEvent(repo, loadEvent('r1'));
    expect(a.actor).toBe('ci-bot');
    expect(Date.parse(a.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(a.time)).toBeLessThanOrEqual(Date.now());
    delete process.env.SLUICE_ACTOR;
    process.env.SLUICE_USER = 'ana';
    expect((await recordEvent(repo, loadEvent('r2'))).actor).toBe('ana');
    delete process.env.SLUICE_USER;
    expect(defaultActor()).toBe(userInfo().username);
    expect((await recordEvent(repo, loadEvent('r3'))).id).toBe(3);
  });

  it('refuses an unknown type or outcome and an invalid time, appending nothing', async () => {
    const bad = [
      { ...loadEvent('r1'), type: 'launch' },
      { ...loadEvent('r1'), outcome: 'great' },
      loadEvent('r1', { time: 'yesterday' }),
      loadEvent('r1', { time: new Date(Number.NaN) }),
    ];
    for (const e of bad) {
      await expect(recordEvent(repo, e as LoadEvent)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(await collect(repo.meta.listEvents(repo.name))).toEqual([]);
  });

  it('filters by type, time and id, newest first on request; unknown kinds are left out', async () => {
    const t = (h: number): string => new Date(Date.UTC(2024, 4, 1, h)).toISOString();
    await recordEvent(repo, loadEvent('r1', { time: t(1) }));
    await recordEvent(repo, {
      type: 'merge',
      source: 'ingest/orders/r1',
      destination: 'main',
      outcome: 'success',
      time: t(2),
    });
    // Written by a newer version: a kind this one does not know.
    await repo.meta.appendEvent(repo.name, {
      type: 'sandbox',
      actor: 'x',
      outcome: 'success',
      time: new Date(t(3)),
    });
    await recordEvent(repo, {
      type: 'alert',
      sink: 'slack',
      attempt: 2,
      status: 500,
      outcome: 'failure',
      time: t(4),
    });
    const ids = async (f: Parameters<typeof listEvents>[1]): Promise<number[]> =>
      (await collect(listEvents(repo, f))).map((e) => e.id);
    expect(await ids({})).toEqual([1, 2, 4]);
    expect(await ids({ types: ['load', 'alert'] })).toEqual([1, 4]);
    expect(await ids({ since: new Date(t(2)) })).toEqual([2, 4]);
    expect(await ids({ until: new Date(t(2)) })).toEqual([1]);
    expect(await ids({ order: 'desc', limit: 2 })).toEqual([4, 2]);
    expect(await ids({ afterId: 1 })).toEqual([2, 4]);
    const [alert] = await collect(listEvents(repo, { types: ['alert'] }));
    expect(alert).toMatchObject({ type: 'alert', sink: 'slack', attempt: 2, status: 500 });
  });
});

describe('durations and --since', () => {
  const now = new Date('2024-05-10T12:00:00.000Z');

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('500ms')).toBe(500);
    for (const bad of ['', '7', 'd', '7 d', '-7d', '7y', '1.5h']) {
      expect(() => parseDuration(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('reads --since as a duration back from now or an ISO time', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2024-05-03T12:00:00.000Z');
    expect(parseSince('30m', now).toISOString()).toBe('2024-05-10T11:30:00.000Z');
    expect(parseSince('2024-05-01', now).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseSince('2024-05-01T08:30:00+02:00', now).toISOString()).toBe(
      '2024-05-01T06:30:00.000Z',
    );
    for (const bad of ['last week', '2024-13-45', '12']) {
      expect(() => parseSince(bad, now), bad).toThrow(InvalidArgumentError);
    }
    expect(() => parseSince('soon', now)).toThrow(/--since/);
  });
});

describe('newLoads: what a deploy brings', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  /** One write–audit–publish run by hand: branch, write, commit, event, merge when `merge`. */
  async function run(runId: string, opts: { merge?: boolean; from?: string } = {}) {
    const branch = `ingest/orders/${runId}`;
    await repo.createBranch(branch, { from: opts.from ?? 'main' });
    await repo.putObject(branch, `tables/orders/${runId}.parquet`, bytes(runId));
    const commit = await repo.commit(branch, { message: `load ${runId}` });
    return { branch, commit: commit.id, runId };
  }

  it('lists the successful loads in the deployed commit and not in the live one', async () => {
    const r1 = await run('r1');
    await repo.merge(r1.branch, 'main');
    const r2 = await run('r2');
    await repo.merge(r2.branch, 'main');
    const r3 = await run('r3'); // stopped by its checks: never merged
    for (const r of [r1, r2]) await recordEvent(repo, loadEvent(r.runId, { commit: r.commit }));
    await recordEvent(repo, loadEvent(r3.runId, { commit: r3.commit, outcome: 'failure' }));
    const live = (await repo.getBranch('main')).head;

    // Two runs from the same base: the second merge is a true merge commit.
    const r4 = await run('r4');
    const r5 = await run('r5');
    await repo.merge(r4.branch, 'main');
    expect((await repo.merge(r5.branch, 'main')).fastForward).toBe(false);
    for (const r of [r4, r5]) await recordEvent(repo, loadEvent(r.runId, { commit: r.commit }));
    // A failed run that was merged by hand anyway does not count as a load.
    const r6 = await run('r6');
    await repo.merge(r6.branch, 'main');
    await recordEvent(repo, loadEvent(r6.runId, { commit: r6.commit, outcome: 'failure' }));
    const head = (await repo.getBranch('main')).head;

    const runIds = (loads: { runId: string }[]): string[] => loads.map((l) => l.runId).sort();
    expect(runIds(await newLoads(repo, live))).toEqual(['r1', 'r2']);
    expect(runIds(await newLoads(repo, 'main', live))).toEqual(['r4', 'r5']);
    expect(runIds(await newLoads(repo, head))).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(await newLoads(repo, live, live)).toEqual([]);
    expect(await newLoads(repo, live, 'main')).toEqual([]); // going back brings nothing
    const [first] = await newLoads(repo, 'main', live);
    const c4 = await repo.getCommit(r4.commit);
    expect(await newLoads(repo, 'main', live)).toContainEqual({
      runId: 'r4',
      ingestor: 'orders',
      commit: r4.commit,
      committedAt: c4.createdAt.toISOString(),
    });
    expect(first?.committedAt).toBeDefined();
  });
});

/** Runs `body` (ESM) in a fresh Node process with `repo` open on `repoDir`. */
function inChild(repoDir: string, body: string): Promise<{ code: number | null; err: string }> {
  const src = (p: string): string =>
    JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src', p)).href);
  const code = `
    const { openRepository } = await import(${src('api/open-repository.ts')});
    const { recordEvent } = await import(${src('workflow/events/index.ts')});
    const repo = await openRepository(${JSON.stringify(repoDir)});
    try { ${body} } finally { await repo.close(); }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code]);
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, err }));
  });
}

describe('appends from several processes', () => {
  it('lose nothing and duplicate nothing; ids are 1…N', async () => {
    const repoDir = join(dir, 'repo');
    const each = 60;
    const writers = [1, 2, 3];
    // Everyone starts at the same moment, once the children have had time to load.
    const startAt = Date.now() + 4000;
    const waitStart = `while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 5));`;
    const [runs] = await Promise.all([
      Promise.all(
        writers.map((w) =>
          inChild(
            repoDir,
            `${waitStart} for (let i = 0; i < ${each}; i++) await recordEvent(repo, { type: 'load', ingestor: 'w${w}', runId: 'w${w}-' + i, branch: 'b', target: 'main', outcome: 'success' });`,
          ),
        ),
      ),
      // The parent appends too, through its own open repository.
      (async () => {
        while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 5));
        for (let i = 0; i < each; i++)
          await recordEvent(repo, loadEvent(`w0-${i}`, { ingestor: 'w0' }));
      })(),
    ]);
    for (const r of runs) expect(r, r.err).toMatchObject({ code: 0 });
    const reopened = await openRepository(repoDir);
    try {
      const events = (await collect(listEvents(reopened))) as (StoredEvent & LoadEvent)[];
      const total = (writers.length + 1) * each;
      expect(events.map((e) => e.id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(events.map((e) => e.runId)).size).toBe(total);
      // Each writer's own events are in the order it appended them.
      for (const w of [0, ...writers]) {
        const mine = events
          .filter((e) => e.ingestor === `w${w}`)
          .map((e) => Number(e.runId.split('-')[1]));
        expect(mine).toEqual(Array.from({ length: each }, (_, i) => i));
      }
      // The writers did race (otherwise this test would prove nothing).
      let switches = 0;
      for (let i = 1; i < events.length; i++)
        if (events[i]?.ingestor !== events[i - 1]?.ingestor) switches++;
      expect(switches).toBeGreaterThan(writers.length);
    } finally {
      await reopened.close();
    }
  });
});
