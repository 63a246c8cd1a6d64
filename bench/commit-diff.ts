// commit-diff: a commit's cost should follow the change, not the repository, and a diff should
// skip every shared subtree. Commit of 1,000 changes and diff of two commits 100 changes apart,
// on a 1,000,000-entry vs a 10,000-entry repository, for changes clustered under one prefix (a
// table's new files) and changes scattered uniformly over the whole key space.
import type { CommitId } from '../src/common/ids.js';
import type { Repository } from '../src/core/repository.js';
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  type BigRepo,
  countStoreIo,
  describeBackend,
  FIXTURE_NOTE,
  fmtInt,
  fmtIo,
  fmtMs,
  fmtRatio,
  fmtStats,
  log,
  META_LABEL,
  type MetaKind,
  makeChanges,
  now,
  repoSizes,
  SCENARIO_LABEL,
  type Scenario,
  type Stats,
  type StoreIo,
  setupTable,
  stats,
} from './support.js';

const SCENARIOS: Scenario[] = ['clustered', 'scattered'];
let series = 0;

interface Figures {
  commit: Stats;
  stage: Stats;
  diffCold: Stats;
  diffWarm: Stats;
  commitIo: StoreIo[];
  diffIo: StoreIo[];
}

async function countDiff(repo: Repository, left: string, right: string): Promise<number> {
  let n = 0;
  for await (const _ of repo.diff(left, right)) n++;
  return n;
}

/** Commit runs, then one commit of `diffSize` changes diffed against its parent. */
async function measure(
  env: BenchEnv,
  bigs: BigRepo[],
  scenario: Scenario,
  p: { runs: number; changes: number; diffSize: number; diffRuns: number; warmRuns: number },
): Promise<Map<BigRepo, Figures>> {
  const s = ++series;
  const branch = `cd-${scenario}-${s}`;
  const commitMs = new Map<BigRepo, number[]>(bigs.map((b) => [b, []]));
  const stageMs = new Map<BigRepo, number[]>(bigs.map((b) => [b, []]));
  const commitIo = new Map<BigRepo, StoreIo[]>(bigs.map((b) => [b, []]));
  for (const b of bigs) await b.repo.createBranch(branch);
  for (let r = 0; r < p.runs; r++) {
    for (const b of bigs) {
      const changes = makeChanges(b, scenario, p.changes);
      const t0 = now();
      await b.repo.meta.stage(b.repo.name, branch, changes);
      stageMs.get(b)?.push(now() - t0);
      // A fresh handle, as a `sluice commit` process would have: empty node and commit caches.
      await env.withFreshHandle(b.dir, async (repo) => {
        const io = countStoreIo(repo);
        const t = now();
        await repo.commit(branch, { message: `run ${r}` });
        commitMs.get(b)?.push(now() - t);
        commitIo.get(b)?.push(io.done());
      });
    }
  }
  const out = new Map<BigRepo, Figures>();
  for (const b of bigs) {
    await b.repo.meta.stage(b.repo.name, branch, makeChanges(b, scenario, p.diffSize));
    const right = (await b.repo.commit(branch, { message: 'diff target' })).id;
    const left = (await b.repo.getCommit(`${right}~1`)).id as CommitId;
    const cold: number[] = [];
    const diffIo: StoreIo[] = [];
    for (let r = 0; r < p.diffRuns; r++) {
      await env.withFreshHandle(b.dir, async (repo) => {
        const io = countStoreIo(repo);
        const t = now();
        const n = await countDiff(repo, left, right);
        cold.push(now() - t);
        diffIo.push(io.done());
        if (n !== p.diffSize) throw new Error(`diff found ${n} changes, expected ${p.diffSize}`);
      });
    }
    const warm: number[] = [];
    await env.withFreshHandle(b.dir, async (repo) => {
      await countDiff(repo, left, right);
      for (let r = 0; r < p.warmRuns; r++) {
        const t = now();
        await countDiff(repo, left, right);
        warm.push(now() - t);
      }
    });
    out.set(b, {
      commit: stats(commitMs.get(b) ?? []),
      stage: stats(stageMs.get(b) ?? []),
      diffCold: stats(cold),
      diffWarm: stats(warm),
      commitIo: commitIo.get(b) ?? [],
      diffIo,
    });
  }
  return out;
}

