// `sluice source freshness`: dbt's source freshness on a branch. Every source table with a
// `freshness:` block and a `loaded_at_field` becomes a `freshness` check (the quality layer's own:
// `max(loaded_at_field)` against `warn_after` / `error_after`), all run in one fused scan per
// table; the verdicts are reported per source, like dbt's `target/sources.json`. Read-only: no
// branch moves, nothing is committed.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorLine } from '../common/error-line.js';
import type { Repository } from '../core/repository.js';
import type { DuckOptions } from '../engine/duckdb.js';
import { listTables, type TableAtRef } from '../engine/tables.js';
import { runChecks } from '../quality/run.js';
import type { CheckSpec } from '../quality/spec.js';
import { TARGET_DIR, writeJsonAtomic } from './artifacts.js';
import { compileProject, idOf } from './graph.js';
import type { Duration, Project, SourceTable } from './project.js';
import { selectNodes } from './select.js';

/** dbt's vocabulary: `runtime error` when the freshness could not be measured at all. */
export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

export interface SourceFreshness {
  uniqueId: string;
  source: string;
  table: string;
  /** The table read. */
  identifier: string;
  loadedAtField?: string;
  status: FreshnessStatus;
  /** The newest `loaded_at_field` value, as DuckDB prints it. */
  maxLoadedAt?: string;
  /** Seconds between that value and `snapshottedAt`. */
  ageSeconds?: number;
  criteria: { warnAfter?: Duration; errorAfter?: Duration };
  message?: string;
}

export interface FreshnessRun {
  ref: string;
  commit: string;
  snapshottedAt: Date;
  elapsedMs: number;
  results: SourceFreshness[];
}

export interface FreshnessOptions {
  /** Default: the repository's default branch. */
  ref?: string;
  /** dbt selectors (`source:erp`, `source:erp.orders`, …); default every source. */
  select?: string[];
  exclude?: string[];
  /** The clock (tests). */
  now?: Date;
  duck?: DuckOptions;
  cacheDir?: string;
}

const toParam = (d: Duration): { count: number; period: string } => ({
  count: d.count,
  period: d.period,
});

/** Measures the freshness of the project's sources (those that declare one) at a ref. */
export async function sourceFreshness(
  repo: Repository,
  project: Project,
  opts: FreshnessOptions = {},
): Promise<FreshnessRun> {
  const started = Date.now();
  const ref = opts.ref ?? repo.defaultBranch;
  const commit = await repo.getCommit(ref);
  const now = opts.now ?? new Date();
  const sources = selectedSources(project, { ...opts, ref, now });
  const present = await listTables(repo, ref);
  const results = new Map<SourceTable, SourceFreshness>();
  const specs = new Map<string, SourceTable>();
  for (const s of sources) {
    const r = unmeasured(project, s, present, ref);
    results.set(s, r.result);
    if (r.measurable) specs.set(`${s.source}.${s.name}.freshness`, s);
  }
  if (specs.size > 0) await measure(repo, specs, results, { ...opts, ref, now });
  return {
    ref,
    commit: commit.id,
    snapshottedAt: now,
    elapsedMs: Date.now() - started,
    results: [...results.values()],
  };
}

/** The selected sources that declare a freshness. */
function selectedSources(
  project: Project,
  opts: FreshnessOptions & { ref: string; now: Date },
): SourceTable[] {
  const { graph } = compileProject(project, { target: opts.ref, runStartedAt: opts.now });
  const p = graph.project;
  const chosen = new Set(
    selectNodes(graph, {
      ...(opts.select ? { select: opts.select } : {}),
      ...(opts.exclude ? { exclude: opts.exclude } : {}),
    })
      .filter((n) => n.kind === 'source')
      .map((n) => n.uniqueId),
  );
  return [...project.sources.values()].filter(
    (s) => s.freshness && chosen.has(idOf.source(p, s.source, s.name)),
  );
}

/**
 * A source's result before measuring: a `runtime error` saying why it cannot be measured (no
 * loaded_at_field, no table, no such column), or the result to complete (`measurable`).
 */
