// merge: a true three-way merge on a 1,000,000-entry repository. Branches a and b each commit
// 1,000 non-conflicting changes off main; b is merged into a destination first (a fast-forward),
// then a is merged into it — the timed merge, which diffs both sides against the base and
// rebuilds only the touched parts of the destination's tree.
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type Benchmark,
  type BigRepo,
  countStoreIo,
  describeBackend,
  FIXTURE_NOTE,
  fmtInt,
  fmtIo,
  fmtMs,
  fmtStats,
  log,
  META_LABEL,
  makeChanges,
  now,
  repoSizes,
  SCENARIO_LABEL,
  type Scenario,
  type StoreIo,
  setupTable,
  stats,
} from './support.js';

const SCENARIOS: Scenario[] = ['clustered', 'scattered'];
let series = 0;

export const mergeBench: Benchmark = {
  name: 'merge',
  description: 'three-way merge of two 1,000-change branches on 1,000,000 entries',
  async run(env) {
    const sizes = repoSizes(env);
    const changes = env.quick ? 100 : 1000;
    const runs = env.quick ? 3 : 5;
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    const fixtures: BigRepo[] = [];
    for (const kind of env.metas) {
      const big = await env.bigRepo(kind, sizes.big);
      fixtures.push(big);
      const repo = big.repo;
      for (const scenario of SCENARIOS) {
        log(
          `${META_LABEL[kind]}, ${scenario}: ${runs} merges of two ${fmtInt(changes)}-change branches`,
        );
        const s = ++series;
        const [a, b] = [`mg-${s}-a`, `mg-${s}-b`];
        await repo.createBranch(a);
        await repo.createBranch(b);
        const picked = new Set<number>();
        const t = big.layout.tables;
        await repo.meta.stage(
          repo.name,
          a,
          makeChanges(big, scenario, changes, {
            table: Math.floor(t / 3),
            picked: (ix) => {
              for (const i of ix) picked.add(i);
            },
          }),
        );
        await repo.commit(a, { message: 'a' });
        await repo.meta.stage(
          repo.name,
          b,
          makeChanges(big, scenario, changes, { table: Math.floor((2 * t) / 3), exclude: picked }),
        );
        await repo.commit(b, { message: 'b' });
        await env.quiesce(big);

        const samples: number[] = [];
        const ios: StoreIo[] = [];
        for (let r = 0; r < runs; r++) {
          const dest = `mg-${s}-dest-${r}`;
          await repo.createBranch(dest);
          const ff = await repo.merge(b, dest);
          if (!ff.fastForward)
            throw new Error('merging b into a fresh destination should fast-forward');
          await env.withFreshHandle(big.dir, async (h) => {
            const io = countStoreIo(h);
            const t0 = now();
            const res = await h.merge(a, dest);
            samples.push(now() - t0);
            ios.push(io.done());
            if (res.fastForward || !res.commit || res.applied !== changes) {
              throw new Error(
                `expected a three-way merge applying ${changes} paths, got ${JSON.stringify({ ...res, commit: res.commit?.id })}`,
              );
            }
            if (r === 0) {
              let n = 0;
              for await (const _ of h.diff(big.base, dest)) n++;
              if (n !== 2 * changes)
                throw new Error(
                  `merged tree differs from main in ${n} paths, expected ${2 * changes}`,
                );
            }
          });
        }
        const st = stats(samples);
        rows.push([
          META_LABEL[kind],
          SCENARIO_LABEL[scenario],
          fmtStats(st),
          fmtMs(st.min),
          fmtMs(st.max),
          fmtIo(ios),
        ]);
        targets.push({
          target: `merge ≤ 1 s on ${fmtInt(sizes.big)} entries — ${SCENARIO_LABEL[scenario]}`,
          backend: META_LABEL[kind],
          measured: fmtMs(st.median),
          pass: st.median <= 1000,
        });
      }
    }
    const results: Table = {
      title: `repo.merge(a, dest) after b was merged into dest (fresh handle)`,
      columns: [
        'Backend',
        'Changes on each side',
        'Median (p90, runs)',
        'Min',
        'Max',
        'Tree nodes read / written',
      ],
      rows,
    };
    return {
      name: 'merge',
      title: `Three-way merge of two ${fmtInt(changes)}-change branches on ${fmtInt(sizes.big)} entries`,
      summary:
        `Branches a and b are created off main and each commits ${fmtInt(changes)} changes that do ` +
        'not conflict (clustered: a new partition of a different table on each side; scattered: ' +
        'disjoint random existing keys). For each run a new destination branch is created off ' +
        'main, b is merged into it (fast-forward, not timed), and `repo.merge(a, dest)` is timed ' +
        'on a freshly opened handle: merge base, two diffs against it, the rebuilt tree and the ' +
        "merge commit. The first run checks that the result differs from main in exactly both sides' changes.",
      setup: [
        `Runs per scenario: ${runs}`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
        FIXTURE_NOTE,
      ],
      tables: [results, setupTable(fixtures)],
      targets,
      notes: [],
    } satisfies BenchReport;
  },
};
