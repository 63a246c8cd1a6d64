// peer-commit: the one-writer commit paths of this checkout against another checkout of Sluice
// (an earlier commit, in a `git worktree`), measured side by side in one run — so a change to the
// commit protocol is held to what it costs. Each round runs one worker process per checkout (the
// order alternating), each worker importing that checkout's own sources:
//   - commit: a repository of ENTRIES entries, then COMMITS commits of 1,000 new files of one
//     table partition each (staged straight into the MetaStore, as commit-diff does) — the
//     median commit time of the worker;
//   - import: FILES small files into a fresh repository with one putObjects and one commit (as
//     import's library path does) — putObjects + commit, and the commit alone.
// Prints, per figure, the median over the rounds for each checkout, the spread (min–max of the
// rounds) and the ratio this / peer. Keep both checkouts on one filesystem (both under /tmp, say):
// on our shared machine one commit measured 1.4-1.7× its peer from /work and 0.6-0.9× from /tmp.
//
//   git worktree add --detach /tmp/sluice-peer <commit>   (and /tmp/sluice-this HEAD)
//   ln -s "$PWD/node_modules" /tmp/sluice-peer/node_modules   (the same for /tmp/sluice-this)
//   npx tsx bench/peer-commit.ts --peer /tmp/sluice-peer --this /tmp/sluice-this [--rounds 7]
//     [--entries 200000] [--files 20000] [--commits 10]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const HERE = resolve(import.meta.dirname, '..');

interface Figures {
  commitMs: number;
  importMs: number;
  importCommitMs: number;
}

const { values } = parseArgs({
  options: {
    peer: { type: 'string' },
    /** The checkout measured against the peer (default: this one). */
    this: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    entries: { type: 'string', default: '200000' },
    files: { type: 'string', default: '20000' },
    commits: { type: 'string', default: '10' },
    worker: { type: 'string' },
  },
});
const sizes = {
  entries: Number(values.entries),
  files: Number(values.files),
  commits: Number(values.commits),
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** One worker: the figures of the checkout at `root`. */
async function worker(root: string): Promise<Figures> {
  const { Repository } = await import(join(root, 'src/core/repository.ts'));
  const { openMetaStore } = await import(join(root, 'src/meta/open-meta.ts'));
  const { LocalFsStore } = await import(join(root, 'src/storage/local-fs-store.ts'));
  const tmp = mkdtempSync(join(tmpdir(), 'sluice-peer-commit-'));
  const open = async (name: string) => {
    mkdirSync(join(tmp, name), { recursive: true });
    const meta = await openMetaStore(`sqlite:${join(tmp, name, 'meta.db')}`);
    const store = new LocalFsStore(join(tmp, name, 'objects'));
    const repo = await Repository.init(meta, store, { name, committer: 'bench' });
    const close = async (): Promise<void> => {
      await meta.close();
      await store.close();
    };
    return { repo, close };
  };
  try {
    // commit: a big repository, then commits of 1,000 new files each.
    const big = await open('big');
    const blob = await big.repo.putObject('main', 'blob.parquet', new Uint8Array(1000).fill(7));
    const value = {
      address: blob.address,
      size: blob.size,
      checksum: blob.checksum,
      contentType: blob.contentType,
      metadata: {},
    };
    const pathOf = (t: number, p: number, f: number) =>
      `tables/t${String(t).padStart(3, '0')}/part=${String(p).padStart(5, '0')}/f-${String(f).padStart(6, '0')}.parquet`;
    for (let i = 0; i < sizes.entries; i += 50_000) {
      const changes = [];
      for (let k = i; k < Math.min(sizes.entries, i + 50_000); k++)
        changes.push({ path: pathOf(k % 100, Math.floor(k / 1000), k), value });
      await big.repo.meta.stage(big.repo.name, 'main', changes);
    }
    await big.repo.commit('main', { message: 'base' });
    const commits: number[] = [];
    for (let c = 0; c < sizes.commits; c++) {
      const changes = Array.from({ length: 1000 }, (_, f) => ({
        path: pathOf(50, 90_000 + c, f),
        value,
      }));
      await big.repo.meta.stage(big.repo.name, 'main', changes);
      const t0 = performance.now();
      await big.repo.commit('main', { message: `commit ${c}` });
      commits.push(performance.now() - t0);
    }
    await big.close();
    // import: small files, one putObjects, one commit.
    const imp = await open('import');
    const items = Array.from({ length: sizes.files }, (_, i) => ({
      path: `raw/d${i % 100}/file-${i}.csv`,
      body: Buffer.from(`id,value\n${i},${'x'.repeat(i % 200)}\n`),
    }));
    const t0 = performance.now();
    await imp.repo.putObjects('main', items);
    const t1 = performance.now();
    await imp.repo.commit('main', { message: 'import' });
    const t2 = performance.now();
    await imp.close();
    return { commitMs: median(commits), importMs: t2 - t0, importCommitMs: t2 - t1 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function runWorker(root: string): Figures {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(HERE, 'bench', 'peer-commit.ts'),
      '--worker',
      root,
      '--entries',
      String(sizes.entries),
      '--files',
      String(sizes.files),
      '--commits',
      String(sizes.commits),
    ],
    { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Figures;
}

async function main(): Promise<void> {
  if (values.worker) {
    process.stdout.write(`${JSON.stringify(await worker(resolve(values.worker)))}\n`);
    return;
  }
  if (!values.peer) throw new Error('usage: bench/peer-commit.ts --peer DIR [--rounds N] …');
  const peer = resolve(values.peer);
  const self = resolve(values.this ?? HERE);
  const rounds = Number(values.rounds);
  const got: Record<'this' | 'peer', Figures[]> = { this: [], peer: [] };
  for (let r = 0; r < rounds; r++) {
    const order: ('this' | 'peer')[] = r % 2 ? ['peer', 'this'] : ['this', 'peer'];
    for (const side of order) got[side].push(runWorker(side === 'this' ? self : peer));
    console.error(`round ${r + 1}/${rounds}: this ${JSON.stringify(got.this.at(-1))}`);
    console.error(`             peer ${JSON.stringify(got.peer.at(-1))}`);
  }
  const fmt = (xs: number[]) =>
    `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
  console.log(
    `peer-commit, SQLite, ${rounds} rounds; this = ${self}, peer = ${peer}\n` +
      `entries ${sizes.entries}, ${sizes.commits} commits of 1,000 files; import of ${sizes.files} files\n`,
  );
  console.log(
    ['figure', 'this: median (min–max)', 'peer: median (min–max)', 'this / peer'].join(' | '),
  );
  for (const [key, label] of [
    ['commitMs', 'commit of 1,000 changes'],
    ['importMs', 'import: putObjects + commit'],
    ['importCommitMs', 'import: the commit'],
  ] as const) {
    const a = got.this.map((f) => f[key]);
    const b = got.peer.map((f) => f[key]);
    console.log([label, fmt(a), fmt(b), `${(median(a) / median(b)).toFixed(3)}×`].join(' | '));
  }
}

await main();
