// Quality history benchmark: what storing a check run costs, and how fast the data docs render
// from a long history.
//
// (a) The 20 checks of bench/quality.ts on a 10-million-row table, `runChecks` with store:false
//     against store:true (the run, its 20 results and the table's profile written to the
//     MetaStore), alternating, the first one rotating; plus `storeRun` timed on its own (exactly
//     the work store:true adds).
// (b) 1,000 stored runs of 20 results each for the table (written directly with putCheckRun,
//     JSON as runChecks stores it: observed values, counts, every 10th run with a failing check
//     and its 5-row sample) at 200 commits that each have a stored profile; then
//     `writeDataDocs` (gather the history, render, write) and `renderDataDocs` alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommitId } from '../src/common/ids.js';
import type { CheckResultRecord } from '../src/meta/meta-store.js';
import type { TableProfile } from '../src/quality/profile.js';
import { gatherHistory, renderDataDocs, writeDataDocs } from '../src/quality/report-html.js';
import { type CheckResult, type CheckRun, runChecks, storeRun } from '../src/quality/run.js';
import { parseSpecText } from '../src/quality/spec.js';
import { ingest } from '../src/tables/ingest.js';
import { generateOrders, SPEC_YAML } from './quality.js';
import type { BenchReport, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  describeBackend,
  fmtInt,
  fmtMs,
  log,
  META_LABEL,
  now,
  prng,
  stats,
  syncDisks,
} from './support.js';

const TABLE = 'orders';
const STORED_RUNS = 1000;