export const commitDiffBench: Benchmark = {
  name: 'commit-diff',
  description: 'commit of 1,000 changes and diff of 100 on 1,000,000 vs 10,000 entries',
  async run(env) {
    const sizes = repoSizes(env);
    const p = env.quick
      ? { runs: 3, changes: 100, diffSize: 20, diffRuns: 3, warmRuns: 5 }
      : { runs: 7, changes: 1000, diffSize: 100, diffRuns: 7, warmRuns: 20 };
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    const fixtures: BigRepo[] = [];
    for (const kind of env.metas as MetaKind[]) {
      const small = await env.bigRepo(kind, sizes.small);
      const big = await env.bigRepo(kind, sizes.big);
      fixtures.push(big, small);
      for (const scenario of SCENARIOS) {
        await env.quiesce(big);
        log(
          `${META_LABEL[kind]}, ${scenario}: ${p.runs} commits of ${p.changes} changes, diffs of ${p.diffSize}`,
        );
        const m = await measure(env, [small, big], scenario, p);
        const fs = m.get(small) as Figures;
        const fb = m.get(big) as Figures;
        const row = (
          op: string,
          pick: (f: Figures) => Stats,
          io?: (f: Figures) => StoreIo[],
        ): string[] => [
          META_LABEL[kind],
          scenario,
          op,
          fmtStats(pick(fs)),
          fmtStats(pick(fb)),
          fmtRatio(pick(fb).median / pick(fs).median),
          io ? `${fmtIo(io(fs))} → ${fmtIo(io(fb))}` : '',
        ];
        rows.push(
          row(
            `commit of ${fmtInt(p.changes)} changes (fresh handle)`,
            (f) => f.commit,
            (f) => f.commitIo,
          ),
          row(
            `diff, ${p.diffSize} changes (fresh handle)`,
            (f) => f.diffCold,
            (f) => f.diffIo,
          ),
          row(`diff, ${p.diffSize} changes (warm handle)`, (f) => f.diffWarm),
          row(`(not in target) meta.stage of ${fmtInt(p.changes)} changes`, (f) => f.stage),
        );
        const ratio = fb.commit.median / fs.commit.median;
        targets.push({
          target: `commit on ${fmtInt(sizes.big)} within 2× of ${fmtInt(sizes.small)} — ${SCENARIO_LABEL[scenario]}`,
          backend: META_LABEL[kind],
          measured: `${fmtMs(fb.commit.median)} vs ${fmtMs(fs.commit.median)}: ${fmtRatio(ratio)}`,
          pass: ratio <= 2,
        });
        for (const [label, st] of [
          [`${fmtInt(sizes.small)} (fresh handle)`, fs.diffCold],
          [`${fmtInt(sizes.big)} (fresh handle)`, fb.diffCold],
          [`${fmtInt(sizes.big)} (warm handle)`, fb.diffWarm],
        ] as const) {
          targets.push({
            target: `diff ≤ 50 ms on ${label} — ${SCENARIO_LABEL[scenario]}`,
            backend: META_LABEL[kind],
            measured: fmtMs(st.median),
            pass: st.median <= 50,
          });
        }
      }
    }
    const results: Table = {
      title: 'Medians (p90, number of runs)',
      columns: [
        'Backend',
        'Scenario',
        'Operation',
        `${fmtInt(sizes.small)} entries`,
        `${fmtInt(sizes.big)} entries`,
        'Ratio',
        `Tree nodes read / written, ${fmtInt(sizes.small)} → ${fmtInt(sizes.big)}`,
      ],
      rows,
    };
    return {
      name: 'commit-diff',
      title: `Commit of ${fmtInt(p.changes)} changes and diff of ${p.diffSize} on ${fmtInt(sizes.big)} vs ${fmtInt(sizes.small)} entries`,
      summary:
        `Each run stages ${fmtInt(p.changes)} changes on a branch off main with \`repo.meta.stage\` ` +
        '(not timed in the target) and times `repo.commit` on a freshly opened handle (empty node ' +
        `cache, as a CLI process has; the OS page cache is warm). Then one more commit of ` +
        `${p.diffSize} changes is diffed against its parent with \`for await\` over \`repo.diff\`, ` +
        'on fresh handles and on one warm handle. Clustered: new files of one new date partition ' +
        'of one table. Scattered: existing entries at uniformly random keys pointed at another blob.',
      setup: [
        `Commit runs per scenario and size: ${p.runs}; diff runs: ${p.diffRuns} fresh, ${p.warmRuns} warm`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
        FIXTURE_NOTE,
      ],
      tables: [results, setupTable(fixtures)],
      targets,
      notes: [],
    } satisfies BenchReport;
  },
};
