// Tables benchmarks: ingest of a large CSV vs DuckDB converting it alone, SQL at a ref vs DuckDB
// reading the same Parquet files directly, and the peak memory of ingesting a very large CSV.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withDuck } from '../src/engine/duckdb.js';
import { ObjectCache } from '../src/engine/object-cache.js';
import { defaultCacheDir, withSqlSession } from '../src/engine/session.js';
import { getTable } from '../src/engine/tables.js';
import { ingest } from '../src/tables/ingest.js';
import { diffTable } from '../src/tables/table-diff.js';
import type { BenchReport, TargetCheck } from './report.js';
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
  syncDisks,
} from './support.js';

const ROOT = resolve(import.meta.dirname, '..');

/** A CSV of `rows` rows written by DuckDB: ids, text, decimals, dates, timestamps, NULLs. */
export async function generateCsv(file: string, rows: number): Promise<number> {
  await withDuck({}, (duck) =>
    duck.run(
      `COPY (SELECT i AS id, 'customer_' || (i % 100000) AS customer, ` +
        `round((i * 7919 % 1000000) / 100.0, 2) AS amount, DATE '2024-01-01' + (i % 365)::INTEGER AS day, ` +
        `TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts, ` +
        `CASE WHEN i % 10 = 0 THEN NULL ELSE 'note, "quoted" ' || i END AS note ` +
        `FROM range(${rows}) t(i)) TO '${file}' (HEADER, DELIMITER ',')`,
    ),
  );
  return statSync(file).size;
}

const fmtBytes = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;

// ---- ingest vs DuckDB alone ------------------------------------------------------------------

export const tablesIngestBench: Benchmark = {
  name: 'tables-ingest',
  description: 'ingest of a 10-million-row CSV vs DuckDB alone converting it to Parquet',
  async run(env: BenchEnv): Promise<BenchReport> {
    const rows = env.quick ? 200_000 : 10_000_000;
    const rounds = env.quick ? 1 : 3;
    const work = env.temp.make('tables-ingest');
    const csv = join(work, 'events.csv');
    log(`generating a ${fmtInt(rows)}-row CSV`);
    const bytes = await generateCsv(csv, rows);
    log(`  ${fmtBytes(bytes)}`);
    const samples: Record<string, number[]> = { duckdb: [] };
    for (const kind of env.metas) samples[kind] = [];
    const handles = new Map<MetaKind, Awaited<ReturnType<BenchEnv['createRepo']>>>();
    for (let r = 0; r < rounds; r++) {
      syncDisks();
      const out = join(work, `duckdb-${r}.parquet`);
      const t0 = now();
      await withDuck({}, (duck) =>
        duck.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${out}' (FORMAT parquet)`),
      );
      samples.duckdb?.push(now() - t0);
      log(`round ${r + 1}/${rounds}: DuckDB COPY to Parquet ${fmtMs(now() - t0)}`);
      for (const kind of env.metas) {
        syncDisks();
        const h = await env.createRepo(kind, `ingest-${r}`);
        const t1 = now();
        const res = await ingest(h.repo, csv, { table: 'events', commit: { message: 'load' } });
        const ms = now() - t1;
        if (res.rowsWritten !== rows)
          throw new Error(`ingested ${res.rowsWritten} rows, expected ${rows}`);
        samples[kind]?.push(ms);
        log(`round ${r + 1}/${rounds}: sluice ingest (${META_LABEL[kind]}) ${fmtMs(ms)}`);
        if (r === rounds - 1) handles.set(kind, h);
        else await env.closeRepo(h.repo);
      }
    }
    const peer = stats(samples.duckdb as number[]);
    const targets: TargetCheck[] = [];
    const rowsOut: string[][] = [
      [
        'DuckDB alone: COPY (SELECT * FROM read_csv(…)) TO … (FORMAT parquet)',
        fmtMs(peer.median),
        fmtMs(peer.min),
        '',
      ],
    ];
    for (const kind of env.metas) {
      const s = stats(samples[kind] as number[]);
      const ratio = s.median / peer.median;
      rowsOut.push([
        `sluice ingest --commit (${META_LABEL[kind]})`,
        fmtMs(s.median),
        fmtMs(s.min),
        fmtRatio(ratio),
      ]);
      targets.push({
        target: 'ingest within 1.3× of DuckDB alone',
        backend: META_LABEL[kind],
        measured: `${fmtMs(s.median)} vs ${fmtMs(peer.median)}: ${fmtRatio(ratio)}`,
        pass: ratio <= 1.3,
      });
    }
    // Keep one repository for the query benchmark of the same run.
    lastIngested = { handles, rows, csv };
    return {
      name: 'tables-ingest',
      title: `Ingest of a ${fmtInt(rows)}-row CSV vs DuckDB alone`,
      summary:
        '`ingest(repo, csv, { table, commit })` — sniff, convert to Parquet with DuckDB, store the files in the object store, stage them with the table manifest and commit — against DuckDB converting the same CSV to one Parquet file with its defaults, in the same process, alternating.',
      setup: [
        `CSV: ${fmtInt(rows)} rows, ${fmtBytes(bytes)} (id, customer, amount, day, ts with zone, note with quotes and 10 % NULL), generated by DuckDB`,
        `Rounds: ${rounds}; a fresh repository per round`,
        ...env.metas.map((k) => `${META_LABEL[k]}: ${describeBackend(k)}`),
      ],
      tables: [
        {
          title: `Medians of ${rounds} round(s)`,
          columns: ['Variant', 'Median', 'Best', 'Ratio to DuckDB'],
          rows: rowsOut,
        },
      ],
      targets,
      notes: [],
    };
  },
};

