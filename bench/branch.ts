// branch: creating a branch must cost the same whatever the size of the tree at its head (a
// branch is a head pointer plus an empty staging area). Median of many createBranch calls on a
// 1,000,000-entry head vs a 10,000-entry head, interleaved so drift hits both alike.
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type Benchmark,
  type BigRepo,
  describeBackend,
  FIXTURE_NOTE,
  fmtInt,
  fmtMs,
  fmtRatio,
  log,
  META_LABEL,
  now,
  repoSizes,
  type Stats,
  setupTable,
  stats,
} from './support.js';

const WARMUP = 5;
let series = 0;

export const branchBench: Benchmark = {
  name: 'branch',
  description: 'createBranch on a 1,000,000-entry head vs a 10,000-entry head',
  async run(env) {
    const sizes = repoSizes(env);
    const calls = env.quick ? 20 : 200;
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    const fixtures: BigRepo[] = [];
    for (const kind of env.metas) {
      const big = await env.bigRepo(kind, sizes.big);
      const small = await env.bigRepo(kind, sizes.small);
      fixtures.push(big, small);
      await env.quiesce(big);
      log(`${META_LABEL[kind]}: ${calls} createBranch calls on each repository`);
      const s = ++series;
      const repos = [small, big].map((f) => ({ f, samples: [] as number[] }));
      const handles = await Promise.all(repos.map(({ f }) => env.openRepo(f.dir)));
      try {
        for (let i = -WARMUP; i < calls; i++) {
          for (const [k, r] of repos.entries()) {
            const repo = handles[k]!;
            const t = now();
            const info = await repo.createBranch(`bench-${s}-${i + WARMUP}`);
            const ms = now() - t;
            if (info.head !== r.f.base)
              throw new Error(`new branch at ${info.head}, expected ${r.f.base}`);
            if (i >= 0) r.samples.push(ms);
          }
        }
      } finally {
        for (const h of handles) await env.closeRepo(h);
      }
      const [sm, bg] = repos.map((r) => stats(r.samples)) as [Stats, Stats];
      for (const [r, st] of [
        [small, sm],
        [big, bg],
      ] as const) {
        rows.push([
          META_LABEL[kind],
          fmtInt(r.size),
          fmtMs(st.median),
          fmtMs(st.p90),
          fmtMs(st.min),
          fmtMs(st.max),
          String(st.n),
        ]);
      }
      const ratio = bg.median / sm.median;
      rows.push([
        META_LABEL[kind],
        `${fmtInt(sizes.big)} ÷ ${fmtInt(sizes.small)}`,
        fmtRatio(ratio),
        '',
        '',
        '',
        '',
      ]);
      targets.push(
        {
          target: `median ≤ 5 ms on the ${fmtInt(sizes.big)}-entry repository`,
          backend: META_LABEL[kind],
          measured: fmtMs(bg.median),
          pass: bg.median <= 5,
        },
        {
          target: `median within 1.5× of the ${fmtInt(sizes.small)}-entry repository`,
          backend: META_LABEL[kind],
          measured: `${fmtMs(bg.median)} vs ${fmtMs(sm.median)}: ${fmtRatio(ratio)}`,
          pass: ratio <= 1.5,
        },
      );
    }
    const results: Table = {
      title: 'repo.createBranch (fresh handle, unique names, from main)',
      columns: ['Backend', 'Head entries', 'Median', 'p90', 'Min', 'Max', 'Calls'],
      rows,
    };
    return {
      name: 'branch',
      title: `Branch creation on a ${fmtInt(sizes.big)}-entry vs a ${fmtInt(sizes.small)}-entry repository`,
      summary:
        `${calls} \`repo.createBranch(name)\` calls per repository with unique names (after ${WARMUP} ` +
        'warm-up calls), alternating between the two repositories; each call validates the name, ' +
        'checks that no branch, alias or tag holds it, resolves main and inserts the branch row.',
      setup: [...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`), FIXTURE_NOTE],
      tables: [results, setupTable(fixtures)],
      targets,
      notes: [],
    } satisfies BenchReport;
  },
};