const fmtPct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const fmtBytes = (n: number): string =>
  n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(2)} MiB` : `${(n / 2 ** 10).toFixed(0)} KiB`;

/** A stored result like runChecks writes, varied per run; every 10th run fails one check. */
function variedResults(base: CheckResult[], k: number, rnd: () => number): CheckResult[] {
  return base.map((r, j) => {
    const out: CheckResult = { ...r };
    if (typeof r.observed === 'number')
      out.observed = Math.round(r.observed * (0.98 + rnd() * 0.04));
    if (k % 10 === 0 && j === base.length - 1 - (k % 7)) {
      const element = r.elementCount ?? 1_000_000;
      const bad = 1 + Math.floor(rnd() * 500);
      Object.assign(out, {
        status: 'fail',
        observed: bad,
        elementCount: element,
        unexpectedCount: bad,
        unexpectedPercent: (100 * bad) / element,
        sample: Array.from({ length: 5 }, (_, i) => ({
          order_id: String(k * 10 + i),
          customer_id: String(i * 7727),
          status: 'unknown',
          amount: '-12.50',
          email: `user${i}@mail3.example.com`,
          country: 'XX',
          created_at: '2024-03-01 10:00:00',
          note: 'gift wrap, leave at the door 17',
        })),
      });
    }
    return out;
  });
}

export const qualityStoreBench: Benchmark = {
  name: 'quality-store',
  description:
    'storing check runs and profiles (store:false vs store:true on 10M rows); data docs over 1,000 stored runs',
  async run(env: BenchEnv): Promise<BenchReport> {
    const count = env.quick ? 200_000 : 10_000_000;
    const rounds = env.quick ? 3 : 7;
    const commits = env.quick ? 50 : 200;
    const renders = env.quick ? 3 : 5;
    const work = env.temp.make('quality-store');
    const parquet = join(work, 'orders.parquet');
    log(`generating a ${fmtInt(count)}-row Parquet file`);
    await generateOrders(parquet, count);
    const specs = parseSpecText(SPEC_YAML, 'bench/quality.ts');

    const storeRows: string[][] = [];
    const docsRows: string[][] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    for (const kind of env.metas) {
      const label = META_LABEL[kind];
      const h = await env.createRepo(kind, 'qstore');
      const repo = h.repo;
      await ingest(repo, parquet, { table: TABLE, commit: { message: 'load' } });
      await env.quiesce(h);

      // (a) store:false vs store:true, alternating; the first runs warm caches and code paths.
      const warm = await runChecks(repo, specs);
      if (warm.status !== 'pass') throw new Error(`the checks do not pass: ${warm.status}`);
      let last: CheckRun = await runChecks(repo, specs, { store: true });
      const off: number[] = [];
      const on: number[] = [];
      const direct: number[] = [];
      for (let r = 0; r < rounds; r++) {
        syncDisks();
        const order = r % 2 === 0 ? [false, true] : [true, false];
        for (const store of order) {
          const t0 = now();
          const run = await runChecks(repo, specs, { store });
          (store ? on : off).push(now() - t0);
          if (run.status !== 'pass') throw new Error(`run: ${run.status}`);
          if (store && !run.id) throw new Error('store:true stored nothing');
          if (store) last = run;
        }
        // storeRun alone: exactly the work store:true adds (run, 20 results, the profile).
        const copy: CheckRun = { ...last, startedAt: new Date() };
        const t1 = now();
        await storeRun(repo, copy);
        direct.push(now() - t1);
        log(
          `  ${label} round ${r + 1}/${rounds}: store:false ${fmtMs(off.at(-1) as number)}, store:true ${fmtMs(on.at(-1) as number)}, storeRun ${fmtMs(direct.at(-1) as number)}`,
        );
      }
      const a = stats(off);
      const b = stats(on);
      const d = stats(direct);
      const overhead = b.median / a.median - 1;
      storeRows.push(
        [label, 'runChecks, store:false', fmtMs(a.median), fmtMs(a.min), fmtMs(a.max), ''],
        [
          label,
          'runChecks, store:true',
          fmtMs(b.median),
          fmtMs(b.min),
          fmtMs(b.max),
          fmtPct(overhead),
        ],
        [
          label,
          'storeRun alone',
          fmtMs(d.median),
          fmtMs(d.min),
          fmtMs(d.max),
          fmtPct(d.median / a.median),
        ],
      );
      targets.push({
        target: 'storing results and the profile adds ≤ 5 % to a check run',
        backend: label,
        measured: `${fmtMs(b.median)} vs ${fmtMs(a.median)}: ${fmtPct(overhead)} (storeRun alone ${fmtMs(d.median)}, ${fmtPct(d.median / a.median)})`,
        pass: overhead <= 0.05,
      });

      // (b) 1,000 stored runs over `commits` commits, each commit with a stored profile.
      const profile = last.profiles[0] as TableProfile;
      const base = last.results;
      const rnd = prng(42);
      const t2 = now();
      const ids: CommitId[] = [];
      for (let c = 0; c < commits; c++) {
        const commit = await repo.commit('main', { message: `day ${c}`, allowEmpty: true });
        ids.push(commit.id);
        const p: TableProfile = {
          ...profile,
          rows: Math.round(profile.rows * (1 + c / commits) * (0.99 + rnd() * 0.02)),
        };
        await repo.meta.putProfile(repo.name, {
          table: TABLE,
          commitId: commit.id,
          createdAt: commit.createdAt,
          data: JSON.stringify(p),
        });
      }
      const commitsMs = now() - t2;
      const t3 = now();
      const start = Date.now() - STORED_RUNS * 3_600_000;
      let resultBytes = 0;
      for (let k = 0; k < STORED_RUNS; k++) {
        const at = new Date(start + k * 3_600_000);
        const commitId = ids[Math.floor((k * commits) / STORED_RUNS)] as string;
        const runId = `${at.toISOString().replace(/\D/g, '').slice(0, 17)}-bench${String(k).padStart(4, '0')}`;
        const results = variedResults(base, k, rnd);
        const status = results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
        const records: CheckResultRecord[] = results.map((r) => {
          const data = JSON.stringify(r);
          resultBytes += data.length;
          return {
            runId,
            checkId: r.id,
            table: TABLE,
            commitId,
            createdAt: at,
            status: r.status,
            data,
          };
        });
        const { results: _r, profiles: _p, ...rest } = last;
        await repo.meta.putCheckRun(
          repo.name,
          {
            id: runId,
            ref: 'main',
            commitId,
            createdAt: at,
            status,
            data: JSON.stringify({ ...rest, id: runId, status }),
          },
          records,
        );
      }
      const storeMs = now() - t3;
      log(
        `  ${label}: ${commits} commits with profiles in ${fmtMs(commitsMs)}, ${STORED_RUNS} runs × ${base.length} results in ${fmtMs(storeMs)}`,
      );
      await env.quiesce(h);

      // The page for the newest commit: its run is the last stored one.
      const head = ids.at(-1) as string;
      const run: CheckRun = { ...last, commit: head, startedAt: new Date() };
      const file = join(work, `docs-${kind}.html`);
      const whole: number[] = [];
      const gather: number[] = [];
      const render: number[] = [];
      let bytes = 0;
      let shown = { runs: 0, profiles: 0 };
      for (let i = 0; i < renders; i++) {
        const t4 = now();
        const w = await writeDataDocs(repo, run, file);
        whole.push(now() - t4);
        bytes = w.bytes;
        const t5 = now();
        const history = await gatherHistory(repo, run);
        gather.push(now() - t5);
        const t6 = now();
        renderDataDocs({ run, history, repo: repo.name });
        render.push(now() - t6);
        const th = history[0];
        shown = { runs: th?.runs.length ?? 0, profiles: th?.profiles.length ?? 0 };
      }
      if (shown.runs < STORED_RUNS)
        throw new Error(`the page shows ${shown.runs} runs, expected ${STORED_RUNS}`);
      const html = readFileSync(file, 'utf8');
      if (!html.includes(`check results over ${STORED_RUNS} runs`))
        throw new Error('the page has no chart of the stored runs');
      const w = stats(whole);
      const g = stats(gather);
      const rr = stats(render);
      docsRows.push(
        [
          label,
          'writeDataDocs (gather + render + write)',
          fmtMs(w.median),
          fmtMs(w.min),
          fmtMs(w.max),
        ],
        [
          label,
          'gatherHistory (MetaStore reads, JSON parse)',
          fmtMs(g.median),
          fmtMs(g.min),
          fmtMs(g.max),
        ],
        [label, 'renderDataDocs', fmtMs(rr.median), fmtMs(rr.min), fmtMs(rr.max)],
      );
      targets.push({
        target: 'the HTML report for a table with 1,000 stored runs renders in under 2 s',
        backend: label,
        measured: `writeDataDocs ${fmtMs(w.median)} (${fmtBytes(bytes)} page, ${shown.runs} runs, ${shown.profiles} profiled commits)`,
        pass: w.median < 2000,
      });
      notes.push(
        `${label}: writing the history took ${fmtMs(commitsMs)} for ${commits} empty commits with their profiles and ${fmtMs(storeMs)} for ${STORED_RUNS} putCheckRun calls (${fmtMs(storeMs / STORED_RUNS)} each, ${fmtBytes(resultBytes)} of result JSON in all); the page is ${fmtBytes(bytes)}.`,
      );
      await env.closeRepo(repo);
    }
    return {
      name: 'quality-store',
      title: `Storing check runs (${fmtInt(count)}-row table) and rendering data docs over ${fmtInt(STORED_RUNS)} stored runs`,
      summary:
        "(a) `runChecks(repo, specs, { store })` with the 20 checks of bench/quality.ts: store:false against store:true, which also writes the run, its 20 results and the table profile to the MetaStore (the profile a check run stores: row and NULL counts and min / max from the Parquet footers, one metadata query; see src/quality/profile.ts) — alternating, the first one rotating, medians — and `storeRun` timed alone (the exact added work). (b) `writeDataDocs(repo, run, file)` — read the table's stored results (newest 1,000 runs) and the profiles along the first-parent log (1,000 commits at most), render the page, write it — over a history written directly with putCheckRun; also gatherHistory and renderDataDocs alone.",
      setup: [
        `Table \`${TABLE}\`: ${fmtInt(count)} rows (the generator of bench/quality.ts), ingested into a fresh repository per backend`,
        `(a) ${rounds} rounds of each variant, after one warm-up run of each`,
        `(b) ${commits} empty commits on main, each with a stored profile (row counts varied), then ${fmtInt(STORED_RUNS)} runs of the 20 results each (spread over the commits, an hour apart; observed values varied, every 10th run with a failing check and a 5-row sample); ${renders} renders`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
      ],
      tables: [
        {
          title: `(a) A check run with and without storing: ${rounds} runs each`,
          columns: ['Backend', 'Variant', 'Median', 'Best', 'Worst', 'Added'],
          rows: storeRows,
        },
        {
          title: `(b) Data docs for a table with ${fmtInt(STORED_RUNS)} stored runs: ${renders} renders`,
          columns: ['Backend', 'Step', 'Median', 'Best', 'Worst'],
          rows: docsRows,
        },
      ],
      targets,
      notes,
    };
  },
};
