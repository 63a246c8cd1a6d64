// Quality checks benchmark: 20 checks over 6 columns of a 10-million-row table, run the way
// `sluice check` runs them (runChecks: one fused aggregate scan per table and filter, one GROUP BY
// per uniqueness key set) against the same checks as one query each on one DuckDB session, and
// against a single bare scan reading the same 6 columns.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '@duckdb/node-api';
import { withDuck } from '../src/engine/duckdb.js';
import { withSqlSession } from '../src/engine/session.js';
import { getTable } from '../src/engine/tables.js';
import { type CheckResult, type CheckRun, runChecks } from '../src/quality/run.js';
import { parseSpecText } from '../src/quality/spec.js';
import { ingest } from '../src/tables/ingest.js';
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
  now,
  type Stats,
  stats,
  syncDisks,
} from './support.js';

const TABLE = 'orders';

/**
 * 20 checks over 6 of the table's 8 columns, in dbt's properties shape: what a team would write
 * for an orders table. Every check passes on the generated data (the common case of a gate), so
 * no failing-row samples are fetched.
 */
export const SPEC_YAML = `version: 2
models:
  - name: ${TABLE}
    tests:
      - row_count: {min: 1}
    columns:
      - name: order_id
        tests:
          - not_null
          - unique
          - min: {min: 1}
      - name: status
        tests:
          - not_null
          - accepted_values:
              values: [placed, shipped, delivered, returned, cancelled]
      - name: amount
        tests:
          - not_null
          - between: {min: 0, max: 10000}
          - mean: {min: 1000, max: 9000}
          - stddev: {min: 100}
          - median: {min: 1000, max: 9000}
          - quantile: {q: 0.99, max: 10000}
      - name: email
        tests:
          - not_null: {mostly: 0.95}
          - regex: {pattern: '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$'}
          - length: {min: 6, max: 254}
      - name: country
        tests:
          - accepted_values:
              values: [DE, FR, US, GB, NL, SE, ES, IT, PL, JP]
          - length: {min: 2, max: 2}
      - name: created_at
        tests:
          - not_null
          - min: {min: '2020-01-01'}
          - max: {max: '2030-01-01'}
`;

const CHECKED_COLUMNS = ['order_id', 'status', 'amount', 'email', 'country', 'created_at'];

/**
 * The same checks written by hand, one query each, as someone without the compiler would run
 * them: a failing count and an element count (row checks, uniqueness), or the aggregate. The
 * expressions are the ones the compiler emits, so both sides do the same work per check.
 */
interface PerCheck {
  id: string;
  /** `count`: returns n (elements) and u (failing); `value`: returns o (the aggregate). */
  kind: 'count' | 'value';
  /** The check's query. */
  sql: string;
  /**
   * Scan checks: the select list of `sql`, with `tag` appended to its aliases (n, u, o), so the
   * checks can also be fused by hand into one SELECT (a diagnostic).
   */
  select?: (tag: string) => string;
}

const scanCheck = (
  id: string,
  kind: PerCheck['kind'],
  select: (tag: string) => string,
): PerCheck => ({ id, kind, select, sql: `SELECT ${select('')} FROM ${TABLE}` });
const nn = (id: string, c: string): PerCheck =>
  scanCheck(id, 'count', (t) => `count(*) AS n${t}, count(*) FILTER (WHERE ${c} IS NULL) AS u${t}`);
const rows = (id: string, c: string, failing: string): PerCheck =>
  scanCheck(
    id,
    'count',
    (t) =>
      `count(${c}) AS n${t}, count(*) FILTER (WHERE ${c} IS NOT NULL AND (${failing})) AS u${t}`,
  );
const agg = (id: string, expr: string): PerCheck =>
  scanCheck(id, 'value', (t) => `${expr} AS o${t}`);

