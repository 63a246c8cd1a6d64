// A child process for the crash matrix (test/reliability/crash-matrix.test.ts), run with
// `node --import tsx test/support/crash-worker.ts <mode> <repoDir> <seed> <incarnation>`. It
// prints READY once loaded, waits for `GO` on stdin, then works in a loop until it is killed,
// printing one line per acknowledged operation — synchronously, so a line printed is a line the
// parent receives even when the process is SIGKILLed right after.
//
//   ingest   append a batch of 25 rows (ids unique to this incarnation and round) to table `t`
//            on main and commit it: `ACK <commit> <first id> <rows>`
//   build    rewrite the seed `nums` with <round> rows and build the tiny project on main (the
//            model `total` counts the seed): `ACK <landed commit or -> <round>`
//   gc       put a file and commit, remove it and commit, and every third round collect garbage
//            with no retention: `ACK <commit> <path>=<content>` for what main holds after it
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { buildProject } from '../../src/pipeline/build.js';
import { ingest } from '../../src/tables/ingest.js';

const [mode, dir, seedText, incarnationText] = process.argv.slice(2);
const seed = Number(seedText);
const incarnation = Number(incarnationText);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function waitForGo(): Promise<void> {
  say('READY');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (s: string) => {
      input += s;
      if (input.includes('GO')) resolve();
    });
  });
}

/** Batches of rows whose ids say which incarnation and round wrote them. */
async function ingestLoop(repo: Repository, work: string): Promise<never> {
  for (let round = 0; ; round++) {
    const first = (incarnation * 10_000 + round) * 100;
    const rows = 25;
    const file = join(work, `batch-${incarnation}-${round}.csv`);
    const lines = ['id,seed,label'];
    for (let j = 0; j < rows; j++) lines.push(`${first + j},${seed},row ${first + j}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await ingest(repo, file, {
      table: 't',
      mode: 'append',
      commit: { message: `batch ${first}` },
    });
    say(`ACK ${r.commit?.id ?? '-'} ${first} ${rows}`);
  }
}

/** The project: a seed of n numbers and a model counting them (one commit lands both). */
async function buildLoop(repo: Repository, project: string): Promise<never> {
  for (let round = 1; ; round++) {
    const n = ((incarnation * 7 + round) % 40) + 1;
    writeFileSync(
      join(project, 'seeds', 'nums.csv'),
      `n\n${Array.from({ length: n }, (_, i) => i).join('\n')}\n`,
    );
    const out = await buildProject(repo, project, { artifacts: false, lineage: false });
    say(`ACK ${out.landed?.id ?? '-'} ${n}`);
  }
}

async function gcLoop(repo: Repository): Promise<never> {
  for (let round = 0; ; round++) {
    const path = `g/${incarnation}-${round}.txt`;
    const content = `${seed}:${incarnation}:${round}:${'x'.repeat(round % 5000)}`;
    await repo.putObject('main', path, Buffer.from(content));
    const put = await repo.commit('main', { message: `put ${path}` });
    say(`ACK ${put.id} ${path}=${content}`);
    await repo.deleteObjects('main', [path]);
    const removed = await repo.commit('main', { message: `remove ${path}` });
    say(`ACK ${removed.id} -`);
    if (round % 3 === 2) await repo.gc({ retentionDays: 0, graceMs: 0 });
  }
}

async function main(): Promise<void> {
  if (!mode || !dir) throw new Error('usage: crash-worker <mode> <repoDir> <seed> <incarnation>');
  const repo = await openRepository(dir);
  await waitForGo();
  if (mode === 'ingest') await ingestLoop(repo, join(dir, '..'));
  else if (mode === 'build') await buildLoop(repo, dir);
  else if (mode === 'gc') await gcLoop(repo);
  else throw new Error(`unknown mode ${mode}`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
