// A child process for the engine's crash and concurrency tests (test/engine/), run with
// `node --import tsx test/support/engine-worker.ts <mode> …`. It talks to the parent through
// stdout lines, written synchronously (stdout is a pipe), so a line printed is a line received
// even if the process is SIGKILLed right after.
//
//   crash <repoDir> <seed> <incarnation> [rounds]
//       Waits for a line `GO` on stdin (so the parent can start it ahead of time), then forever
//       (or for [rounds] rounds): put a few objects on main and commit; now and then branch, commit there, maybe
//       commit on main too, and merge the branch into main. After each acknowledged commit or
//       merge: `ACK <branch> <commitId> <path=content …>` (the full content it expects there).
//   writer <repoDir> <id> <paths> <rounds> <startAt>
//       Writes <paths> distinct paths `w<id>/p<j>` over <rounds> rounds, committing main after each
//       round: `PUT <path> <content>` after each put returns, `COMMIT ok <commitId>` or
//       `COMMIT <ErrorCode>` after each commit.
//   merge <repoDir> <source> <dest> <startAt>
//       Merges source into dest: `MERGED <commitId>` (exit 0), or `REFUSED <ErrorCode>` (exit 3).
import { openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';

const [mode, ...args] = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'Error';
}

/** mulberry32: a seeded PRNG so a crash run is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function waitUntil(startAt: number): Promise<void> {
  const ms = startAt - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** What a branch shows (through staging): path → content. */
async function visible(repo: Repository, ref: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const item of repo.list(ref)) {
    if (item.type !== 'object') continue;
    out.set(
      item.entry.path,
      Buffer.from(await repo.getObject(ref, item.entry.path)).toString('utf8'),
    );
  }
  return out;
}

const show = (m: Map<string, string>): string =>
  [...m]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([p, c]) => `${p}=${c}`)
    .join(' ');

/** Resolves when stdin delivers a line `GO`. */
function go(): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (s: string) => {
      buffered += s;
      if (buffered.includes('GO\n')) {
        process.stdin.destroy();
        resolve();
      }
    });
    process.stdin.on('end', () => reject(new Error('stdin closed before GO')));
  });
}

async function crash(
  dir: string,
  seed: number,
  incarnation: number,
  rounds: number,
): Promise<void> {
  await go();
  const rand = prng(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  const repo = await openRepository(dir, { committer: `crash-${incarnation}` });
  // Whatever a killed predecessor left staged (or sealed) is committed by the next commit, so the
  // expected content starts from what main shows now, not from its head.
  const main = await visible(repo, 'main');
  let counter = 0;
  const content = (): string => `i${incarnation}c${counter++}`;
  /** Puts a few objects (new or overwritten paths) and deletes one now and then. */
  const change = async (
    branch: string,
    model: Map<string, string>,
    dirName: string,
  ): Promise<void> => {
    const items = Array.from({ length: 1 + pick(3) }, () => ({
      path: `${dirName}/f${pick(12)}`,
      value: content(),
    }));
    const unique = new Map(items.map((i) => [i.path, i.value]));
    await repo.putObjects(
      branch,
      [...unique].map(([path, value]) => ({ path, body: Buffer.from(value) })),
    );
    for (const [p, v] of unique) model.set(p, v);
    const existing = [...model.keys()].filter((p) => p.startsWith(`${dirName}/`) && !unique.has(p));
    if (existing.length > 0 && pick(4) === 0) {
      const victim = existing[pick(existing.length)] as string;
      await repo.deleteObjects(branch, [victim]);
      model.delete(victim);
    }
  };
  const commit = async (branch: string, model: Map<string, string>): Promise<void> => {
    const c = await repo.commit(branch, { message: `crash ${incarnation}/${counter}` });
    say(`ACK ${branch} ${c.id} ${show(model)}`);
  };
  let status = 0;
  for await (const _ of repo.status('main')) status++;
  if (status > 0) await commit('main', main);
  say('READY');
  for (let round = 0; round < rounds; round++) {
    if (pick(3) > 0) {
      await change('main', main, `m${pick(3)}`);
      await commit('main', main);
      continue;
    }
    const branch = `w-${incarnation}-${round}`;
    await repo.createBranch(branch, { from: 'main' });
    const side = new Map(main);
    await change(branch, side, `s${incarnation}-${round}`);
    await commit(branch, side);
    if (pick(2) === 0) {
      await change('main', main, `m${pick(3)}`);
      await commit('main', main);
    }
    // The branch only touched its own directory, so the merge cannot conflict.
    const merged = new Map(main);
    for (const [p, v] of side) if (p.startsWith(`s${incarnation}-${round}/`)) merged.set(p, v);
    const res = await repo.merge(branch, 'main', { noFastForward: pick(2) === 0 });
    if (!res.commit) throw new Error(`merge of ${branch} changed nothing`);
    for (const [p, v] of merged) main.set(p, v);
    say(`ACK main ${res.commit.id} ${show(main)}`);
  }
  await repo.close();
}

async function writer(
  dir: string,
  id: string,
  paths: number,
  rounds: number,
  startAt: number,
): Promise<void> {
  const repo = await openRepository(dir, { committer: `writer-${id}` });
  await waitUntil(startAt);
  const perRound = Math.ceil(paths / rounds);
  for (let j = 0; j < paths; ) {
    for (const end = Math.min(paths, j + perRound); j < end; j++) {
      const path = `w${id}/p${j}`;
      const value = `writer ${id} path ${j}`;
      await repo.putObject('main', path, Buffer.from(value));
      say(`PUT ${path} ${value.replaceAll(' ', '_')}`);
    }
    try {
      const c = await repo.commit('main', { message: `writer ${id} round ${j}` });
      say(`COMMIT ok ${c.id}`);
    } catch (err) {
      say(`COMMIT ${codeOf(err)} ${(err as Error).message.replaceAll('\n', ' ')}`);
    }
  }
  await repo.close();
}

async function merge(dir: string, source: string, dest: string, startAt: number): Promise<void> {
  const repo = await openRepository(dir, { committer: `merge-${source}` });
  await waitUntil(startAt);
  try {
    const res = await repo.merge(source, dest);
    say(`MERGED ${res.commit?.id ?? 'up-to-date'}`);
  } catch (err) {
    say(`REFUSED ${codeOf(err)} ${(err as Error).message.replaceAll('\n', ' ')}`);
    process.exitCode = 3;
  } finally {
    await repo.close();
  }
}

try {
  if (mode === 'crash') {
    await crash(
      args[0] as string,
      Number(args[1]),
      Number(args[2]),
      Number(args[3] ?? Number.POSITIVE_INFINITY),
    );
  } else if (mode === 'writer') {
    await writer(
      args[0] as string,
      args[1] as string,
      Number(args[2]),
      Number(args[3]),
      Number(args[4]),
    );
  } else if (mode === 'merge')
    await merge(args[0] as string, args[1] as string, args[2] as string, Number(args[3]));
  else throw new Error(`unknown mode ${mode}`);
} catch (err) {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