export const PER_CHECK: PerCheck[] = [
  agg('orders.row_count', 'count(*)'),
  nn('orders.order_id.not_null', 'order_id'),
  {
    id: 'orders.order_id.unique',
    kind: 'count',
    sql:
      `SELECT coalesce(sum(n), 0) AS n, coalesce(sum(n) FILTER (WHERE n > 1), 0) AS u ` +
      `FROM (SELECT order_id, count(*) AS n FROM ${TABLE} WHERE order_id IS NOT NULL GROUP BY order_id)`,
  },
  agg('orders.order_id.min', 'min(order_id)'),
  nn('orders.status.not_null', 'status'),
  rows(
    'orders.status.accepted_values',
    'status',
    `status NOT IN ('placed', 'shipped', 'delivered', 'returned', 'cancelled')`,
  ),
  nn('orders.amount.not_null', 'amount'),
  rows('orders.amount.between', 'amount', 'amount < 0 OR amount > 10000'),
  agg('orders.amount.mean', 'avg(amount)'),
  agg('orders.amount.stddev', 'stddev_samp(amount)'),
  agg('orders.amount.median', 'quantile_cont(amount, 0.5)'),
  agg('orders.amount.quantile', 'quantile_cont(amount, 0.99)'),
  nn('orders.email.not_null', 'email'),
  rows(
    'orders.email.regex',
    'email',
    `NOT regexp_matches(email, '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$')`,
  ),
  rows('orders.email.length', 'email', 'length(email) < 6 OR length(email) > 254'),
  rows(
    'orders.country.accepted_values',
    'country',
    `country NOT IN ('DE', 'FR', 'US', 'GB', 'NL', 'SE', 'ES', 'IT', 'PL', 'JP')`,
  ),
  rows('orders.country.length', 'country', 'length(country) < 2 OR length(country) > 2'),
  nn('orders.created_at.not_null', 'created_at'),
  agg('orders.created_at.min', 'min(created_at)'),
  agg('orders.created_at.max', 'max(created_at)'),
];

/**
 * Diagnostic: the 19 scan checks fused by hand into one SELECT, without anything else in it
 * (what a person would write by hand). With the uniqueness GROUP BY, 2 queries.
 */
const SCAN_CHECKS = PER_CHECK.filter((p) => p.select !== undefined);
const HAND_FUSED = `SELECT ${SCAN_CHECKS.map((p, i) => (p.select as (t: string) => string)(`_${i}`)).join(', ')} FROM ${TABLE}`;
const UNIQUE_SQL = (PER_CHECK.find((p) => p.select === undefined) as PerCheck).sql;

/** The cheapest aggregate that still reads every value of the 6 checked columns. */
export const BARE_SCAN = `SELECT count(*) AS n, ${CHECKED_COLUMNS.map((c) => `min(${c}) AS ${c}`).join(', ')} FROM ${TABLE}`;

/**
 * An orders table of `count` rows written to Parquet by DuckDB: 8 columns, of which the checks
 * read 6. Amounts are spread over [0, 10000), emails are 2 % NULL and all distinct, timestamps
 * cover a year.
 */
export async function generateOrders(file: string, count: number): Promise<number> {
  await withDuck({}, (duck) =>
    duck.run(
      `COPY (SELECT i + 1 AS order_id, (i * 7727) % 250000 AS customer_id, ` +
        `CASE WHEN i % 20 < 12 THEN 'delivered' WHEN i % 20 < 16 THEN 'shipped' WHEN i % 20 < 18 THEN 'placed' ` +
        `WHEN i % 20 = 18 THEN 'returned' ELSE 'cancelled' END AS status, ` +
        `CAST(((i * 7919) % 1000000) / 100.0 AS DECIMAL(12, 2)) AS amount, ` +
        `CASE WHEN i % 50 = 7 THEN NULL ELSE 'user' || (i * 31 % 10000019) || '.' || i || '@mail' || (i % 13) || '.example.com' END AS email, ` +
        `['DE', 'FR', 'US', 'GB', 'NL', 'SE', 'ES', 'IT', 'PL', 'JP'][(i * 37 % 10) + 1] AS country, ` +
        `TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 3) AS created_at, ` +
        `CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap, leave at the door ' || (i % 997) END AS note ` +
        `FROM range(${count}) t(i)) TO '${file}' (FORMAT parquet)`,
    ),
  );
  return statSync(file).size;
}

