// Crash safety: a child process commits and merges in a loop on a directory repository (SQLite +
// local fs) and is SIGKILLed at a random moment, again and again on the same repository. After
// every kill: fsck is clean, each branch head is the last acknowledged commit or the one commit
// that was in flight on top of it, every acknowledged commit is intact (its content is what the
// child expected) and still in its branch's history, and every path of main reads back.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import { hashBlob } from '../../src/common/hash.js';
import type { Repository } from '../../src/core/repository.js';
import {
  collect,
  enc,
  listTree,
  makeTempDir,
  prng,
  readTree,
  removeDir,
  spawnWorker,
  testSeed,
  waitForWorker,
} from './support.js';

const KILLS = Number(process.env.SLUICE_CRASH_KILLS ?? 24);

interface Ack {
  incarnation: number;
  branch: string;
  commit: string;
  content: Record<string, string>;
}

function parseAcks(stdout: string, incarnation: number): Ack[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1); // a torn last line is not an ACK
  const acks: Ack[] = [];
  for (const line of complete.split('\n')) {
    const [tag, branch, commit, ...pairs] = line.split(' ').filter((s) => s !== '');
    if (tag !== 'ACK' || !branch || !commit) continue;
    const content: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      content[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    acks.push({ incarnation, branch, commit, content });
  }
  return acks;
}

/** ACKs whose content was read back already (re-read only at the end, after gc). */
const contentChecked = new WeakSet<Ack>();

async function ancestorsOf(repo: Repository, ref: string): Promise<Set<string>> {
  return new Set((await collect(repo.log(ref))).map((c) => c.id));
}

/**
 * Checks the repository against what was acknowledged; `known` maps each branch to the head it
 * had when last observed or acknowledged, and is updated to the heads found now.
 */
async function verify(
  dir: string,
  acks: Ack[],
  known: Map<string, string>,
  when: string,
  opts: { allContent?: boolean } = {},
): Promise<void> {
  const repo = await openRepository(dir);
  try {
    const report = await repo.fsck();
    expect(report.problems, `fsck ${when}`).toEqual([]);
    expect(report.ok).toBe(true);
    const heads = new Map((await collect(repo.listBranches())).map((b) => [b.name, b.head]));
    for (const [branch, expected] of known) {
      const head = heads.get(branch);
      expect(head, `branch ${branch} ${when}`).toBeDefined();
      if (head === expected) continue;
      // One commit (or merge) was in flight when the process died: it may have landed, on top of
      // the last acknowledged head and nothing else.
      const parents = (await repo.getCommit(head as string)).parents;
      expect(
        parents[0],
        `head ${head} of ${branch} ${when}: not ${expected} nor a child of it`,
      ).toBe(expected);
    }
    const history = new Map<string, Set<string>>();
    for (const ack of acks) {
      const head = heads.get(ack.branch);
      if (head !== ack.commit) {
        let ancestors = history.get(ack.branch);
        if (!ancestors) {
          ancestors = await ancestorsOf(repo, ack.branch);
          history.set(ack.branch, ancestors);
        }
        expect(
          ancestors.has(ack.commit),
          `acknowledged ${ack.branch} ${ack.commit} lost ${when}`,
        ).toBe(true);
      }
      if (opts.allContent || !contentChecked.has(ack)) {
        // Addresses name the content (and fsck has read and hashed every reachable object).
        const listed = Object.fromEntries(
          [...(await listTree(repo, ack.commit))].map(([p, e]) => [p, e.address]),
        );
        const expected = Object.fromEntries(
          Object.entries(ack.content).map(([p, c]) => [p, hashBlob(enc(c)).address]),
        );
        expect(listed, `content of acknowledged ${ack.commit} ${when}`).toEqual(expected);
        contentChecked.add(ack);
      }
    }
    // Every path of main reads back (also whatever an unacknowledged commit brought).
    const mainHead = heads.get('main') as string;
    await readTree(repo, mainHead);
    await readTree(repo, 'main');
    for (const [branch, head] of heads) known.set(branch, head);
  } finally {
    await repo.close();
  }
}

describe('crash safety (SIGKILL, SQLite + local fs)', () => {
  it(`survives ${KILLS} kills at random moments without losing an acknowledged commit`, {
    timeout: 240_000,
  }, async () => {
    const seed = testSeed('crash-safety');
    const rand = prng(seed);
    const dir = makeTempDir('crash');
    const started = Date.now();
    const children = new Set<ChildProcess>();
    try {
      const created = await initRepository(dir, { name: 'crash', committer: 'test' });
      await created.close();
      const acks: Ack[] = [];
      const known = new Map<string, string>();
      let killedMidWork = 0;
      // Each worker is started one round ahead (loading the code takes a while) and told to go
      // once the previous one is dead and checked.
      const launch = (k: number, rounds?: number) => {
        const child = spawnWorker([
          'crash',
          dir,
          String(seed + k),
          String(k),
          ...(rounds ? [String(rounds)] : []),
        ]);
        children.add(child);
        return { child, exited: waitForWorker(child) };
      };
      let next = launch(1);
      for (let k = 1; k <= KILLS; k++) {
        const { child, exited } = next;
        let output = '';
        const ready = new Promise<void>((resolve) => {
          child.stdout?.on('data', (s: string) => {
            output += s;
            if (output.includes('READY\n')) resolve();
          });
        });
        child.stdin?.end('GO\n');
        const first = await Promise.race([
          ready.then(() => 'ready'),
          exited.then(() => 'exited'),
          sleep(60_000).then(() => 'timeout'),
        ]);
        if (first === 'timeout')
          throw new Error(`worker ${k} did not get ready within 60 s: ${output}`);
        if (first === 'ready') {
          await sleep(30 + Math.floor(rand() * 370));
          child.kill('SIGKILL');
        }
        const res = await exited;
        next = k < KILLS ? launch(k + 1) : launch(k + 1, 6);
        expect(res.signal, `worker ${k} died on its own (exit ${res.code}): ${res.stderr}`).toBe(
          'SIGKILL',
        );
        const mine = parseAcks(res.stdout, k);
        if (mine.length > 0) killedMidWork++;
        for (const ack of mine) known.set(ack.branch, ack.commit);
        acks.push(...mine);
        await verify(dir, acks, known, `after kill ${k} (seed ${seed})`);
      }
      // Work went on between the kills, and the repository is still fully usable afterwards.
      expect(killedMidWork).toBeGreaterThan(KILLS / 2);
      expect(acks.length).toBeGreaterThan(KILLS);
      next.child.stdin?.end('GO\n');
      const finalRun = await Promise.race([next.exited, sleep(60_000).then(() => undefined)]);
      if (!finalRun) throw new Error('the last worker did not finish its 6 rounds within 60 s');
      expect(finalRun.code, finalRun.stderr).toBe(0);
      const last = parseAcks(finalRun.stdout, KILLS + 1);
      for (const ack of last) known.set(ack.branch, ack.commit);
      acks.push(...last);
      await verify(dir, acks, known, 'after a clean run');
      // GC removes what the crashes left behind, and nothing that is still needed.
      const repo = await openRepository(dir);
      try {
        await repo.gc({ retentionDays: 0, graceMs: 0 });
      } finally {
        await repo.close();
      }
      await verify(dir, acks, known, 'after gc', { allContent: true });
      console.log(
        `[crash-safety] ${KILLS} kills, ${acks.length} acknowledged commits, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      removeDir(dir);
    }
  });
});
