// Workflow benchmark: one write–audit–publish run of a 1-million-row batch against the ingest and
// the checks alone (issue 6: "within 1.5× of the ingest and checks alone").
//
// Per MetaStore, one repository configured as a user would: a files ingestor `orders` (a CSV drop
// of 1,000,000 orders, appended to table `orders`), seven checks of that table in
// checks/orders.yml, and a gate protecting the branch it merges into. The table already holds one
// earlier batch (1,000,000 rows) on the base commit. Every round, from that same base:
//
// - WAP: `runLoad(repo, dir, config, 'orders', {into: T})` into a fresh gated branch T at the base
//   — branch ingest/orders/<run>, ingest + commit, the checks (stored), the gated merge, the run
//   branch deleted, the load / check / merge events;
// - the peer: a branch at the base, `ingest()` of the same file with a commit, and `runChecks()`
//   of the same checks there, stored as `sluice check` stores them;
// - WAP into an ungated branch (informational): the same run, published by a plain merge.
//
// The three alternate (the order rotates each round), a warm-up round first; medians. Where a WAP
// run's time goes comes from its phases (`onPhase`) and from the check runs it stores (each
// stored run carries its own duration, and its ref says whether the audit or the gate ran it).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repository } from '../src/core/repository.js';
import { specsFor } from '../src/quality/gate-checks.js';
import { runChecks } from '../src/quality/run.js';
import { loadSpecs } from '../src/quality/spec.js';
import { ingest } from '../src/tables/ingest.js';
import { loadWorkflowConfig } from '../src/workflow/config/index.js';
import { type LoadRun, runLoad } from '../src/workflow/load.js';
import type { BenchReport, Table, TargetCheck } from './report.js';
import {
  type BenchEnv,
  type Benchmark,
  describeBackend,
  fmtInt,
  fmtMs,
  fmtRatio,
  log,
  META_LABEL,
  type MetaKind,
  now,
  stats,
} from './support.js';
import { writeOrdersCsv } from './workflow-data.js';
import { fmtBytes } from './workflow-flip.js';

const BOUND = 1.5;

const SLUICE_YML = `gates:
  - branch: main
  - branch: "wap/*"
ingestors:
  - name: orders
    kind: files
    path: landing/orders.csv
    table: orders
`;

export const ORDERS_CHECKS = `version: 2
models:
  - name: orders
    tests:
      - row_count: {min: 1}
    columns:
      - name: id
        tests: [not_null, unique]
      - name: customer_id
        tests:
          - not_null
          - between: {min: 1}
      - name: order_date
        tests: [not_null]
      - name: status
        tests:
          - accepted_values:
              values: [placed, shipped, completed, return_pending, returned]
`;

type Variant = 'wap' | 'peer' | 'plain';
const VARIANTS: Variant[] = ['wap', 'peer', 'plain'];
const PHASES = ['fetch', 'write', 'audit', 'publish'] as const;
type Phase = (typeof PHASES)[number];

/** A stored check run, as the MetaStore received it. */
export interface StoredRun {
  ref: string;
  durationMs: number;
  /** Checks it measured, and checks whose verdict it took from an earlier run of the commit. */
  measured: number;
  reused: number;
}

interface WapSample {
  ms: number;
  phases: Record<Phase, number>;
  /** Check runs stored during the load: the audit's, and the gate's when it ran one. */
  auditChecksMs: number;
  gateChecksMs: number;
  gateRuns: number;
  gateMeasured: number;
  gateReused: number;
}

interface BackendResult {
  kind: MetaKind;
  wap: WapSample[];
  plain: WapSample[];
  peer: { ms: number; ingestMs: number; checksMs: number }[];
  checks: number;
}

/** Records every check run the handle stores (ref and own duration). */
export function watchCheckRuns(repo: Repository): StoredRun[] {
  const seen: StoredRun[] = [];
  const meta = repo.meta;
  const put = meta.putCheckRun.bind(meta);
  meta.putCheckRun = async (name, run, results) => {
    const data = JSON.parse(run.data) as { durationMs?: number; reused?: string[] };
    const reused = data.reused?.length ?? 0;
    seen.push({
      ref: run.ref,
      durationMs: data.durationMs ?? 0,
      measured: results.length - reused,
      reused,
    });
    return put(name, run, results);
  };
  return seen;
}