let lastIngested:
  | {
      handles: Map<MetaKind, Awaited<ReturnType<BenchEnv['createRepo']>>>;
      rows: number;
      csv: string;
    }
  | undefined;

// ---- query at a ref vs DuckDB on the files ---------------------------------------------------

const QUERIES: { label: string; sql: (from: string) => string }[] = [
  {
    label: 'aggregate (GROUP BY customer, top 10)',
    sql: (from) =>
      `SELECT customer, sum(amount) AS total, count(*) AS n FROM ${from} GROUP BY customer ORDER BY total DESC LIMIT 10`,
  },
  {
    label: 'selective filter (one day)',
    sql: (from) =>
      `SELECT count(*) AS n, sum(amount) AS total FROM ${from} WHERE day = DATE '2024-03-01'`,
  },
];

export const tablesQueryBench: Benchmark = {
  name: 'tables-query',
  description: 'SQL at a ref vs the same query over the same Parquet files read directly by DuckDB',
  async run(env: BenchEnv): Promise<BenchReport> {
    const runs = env.quick ? 3 : 9;
    const rows = env.quick ? 200_000 : 10_000_000;
    const targets: TargetCheck[] = [];
    const table: string[][] = [];
    for (const kind of env.metas) {
      let handle = lastIngested?.handles.get(kind);
      if (!handle || lastIngested?.rows !== rows) {
        const work = env.temp.make('tables-query');
        const csv = join(work, 'events.csv');
        log(`generating a ${fmtInt(rows)}-row CSV`);
        await generateCsv(csv, rows);
        handle = await env.createRepo(kind, 'query');
        await ingest(handle.repo, csv, { table: 'events', commit: { message: 'load' } });
      }
      const repo = handle.repo;
      const t = await getTable(repo, 'main', 'events');
      const cache = new ObjectCache(repo.store, { dir: defaultCacheDir(repo) });
      const files: string[] = [];
      for (const f of t.files) files.push(await cache.fileFor(f));
      const direct = `read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`;
      for (const q of QUERIES) {
        const ours: number[] = [];
        const peer: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t0 = now();
          await withDuck({}, (duck) => duck.query(q.sql(direct)));
          peer.push(now() - t0);
          const t1 = now();
          await withSqlSession(repo, { refs: ['main'] }, (s) => s.duck.query(q.sql('events')));
          ours.push(now() - t1);
        }
        const a = stats(ours);
        const b = stats(peer);
        const allowed = b.median * 1.1 + 50;
        table.push([
          META_LABEL[kind],
          q.label,
          fmtMs(b.median),
          fmtMs(a.median),
          fmtMs(a.median - b.median),
          fmtRatio(a.median / b.median),
        ]);
        targets.push({
          target: `query overhead ≤ 10% + 50 ms — ${q.label}`,
          backend: META_LABEL[kind],
          measured: `${fmtMs(a.median)} vs ${fmtMs(b.median)} (allowed ${fmtMs(allowed)})`,
          pass: a.median <= allowed,
        });
      }
      log(`${META_LABEL[kind]}: ${t.files.length} file(s)`);
    }
    return {
      name: 'tables-query',
      title: 'SQL at a ref vs DuckDB on the same Parquet files',
      summary:
        'Each run opens what a `sluice sql` call opens — a SqlSession on `main` (resolve the ref, list the tables, find each file locally, create the views) — and runs the query; the peer opens a fresh DuckDB and runs the same query over `read_parquet([the same files])`. Alternating, medians.',
      setup: [
        `Table: ${fmtInt(rows)} rows ingested from the CSV of tables-ingest`,
        `Runs per query: ${runs}`,
      ],
      tables: [
        {
          columns: [
            'Backend',
            'Query',
            'DuckDB on the files',
            'sluice at main',
            'Overhead',
            'Ratio',
          ],
          rows: table,
        },
      ],
      targets,
      notes: [],
    };
  },
};