const fmtBytes = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Whether two results of the same aggregate agree (floating sums may differ in the last bits). */
function sameValue(a: Json, b: Json): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (a === null || b === null || Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

/** Not timed: every per-check query reports what the fused run reported for that check. */
function verify(fused: CheckRun, perCheck: Map<string, Record<string, Json>>): void {
  const ids = fused.results.map((r) => r.id).sort();
  const mine = PER_CHECK.map((p) => p.id).sort();
  if (ids.length !== 20 || ids.join('\n') !== mine.join('\n'))
    throw new Error(
      `the spec compiles to checks ${ids.join(', ')}, the per-check queries cover ${mine.join(', ')}`,
    );
  const byId = new Map<string, CheckResult>(fused.results.map((r) => [r.id, r]));
  for (const p of PER_CHECK) {
    const r = byId.get(p.id) as CheckResult;
    const row = perCheck.get(p.id) ?? {};
    if (r.status !== 'pass')
      throw new Error(
        `${p.id}: ${r.status} (${r.message ?? JSON.stringify(r.observed)}), expected pass`,
      );
    if (p.kind === 'count') {
      if (Number(row.n) !== r.elementCount || Number(row.u) !== r.unexpectedCount)
        throw new Error(
          `${p.id}: per-check query counted ${row.n} / ${row.u}, the fused run ${r.elementCount} / ${r.unexpectedCount}`,
        );
    } else if (!sameValue(row.o ?? null, r.observed ?? null)) {
      throw new Error(
        `${p.id}: per-check query observed ${JSON.stringify(row.o)}, the fused run ${JSON.stringify(r.observed)}`,
      );
    }
  }
}

type Variant = 'fused' | 'perCheck' | 'bare' | 'handFused';
const VARIANTS: Variant[] = ['fused', 'perCheck', 'bare', 'handFused'];

export const qualityChecksBench: Benchmark = {
  name: 'quality-checks',
  description:
    '20 checks over 6 columns of a 10M-row table: fused run vs one query per check vs a bare scan',
  async run(env: BenchEnv): Promise<BenchReport> {
    const count = env.quick ? 200_000 : 10_000_000;
    const runs = env.quick ? 3 : 7;
    const work = env.temp.make('quality');
    const parquet = join(work, 'orders.parquet');
    log(`generating a ${fmtInt(count)}-row Parquet file`);
    const bytes = await generateOrders(parquet, count);
    log(`  ${fmtBytes(bytes)}`);
    const specs = parseSpecText(SPEC_YAML, 'bench/quality.ts');
    if (specs.length !== 20) throw new Error(`${specs.length} checks in the spec, expected 20`);

    const targets: TargetCheck[] = [];
    const medians: string[][] = [];
    const diagnostics: string[][] = [];
    const perCheckTimes = new Map<string, Map<string, Stats>>();
    let tableInfo = '';
    let queriesOfFused = 0;
    const bareMedians = new Map<string, number>();
    for (const kind of env.metas) {
      const h = await env.createRepo(kind, 'quality');
      const repo = h.repo;
      const t0 = now();
      const res = await ingest(repo, parquet, { table: TABLE, commit: { message: 'load' } });
      if (res.rowsWritten !== count)
        throw new Error(`ingested ${res.rowsWritten} rows, expected ${count}`);
      const t = await getTable(repo, 'main', TABLE);
      tableInfo = `${t.files.length} Parquet file(s), ${fmtBytes(t.files.reduce((n, f) => n + f.size, 0))}; columns ${t.manifest.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`;
      log(`${META_LABEL[kind]}: ingested in ${fmtMs(now() - t0)} (${tableInfo})`);
      await env.quiesce(h);

      // Not timed: both ways agree, and the first runs warm the page cache and DuckDB's code paths.
      const fusedCheck = await runChecks(repo, specs);
      const answers = new Map<string, Record<string, Json>>();
      await withSqlSession(repo, { refs: ['main'] }, async (s) => {
        for (const p of PER_CHECK) answers.set(p.id, (await s.duck.query(p.sql)).rows[0] ?? {});
        const bare = (await s.duck.query(BARE_SCAN)).rows[0];
        if (Number(bare?.n) !== count) throw new Error(`bare scan counted ${bare?.n} rows`);
        const hand = (await s.duck.query(HAND_FUSED)).rows[0] ?? {};
        SCAN_CHECKS.forEach((p, i) => {
          const mine = answers.get(p.id) ?? {};
          for (const k of ['n', 'u', 'o'])
            if (k in mine && !sameValue(mine[k] ?? null, hand[`${k}_${i}`] ?? null))
              throw new Error(`${p.id}: hand-fused ${k} ${hand[`${k}_${i}`]}, alone ${mine[k]}`);
        });
      });
      verify(fusedCheck, answers);
      queriesOfFused = fusedCheck.queries;
      log(`  verified: the ${PER_CHECK.length} per-check queries agree with the fused run`);

      const samples: Record<Variant, number[]> = {
        fused: [],
        perCheck: [],
        bare: [],
        handFused: [],
      };
      const sessionOpen: number[] = [];
      const each = new Map<string, number[]>(PER_CHECK.map((p) => [p.id, []]));
      /** Opens a session (timed with the queries, like runChecks opens its own) and runs `sqls`. */
      const session = async (variant: Variant, sqls: string[]): Promise<void> => {
        const t1 = now();
        await withSqlSession(repo, { refs: ['main'] }, async (s) => {
          for (const sql of sqls) await s.duck.query(sql);
        });
        samples[variant].push(now() - t1);
      };
      const measure: Record<Variant, () => Promise<void>> = {
        fused: async () => {
          const t1 = now();
          const r = await runChecks(repo, specs);
          samples.fused.push(now() - t1);
          if (r.status !== 'pass' || r.queries !== queriesOfFused)
            throw new Error(`fused run: ${r.status}, ${r.queries} queries`);
        },
        perCheck: async () => {
          const t1 = now();
          await withSqlSession(repo, { refs: ['main'] }, async (s) => {
            sessionOpen.push(now() - t1);
            for (const p of PER_CHECK) {
              const t2 = now();
              await s.duck.query(p.sql);
              each.get(p.id)?.push(now() - t2);
            }
          });
          samples.perCheck.push(now() - t1);
        },
        bare: () => session('bare', [BARE_SCAN]),
        handFused: () => session('handFused', [HAND_FUSED, UNIQUE_SQL]),
      };
      for (let r = 0; r < runs; r++) {
        syncDisks();
        // Rotate which variant goes first, so none always runs on a machine the others warmed.
        for (let k = 0; k < VARIANTS.length; k++)
          await measure[VARIANTS[(r + k) % VARIANTS.length] as Variant]();
        log(
          `  round ${r + 1}/${runs}: ${VARIANTS.map((v) => `${v} ${fmtMs(samples[v].at(-1) as number)}`).join(', ')}`,
        );
      }
      const a = stats(samples.fused);
      const b = stats(samples.perCheck);
      const c = stats(samples.bare);
      const hf = stats(samples.handFused);
      const label = META_LABEL[kind];
      medians.push(
        [
          label,
          'runChecks (fused)',
          String(queriesOfFused),
          fmtMs(a.median),
          fmtMs(a.min),
          fmtRatio(1),
        ],
        [
          label,
          'one query per check',
          String(PER_CHECK.length),
          fmtMs(b.median),
          fmtMs(b.min),
          fmtRatio(b.median / a.median),
        ],
        [
          label,
          'bare scan of the 6 columns',
          '1',
          fmtMs(c.median),
          fmtMs(c.min),
          fmtRatio(c.median / a.median),
        ],
      );
      diagnostics.push([
        label,
        'the 19 scan checks fused by hand into one SELECT (nothing else in it), + the uniqueness GROUP BY',
        '2',
        fmtMs(hf.median),
        `${fmtRatio(b.median / hf.median)} faster`,
        fmtRatio(hf.median / c.median),
      ]);
      const times = new Map<string, Stats>();
      for (const [id, xs] of each) times.set(id, stats(xs));
      times.set('(session open)', stats(sessionOpen));
      perCheckTimes.set(label, times);
      bareMedians.set(label, c.median);
      const speedup = b.median / a.median;
      const overBare = a.median / c.median;
      targets.push(
        {
          target: '20 checks: fused run ≥ 4× faster than one query per check',
          backend: label,
          measured: `${fmtMs(a.median)} vs ${fmtMs(b.median)}: ${fmtRatio(speedup)}`,
          pass: speedup >= 4,
        },
        {
          target: '20 checks: fused run within 1.5× of a bare scan of the same 6 columns',
          backend: label,
          measured: `${fmtMs(a.median)} vs ${fmtMs(c.median)}: ${fmtRatio(overBare)}`,
          pass: overBare <= 1.5,
        },
      );
      await env.closeRepo(repo);
    }

    const labels = [...perCheckTimes.keys()];
    const timeOf = (label: string, id: string): number => {
      const s = perCheckTimes.get(label)?.get(id);
      if (!s) throw new Error(`no timing of ${id} on ${label}`);
      return s.median;
    };
    const breakdown: Table = {
      title: 'One query per check: median time of each query',
      columns: ['Check', 'Query', ...labels],
      rows: [
        ...PER_CHECK.map((p) => [
          p.id,
          p.sql.length > 110 ? `${p.sql.slice(0, 107)}…` : p.sql,
          ...labels.map((l) => fmtMs(timeOf(l, p.id))),
        ]),
        [
          '(opening the session)',
          'resolve main, list tables, create the views',
          ...labels.map((l) => fmtMs(timeOf(l, '(session open)'))),
        ],
      ],
    };
    const first = labels[0] as string;
    const slowest = PER_CHECK.map((p) => ({ id: p.id, ms: timeOf(first, p.id) }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 3)
      .map((x) => `${x.id} ${fmtMs(x.ms)}`);
    const folded = PER_CHECK.filter((p) => timeOf(first, p.id) < 10).map((p) => p.id);
    return {
      name: 'quality-checks',
      title: `20 quality checks over 6 columns of a ${fmtInt(count)}-row table`,
      summary:
        '`runChecks(repo, specs)` — what `sluice check` runs: resolve the ref, validate the specs, open a SqlSession, one fused aggregate scan for the row and aggregate checks and one GROUP BY for the uniqueness check — against the same 20 checks written as 20 separate queries on one SqlSession over the same views, and against one bare scan (`count(*)` and `min()` of each checked column) on a SqlSession. Each variant opens its own session (a fresh DuckDB) and its time includes opening it; the variants alternate, the first one rotating, and the tables give medians.',
      setup: [
        `Table \`${TABLE}\`: ${fmtInt(count)} rows generated by DuckDB (${fmtBytes(bytes)} of Parquet), ingested into a fresh repository per backend: ${tableInfo}`,
        'Checks (dbt properties YAML in bench/quality.ts): row_count; order_id not_null, unique, min; status not_null, accepted_values; amount not_null, between, mean, stddev, median, quantile 0.99; email not_null (mostly 0.95), regex, length; country accepted_values, length; created_at not_null, min, max — all passing',
        `Checked columns: ${CHECKED_COLUMNS.join(', ')} (the table has customer_id and note too)`,
        `Runs per variant: ${runs}; DuckDB with Sluice's defaults (memory_limit 1GB, one thread per core)`,
        'Before timing, the per-check queries (and the hand-fused SELECT) are checked to report the same element and failing counts and the same aggregates as the fused run',
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
      ],
      tables: [
        {
          title: `Medians of ${runs} runs`,
          columns: ['Backend', 'Variant', 'Queries', 'Median', 'Best', 'Ratio to fused'],
          rows: medians,
        },
        {
          title: 'Diagnostics (not targets): where the fused time goes, medians of the same rounds',
          columns: [
            'Backend',
            'Variant',
            'Queries',
            'Median',
            'vs one query per check',
            'Ratio to bare scan',
          ],
          rows: diagnostics,
        },
        breakdown,
      ],
      targets,
      notes: [
        `The fused run issued ${queriesOfFused} queries for the 20 checks. Slowest per-check queries (${first}): ${slowest.join(', ')}.` +
          (folded.length > 0
            ? ` Under 10 ms (DuckDB answers them from the Parquet footer's statistics, without reading the column): ${folded.join(', ')}.`
            : ''),
        ...labels.map((l) => {
          const heavy = timeOf(l, 'orders.email.regex') + timeOf(l, 'orders.order_id.unique');
          const total = PER_CHECK.reduce((n, p) => n + timeOf(l, p.id), 0);
          const bare = bareMedians.get(l) as number;
          return (
            `${l}: the regex check (a regular expression run on every one of the ${fmtInt(count)} emails) and the uniqueness check (a hash table of ${fmtInt(count)} keys) take ${fmtMs(heavy)} on their own — work no plan can share or skip. ` +
            `With the per-check queries summing to ${fmtMs(total)}, no plan can be more than ${fmtRatio(total / heavy)} faster than one query per check, and none can come closer than ${fmtRatio(heavy / bare)} to the bare scan: the two targets assume checking costs about what reading costs, and these two checks cost more than reading.`
          );
        }),
      ],
    };
  },
};