async function timedLoad(
  repo: Repository,
  dir: string,
  into: string,
  runs: StoredRun[],
  rows: number,
): Promise<WapSample> {
  const marks: [Phase, number][] = [];
  const before = runs.length;
  const t0 = now();
  const run: LoadRun = await runLoad(repo, dir, loadWorkflowConfig(dir), 'orders', {
    into,
    onPhase: (p) => {
      marks.push([p, now()]);
    },
  });
  const t1 = now();
  if (run.status !== 'success' || run.rows !== rows || run.attempts !== 1)
    throw new Error(
      `load into ${into}: ${run.status}, ${run.rows} rows, ${run.attempts} attempt(s): ${run.reason ?? ''}`,
    );
  if ((await repo.getBranch(into)).head !== run.mergeCommit)
    throw new Error(`load into ${into}: the target is not at the merge commit`);
  const phases = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  marks.forEach(([p, t], i) => {
    phases[p] += (marks[i + 1]?.[1] ?? t1) - t;
  });
  const stored = runs.slice(before);
  const sum = (xs: StoredRun[]): number => xs.reduce((n, r) => n + r.durationMs, 0);
  const gate = stored.filter((r) => r.ref.startsWith('gate/'));
  return {
    ms: t1 - t0,
    phases,
    auditChecksMs: sum(stored.filter((r) => r.ref.startsWith('ingest/'))),
    gateChecksMs: sum(gate),
    gateRuns: gate.length,
    gateMeasured: gate.reduce((n, r) => n + r.measured, 0),
    gateReused: gate.reduce((n, r) => n + r.reused, 0),
  };
}