// ---- peak memory of a very large ingest ------------------------------------------------------

export const tablesMemoryBench: Benchmark = {
  name: 'tables-memory',
  description: 'peak memory of ingesting a 5 GB CSV (target < 2 GB)',
  async run(env: BenchEnv): Promise<BenchReport> {
    const target = env.quick ? 50 * 2 ** 20 : 5 * 10 ** 9;
    const work = env.temp.make('tables-memory');
    const csv = join(work, 'big.csv');
    // Rows needed: measured on a sample of the same generator (row width grows with the id).
    const sample = join(work, 'sample.csv');
    const sampleRows = 1_000_000;
    const perRow = (await generateCsv(sample, sampleRows)) / sampleRows;
    const rows = Math.ceil((target / perRow) * 1.02);
    log(`generating a CSV of about ${fmtBytes(target)} (${fmtInt(rows)} rows)`);
    const bytes = await generateCsv(csv, rows);
    log(`  ${fmtBytes(bytes)}`);
    const h = await env.createRepo('sqlite', 'memory');
    await env.closeRepo(h.repo);
    syncDisks();
    const t0 = now();
    const child = await runChild([
      '--import',
      'tsx',
      join(ROOT, 'bench', 'ingest-child.ts'),
      h.dir,
      csv,
    ]);
    const ms = now() - t0;
    const peak = child.maxRssBytes;
    return {
      name: 'tables-memory',
      title: `Peak memory of ingesting a ${fmtBytes(bytes)} CSV`,
      summary:
        'A separate Node process ingests the CSV into a fresh embedded repository with `ingest(…, { commit })` and reports its peak resident set (`process.resourceUsage().maxRSS`, which includes DuckDB’s native memory).',
      setup: [
        `CSV: ${fmtInt(rows)} rows, ${fmtBytes(bytes)}`,
        'DuckDB memory_limit 1GB (Sluice default), spilling to a temp dir',
      ],
      tables: [
        {
          columns: ['Input', 'Rows written', 'Time', 'Peak RSS'],
          rows: [[fmtBytes(bytes), fmtInt(child.rows), fmtMs(ms), fmtBytes(peak)]],
        },
      ],
      targets: [
        {
          target: 'peak memory of the ingest < 2 GB',
          backend: 'SQLite',
          measured: fmtBytes(peak),
          pass: peak < 2 * 10 ** 9,
        },
      ],
      notes: [],
    };
  },
};