function unmeasured(
  project: Project,
  s: SourceTable,
  present: Map<string, TableAtRef>,
  ref: string,
): { result: SourceFreshness; measurable: boolean } {
  const base: SourceFreshness = {
    uniqueId: idOf.source(project.config.name, s.source, s.name),
    source: s.source,
    table: s.name,
    identifier: s.identifier,
    ...(s.loadedAtField ? { loadedAtField: s.loadedAtField } : {}),
    status: 'runtime error',
    criteria: {
      ...(s.freshness?.warnAfter ? { warnAfter: s.freshness.warnAfter } : {}),
      ...(s.freshness?.errorAfter ? { errorAfter: s.freshness.errorAfter } : {}),
    },
  };
  const refuse = (message: string) => ({ result: { ...base, message }, measurable: false });
  if (!s.loadedAtField) return refuse(`${s.file}:${s.line}: freshness needs a loaded_at_field`);
  if (!present.has(s.identifier)) return refuse(`no table ${s.identifier} at ${ref}`);
  if (
    !present
      .get(s.identifier)
      ?.manifest.columns.some((c) => c.name.toLowerCase() === s.loadedAtField?.toLowerCase())
  )
    return refuse(`table ${s.identifier} has no column ${s.loadedAtField} (the loaded_at_field)`);
  return { result: base, measurable: true };
}

/** Measures the measurable sources with one runChecks (`freshness` checks), completing their results. */
async function measure(
  repo: Repository,
  specs: Map<string, SourceTable>,
  results: Map<SourceTable, SourceFreshness>,
  opts: FreshnessOptions & { ref: string; now: Date },
): Promise<void> {
  const { ref, now } = opts;
  const checkSpecs: CheckSpec[] = [...specs].map(([id, s]) => ({
    id,
    name: `freshness(${s.loadedAtField})`,
    table: s.identifier,
    column: s.loadedAtField as string,
    type: 'freshness',
    params: {
      ...(s.freshness?.warnAfter ? { warn_after: toParam(s.freshness.warnAfter) } : {}),
      ...(s.freshness?.errorAfter ? { error_after: toParam(s.freshness.errorAfter) } : {}),
    },
    severity: 'error',
    source: { file: s.file, line: s.line },
  }));
  let run: Awaited<ReturnType<typeof runChecks>> | undefined;
  let failure: string | undefined;
  try {
    run = await runChecks(repo, checkSpecs, {
      ref,
      now,
      ...(opts.duck ? { duck: opts.duck } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    });
  } catch (err) {
    failure = errorLine(err);
  }
  for (const [id, s] of specs) {
    const base = results.get(s) as SourceFreshness;
    const r = run?.results.find((x) => x.id === id);
    if (!r || r.status === 'error') {
      results.set(s, { ...base, message: r?.message ?? failure ?? 'not measured' });
      continue;
    }
    const observed =
      r.observed === null || r.observed === undefined ? undefined : String(r.observed);
    const t = observed === undefined ? Number.NaN : Date.parse(isoish(observed));
    results.set(s, {
      ...base,
      status: r.status === 'fail' ? 'error' : r.status,
      ...(observed !== undefined ? { maxLoadedAt: observed } : {}),
      ...(Number.isNaN(t) ? {} : { ageSeconds: (now.getTime() - t) / 1000 }),
      ...(r.message ? { message: r.message } : {}),
    });
  }
}

/** DuckDB's `2024-01-02 03:04:05+00` as something Date.parse reads. */
const isoish = (s: string): string => s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');

/** dbt's `sources.json` (schema v3) for a freshness run. */
export function sourcesJson(run: FreshnessRun, invocationId: string): object {
  const period = (d?: Duration) => (d ? { count: d.count, period: d.period } : null);
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json',
      dbt_version: 'sluice',
      generated_at: run.snapshottedAt.toISOString(),
      invocation_id: invocationId,
      env: {},
    },
    results: run.results.map((r) =>
      r.status === 'runtime error'
        ? { unique_id: r.uniqueId, error: r.message ?? 'runtime error', status: r.status }
        : {
            unique_id: r.uniqueId,
            max_loaded_at: r.maxLoadedAt ?? null,
            snapshotted_at: run.snapshottedAt.toISOString(),
            max_loaded_at_time_ago_in_s: r.ageSeconds ?? null,
            status: r.status,
            criteria: {
              warn_after: period(r.criteria.warnAfter),
              error_after: period(r.criteria.errorAfter),
              filter: null,
            },
            adapter_response: {},
            timing: [],
            thread_id: 'main',
            execution_time: run.elapsedMs / 1000,
          },
    ),
    elapsed_time: run.elapsedMs / 1000,
  };
}

/** Writes `target/sources.json` in the project (atomically) and returns its path. */
export async function writeSourcesJson(dir: string, run: FreshnessRun): Promise<string> {
  const target = join(dir, TARGET_DIR);
  await mkdir(target, { recursive: true });
  const path = join(target, 'sources.json');
  await writeJsonAtomic(path, sourcesJson(run, randomBytes(8).toString('hex')));
  return path;
}