export const workflowWapBench: Benchmark = {
  name: 'workflow-wap',
  description:
    'one write–audit–publish run (sluice load) of a 1-million-row batch vs ingest + checks alone',
  async run(env: BenchEnv): Promise<BenchReport> {
    const batch = env.quick ? 50_000 : 1_000_000;
    const rounds = env.quick ? 3 : 7;
    const data = env.temp.make('wf-wap-data');
    const baseCsv = join(data, 'base.csv');
    const batchCsv = join(data, 'batch.csv');
    await writeOrdersCsv(baseCsv, { first: 1, count: batch, customers: batch / 10 });
    const bytes = await writeOrdersCsv(batchCsv, {
      first: batch + 1,
      count: batch,
      customers: batch / 10,
    });
    log(`batch: ${fmtInt(batch)} orders, ${fmtBytes(bytes)} of CSV`);

    const results: BackendResult[] = [];
    for (const kind of env.metas) {
      const label = META_LABEL[kind];
      const dir = env.temp.make(`wf-wap-${kind}`);
      mkdirSync(join(dir, 'checks'));
      mkdirSync(join(dir, 'landing'));
      writeFileSync(join(dir, 'sluice.yml'), SLUICE_YML);
      writeFileSync(join(dir, 'checks', 'orders.yml'), ORDERS_CHECKS);
      copyFileSync(batchCsv, join(dir, 'landing', 'orders.csv'));
      // The base: the table with one earlier batch, committed before the gates are installed.
      const init = await env.createRepo(kind, 'wf_wap', { dir });
      await ingest(init.repo, baseCsv, { table: 'orders', commit: { message: 'earlier batch' } });
      const base = (await init.repo.getBranch('main')).head as string;
      await env.closeRepo(init.repo);
      const repo = await env.openRepo(dir); // with the gates of sluice.yml
      const runs = watchCheckRuns(repo);
      const specs = specsFor(loadSpecs(dir), new Set(['orders']));
      await env.quiesce({ kind, metaUrl: init.metaUrl });

      const res: BackendResult = { kind, wap: [], plain: [], peer: [], checks: specs.length };
      log(`${label}: warm-up round + ${rounds} rounds of WAP (gated), peer, WAP (ungated)`);
      for (let r = 0; r <= rounds; r++) {
        const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length] as Variant);
        for (const v of order) {
          if (v === 'peer') {
            const branch = `peer/r${r}`;
            const t0 = now();
            await repo.createBranch(branch, { from: base });
            const ing = await ingest(repo, batchCsv, {
              table: 'orders',
              branch,
              commit: { message: `peer ${r}` },
            });
            const t1 = now();
            const checks = await runChecks(repo, specs, { ref: branch, store: true });
            const t2 = now();
            if (ing.rowsWritten !== batch || checks.status !== 'pass')
              throw new Error(`peer: ${ing.rowsWritten} rows, checks ${checks.status}`);
            if (r > 0) res.peer.push({ ms: t2 - t0, ingestMs: t1 - t0, checksMs: t2 - t1 });
          } else {
            const into = `${v === 'wap' ? 'wap' : 'plain'}/r${r}`;
            await repo.createBranch(into, { from: base });
            const s = await timedLoad(repo, dir, into, runs, batch);
            if (v === 'wap' && s.gateRuns !== 1) throw new Error(`${s.gateRuns} gate check runs`);
            if (v === 'plain' && s.gateRuns > 0) throw new Error('an ungated merge ran checks');
            if (r > 0) res[v].push(s);
          }
        }
        if (r > 0) {
          const last = (xs: { ms: number }[]) => fmtMs(xs.at(-1)?.ms ?? 0);
          log(
            `  round ${r}/${rounds}: WAP ${last(res.wap)}, peer ${last(res.peer)}, ungated ${last(res.plain)}`,
          );
        }
      }
      results.push(res);
    }

    const med = (xs: number[]): number => stats(xs).median;
    const rows: string[][] = [];
    const phaseRows: string[][] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    for (const res of results) {
      const label = META_LABEL[res.kind];
      const peer = med(res.peer.map((p) => p.ms));
      const wap = med(res.wap.map((p) => p.ms));
      const plain = med(res.plain.map((p) => p.ms));
      const s = (xs: number[]) => stats(xs);
      rows.push(
        [
          label,
          'peer: branch + ingest() + commit, then runChecks() (stored)',
          fmtMs(peer),
          fmtMs(s(res.peer.map((p) => p.ms)).min),
          fmtMs(s(res.peer.map((p) => p.ms)).max),
          '1.00×',
        ],
        [
          label,
          'sluice load into a gated branch (the WAP run)',
          fmtMs(wap),
          fmtMs(s(res.wap.map((p) => p.ms)).min),
          fmtMs(s(res.wap.map((p) => p.ms)).max),
          fmtRatio(wap / peer),
        ],
        [
          label,
          'sluice load into an ungated branch (informational)',
          fmtMs(plain),
          fmtMs(s(res.plain.map((p) => p.ms)).min),
          fmtMs(s(res.plain.map((p) => p.ms)).max),
          fmtRatio(plain / peer),
        ],
      );
      const ph = (xs: WapSample[], p: Phase) => fmtMs(med(xs.map((x) => x.phases[p])));
      for (const [what, xs] of [
        ['WAP (gated)', res.wap],
        ['WAP (ungated)', res.plain],
      ] as const)
        phaseRows.push([
          label,
          what,
          ph(xs, 'fetch'),
          ph(xs, 'write'),
          ph(xs, 'audit'),
          fmtMs(med(xs.map((x) => x.auditChecksMs))),
          ph(xs, 'publish'),
          fmtMs(med(xs.map((x) => x.gateChecksMs))),
          xs.some((x) => x.gateRuns > 0)
            ? `${med(xs.map((x) => x.gateMeasured))} / ${med(xs.map((x) => x.gateReused))}`
            : 'no gate',
        ]);
      phaseRows.push([
        label,
        'peer',
        '',
        fmtMs(med(res.peer.map((p) => p.ingestMs))),
        fmtMs(med(res.peer.map((p) => p.checksMs))),
        '',
        '',
        '',
        '',
      ]);
      targets.push({
        target: `one WAP run of a ${fmtInt(batch)}-row batch within ${BOUND}× of the ingest and checks alone`,
        backend: label,
        measured: `${fmtMs(wap)} vs ${fmtMs(peer)}: ${fmtRatio(wap / peer)}`,
        pass: wap / peer <= BOUND,
      });
      const publish = med(res.wap.map((x) => x.phases.publish));
      const gateChecks = med(res.wap.map((x) => x.gateChecksMs));
      const gateMeasured = med(res.wap.map((x) => x.gateMeasured));
      const gateReused = med(res.wap.map((x) => x.gateReused));
      notes.push(
        `${label}: of the WAP run's ${fmtMs(wap)}, writing (run branch, ingest, commit) took ${ph(res.wap, 'write')} against the peer's ${fmtMs(med(res.peer.map((p) => p.ingestMs)))}, the audit ${ph(res.wap, 'audit')} (its checks ${fmtMs(med(res.wap.map((x) => x.auditChecksMs)))}; the peer's ${fmtMs(med(res.peer.map((p) => p.checksMs)))}), and publishing ${fmtMs(publish)}, of which ${fmtMs(gateChecks)} the gate's check run on the merged commit (${gateMeasured} check(s) measured, ${gateReused} taken from the audit of that very commit: the merge is a fast-forward to it)${gateMeasured === 0 ? ' — no scan of the table' : ''}; the rest of publishing is the gate's temporary branch, the trial merge and the diff naming the changed tables, the fast-forward, deleting the run branch and the events. The ungated run (${fmtMs(plain)}) merges with a plain merge.`,
      );
    }
    const tables: Table[] = [
      {
        title: `One run of a ${fmtInt(batch)}-row batch: medians of ${rounds} rounds after a warm-up, alternating`,
        columns: ['Backend', 'Variant', 'Median', 'Best', 'Worst', 'Ratio to the peer'],
        rows,
      },
      {
        title:
          'Where the time goes (medians): the run’s phases, and the check runs it stored (their own durations)',
        columns: [
          'Backend',
          'Run',
          'Fetch',
          'Write (branch, ingest, commit)',
          'Audit',
          'of which checks',
          'Publish',
          'of which the gate’s check run',
          'Gate: checks measured / taken from the audit',
        ],
        rows: phaseRows,
      },
    ];
    return {
      name: 'workflow-wap',
      title: `Workflow: one write–audit–publish run of a ${fmtInt(batch)}-row batch vs the ingest and checks alone`,
      summary:
        "`runLoad(repo, dir, config, 'orders', {into})` — the files ingestor's CSV batch written on its run branch, its table's checks run and stored, merged through the gate, the run branch deleted, the events recorded — against the peer measured in the same run: a branch, `ingest()` of the same file with a commit, and `runChecks()` of the same checks on it, stored. Every run starts from the same base commit, so every round does the same work; medians of alternated rounds",
      setup: [
        `Batch: ${fmtInt(batch)} orders (id, customer_id, order_date, status; ${fmtBytes(bytes)} of CSV with a header, generated by DuckDB), appended to table \`orders\`, which holds one earlier batch of ${fmtInt(batch)} rows on the base commit (the checks scan all ${fmtInt(2 * batch)} rows)`,
        `sluice.yml: a files ingestor (\`path: landing/orders.csv\`, \`table: orders\`, append, \`checks: true\`) and gates protecting \`main\` and \`wap/*\`; checks/orders.yml: ${results[0]?.checks ?? 0} checks — row_count, not_null + unique on id, not_null + between on customer_id, not_null on order_date, accepted_values on status (one fused scan and one GROUP BY)`,
        `Each round, in a rotating order: the WAP run into a fresh branch \`wap/r<k>\` at the base (gated), the peer on a fresh branch at the base, and the WAP run into \`plain/r<k>\` (not gated). The target branches are created before the clock starts; the peer's branch inside it. ${rounds} rounds after one warm-up round`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
      ],
      tables,
      targets,
      notes,
    };
  },
};