function runChild(args: string[]): Promise<{ maxRssBytes: number; rows: number }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ingest child exited with ${code}`));
      try {
        const r = JSON.parse(out.trim().split('\n').at(-1) as string) as {
          maxRssKiB: number;
          rows: number;
        };
        resolvePromise({ maxRssBytes: r.maxRssKiB * 1024, rows: r.rows });
      } catch (err) {
        reject(err);
      }
    });
  });
}

// ---- table diff vs a full EXCEPT ALL ---------------------------------------------------------

export const tablesDiffBench: Benchmark = {
  name: 'tables-diff',
  description:
    'table diff of a 10M-row, 100-file table with 1,000 rows changed in one file vs EXCEPT ALL',
  async run(env: BenchEnv): Promise<BenchReport> {
    const files = env.quick ? 10 : 100;
    const perFile = env.quick ? 20_000 : 100_000;
    const changed = 1_000;
    const runs = env.quick ? 3 : 7;
    const work = env.temp.make('tables-diff');
    const table: string[][] = [];
    const targets: TargetCheck[] = [];
    for (const kind of env.metas) {
      const h = await env.createRepo(kind, 'diff');
      const repo = h.repo;
      log(`${META_LABEL[kind]}: writing ${files} Parquet files of ${fmtInt(perFile)} rows`);
      const inputs: string[] = [];
      await withDuck({}, async (duck) => {
        for (let f = 0; f < files; f++) {
          const p = join(work, `${kind}-part-${String(f).padStart(3, '0')}.parquet`);
          const lo = f * perFile;
          await duck.run(
            `COPY (SELECT i AS id, 'customer_' || (i % 100000) AS customer, round((i * 7919 % 1000000) / 100.0, 2) AS amount, ` +
              `DATE '2024-01-01' + (i % 365)::INTEGER AS day FROM range(${lo}, ${lo + perFile}) t(i)) TO '${p}' (FORMAT parquet)`,
          );
          inputs.push(p);
        }
      });
      const t0 = now();
      await ingest(repo, inputs, { table: 'events', key: ['id'], commit: { message: 'load' } });
      log(`  ingested in ${fmtMs(now() - t0)}`);
      await repo.createBranch('fix');
      // 1,000 changed rows, all in file 42 (ids 4,200,000 … 4,200,999 at full size).
      const upd = join(work, `${kind}-update.parquet`);
      const base = Math.min(42, files - 1) * perFile;
      await withDuck({}, (duck) =>
        duck.run(
          `COPY (SELECT i AS id, 'customer_' || (i % 100000) AS customer, -1.0::DOUBLE AS amount, ` +
            `DATE '2024-01-01' + (i % 365)::INTEGER AS day FROM range(${base}, ${base + changed}) t(i)) TO '${upd}' (FORMAT parquet)`,
        ),
      );
      const up = await ingest(repo, upd, {
        table: 'events',
        branch: 'fix',
        mode: 'upsert',
        commit: { message: 'fix' },
      });
      if (up.filesRemoved.length !== 1)
        throw new Error(`upsert rewrote ${up.filesRemoved.length} files, expected 1`);
      const left = await getTable(repo, 'main', 'events');
      const right = await getTable(repo, 'fix', 'events');
      const cache = new ObjectCache(repo.store, { dir: defaultCacheDir(repo) });
      const lf: string[] = [];
      const rf: string[] = [];
      for (const f of left.files) lf.push(await cache.fileFor(f));
      for (const f of right.files) rf.push(await cache.fileFor(f));
      const list = (xs: string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
      const except =
        `SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet(${list(rf)}) EXCEPT ALL SELECT * FROM read_parquet(${list(lf)}))) AS added, ` +
        `(SELECT count(*) FROM (SELECT * FROM read_parquet(${list(lf)}) EXCEPT ALL SELECT * FROM read_parquet(${list(rf)}))) AS removed`;
      const ours: number[] = [];
      const peer: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t1 = now();
        const res = await withDuck({}, (duck) => duck.query(except));
        peer.push(now() - t1);
        if (Number(res.rows[0]?.added) !== changed)
          throw new Error(`EXCEPT ALL found ${res.rows[0]?.added} added rows`);
        const t2 = now();
        const d = await diffTable(repo, 'events', 'main', 'fix');
        ours.push(now() - t2);
        if (d.changed !== changed || d.added !== 0 || d.removed !== 0)
          throw new Error(
            `diff found ${d.added}/${d.removed}/${d.changed}, expected 0/0/${changed}`,
          );
      }
      const a = stats(ours);
      const b = stats(peer);
      const share = a.median / b.median;
      table.push([
        META_LABEL[kind],
        fmtMs(b.median),
        fmtMs(a.median),
        `${(share * 100).toFixed(1)} %`,
      ]);
      targets.push({
        target: 'table diff ≤ 10% of a full EXCEPT ALL',
        backend: META_LABEL[kind],
        measured: `${fmtMs(a.median)} vs ${fmtMs(b.median)}: ${(share * 100).toFixed(1)} %`,
        pass: share <= 0.1,
      });
    }
    return {
      name: 'tables-diff',
      title: `Table diff of ${fmtInt(files * perFile)} rows in ${files} files, ${fmtInt(changed)} rows changed in one`,
      summary:
        'A keyed table is ingested from Parquet files (one table file each); a branch upserts 1,000 rows whose keys all lie in one file, which rewrites that file only. `diffTable(repo, "events", "main", "fix")` (schema, then rows of the files that differ, by key, with samples) is timed against DuckDB comparing the whole table both ways with EXCEPT ALL over the same local files. Alternating, medians.',
      setup: [
        `Table: ${fmtInt(files * perFile)} rows (id, customer, amount, day), ${files} files`,
        `Runs: ${runs}`,
      ],
      tables: [
        {
          columns: ['Backend', 'EXCEPT ALL, both ways', 'sluice table diff', 'Share'],
          rows: table,
        },
      ],
      targets,
      notes: [],
    };
  },
};
