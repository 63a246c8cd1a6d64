// Environments: `main` → `staging` → `production` (blue/green), and rollback.
//
// promote: `main`'s head goes to a candidate branch `promote/staging/<id>`; the staging rules
//   (deterministic sampling, masking) are applied there and committed, the project is built there,
//   the integration checks run there, and only when all of that passed does the `staging` branch
//   move to the candidate's final commit. A refused candidate stays for inspection. Neither the
//   source branch nor production is ever written.
// deploy: the `from` branch's head (staging) is put on the IDLE colour, the smoke checks run on
//   it, and only when they pass does the alias flip to it — one compare-and-swap of one metadata
//   record, so a reader resolving `production` gets the old commit or the new one, never a mix.
// rollback: the alias flips back to an earlier deploy's commit; when that commit is still the
//   head of the other colour (the usual case: the deploy just before), nothing else is written,
//   so a rollback takes milliseconds whatever the size of the data.
//
// What is live is read from the event log: the last successful deploy or rollback of the
// environment names the live deploy; a rollback marks the deploys it undid as rolled back.
//
// Staging rules (see docs/workflows.md):
// - Sampling keeps a row when the first 12 hex digits of md5('<seed>:' || json_array(<key>)) are
//   below fraction·16¹²; <key> is the table's primary key when its manifest has one, else every
//   column. Same seed and same rows → same sample, on any machine; another seed → other rows.
// - Masking `hash`: sha256('<column>:' || CAST(value AS VARCHAR)) as 64 hex digits (VARCHAR;
//   NULL stays NULL) — stable, so joins on a hashed column still match across tables.
//   `redact`: NULL, the column keeps its type. A redacted primary-key column is refused.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { errorLine } from '../common/error-line.js';
import {
  BranchNotFoundError,
  ConcurrentUpdateError,
  EmptyCommitError,
  GateFailedError,
  InvalidArgumentError,
  InvalidConfigError,
  NotFoundError,
  PreconditionError,
} from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { TreeEntry } from '../core/entry.js';
import type { Repository } from '../core/repository.js';
import { sqlIdent, sqlString } from '../engine/duckdb.js';
import { withSqlSession } from '../engine/session.js';
import {
  type Column,
  fileRows,
  listTables,
  TABLES_PREFIX,
  type TableAtRef,
  tableNameOf,
} from '../engine/tables.js';
import { buildProject } from '../pipeline/build.js';
import { compileProject } from '../pipeline/graph.js';
import { loadProject } from '../pipeline/project.js';
import { selectNodes } from '../pipeline/select.js';
import type { BuildRun } from '../pipeline/types.js';
import { refTable } from '../quality/checks.js';
import { blocking, gatesOf, specsFor } from '../quality/gates.js';
import { type CheckResult, type CheckRun, runChecks } from '../quality/run.js';
import { type CheckSpec, loadSpecs } from '../quality/spec.js';
import { summarize } from '../quality/summary.js';
import { ingest } from '../tables/ingest.js';
import { findColumn } from '../tables/schema.js';
import type { SendAlertResult } from './alerts.js';
import {
  type Env,
  type MaskRule,
  PRODUCTION_DEFAULTS,
  type ProductionEnvironment,
  STAGING_DEFAULTS,
  type StagingEnvironment,
  type WorkflowConfig,
} from './config/index.js';
import {
  buildCounts,
  buildEvent,
  type CheckSummary,
  type Colour,
  type DeployEvent,
  type DeployedLoad,
  describeBroken,
  listEvents,
  newLoads,
  type PromoteEvent,
  type RollbackEvent,
  recordEvent,
  type StoredEvent,
} from './events/index.js';
import { notify } from './notify.js';

/** What every environment operation takes for its alerts and progress. */
export interface EnvironmentOptions {
  /** Where `${VAR}` references of the alert sinks are looked up; default process.env. */
  env?: Env;
  /** Overrides the alert sinks' backoff (tests). */
  backoffMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Progress, for the CLI. */
  onPhase?: (phase: string, detail?: string) => void;
}

export type FailedCheck = ReturnType<typeof blocking>[number];

// ---- configuration ----------------------------------------------------------------------------

/** The staging environment as configured, or its defaults when `environments:` does not name it. */
export function stagingOf(config: WorkflowConfig, env = 'staging'): StagingEnvironment {
  if (env !== 'staging')
    throw new InvalidArgumentError(`unknown environment ${env}: promote takes staging`, {
      argument: 'environment',
      reason: 'unknown',
    });
  return config.environments.staging ?? { ...STAGING_DEFAULTS, mask: [] };
}

/** The production environment as configured, or its defaults. */
export function productionOf(config: WorkflowConfig, env = 'production'): ProductionEnvironment {
  if (env !== 'production')
    throw new InvalidArgumentError(
      `unknown environment ${env}: deploy and rollback take production`,
      { argument: 'environment', reason: 'unknown' },
    );
  return (
    config.environments.production ?? {
      ...PRODUCTION_DEFAULTS,
      branches: [...PRODUCTION_DEFAULTS.branches],
    }
  );
}

/**
 * Is `dir` a pipeline project? It has a `models/` folder and a `sluice.yml` with `name:` (or a
 * `dbt_project.yml`): the rule promote (build) and deploy (smoke selection) both use.
 */
export function hasProject(dir: string): boolean {
  if (!existsSync(join(dir, 'models'))) return false;
  if (existsSync(join(dir, 'dbt_project.yml'))) return true;
  for (const f of ['sluice.yml', 'sluice.yaml']) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    try {
      const doc = parseYaml(readFileSync(p, 'utf8')) as { name?: unknown } | null;
      return typeof doc?.name === 'string';
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Staging's build selection (`build: {select, exclude}`) as buildProject takes it, each selector
 * checked against the project first: one that names nothing there is a mistake in sluice.yml,
 * and must not quietly build everything — or nothing.
 */
function stagingBuildNodes(
  repoDir: string,
  st: Pick<StagingEnvironment, 'buildSelect' | 'buildExclude'>,
): { select?: string[]; exclude?: string[] } {
  const nodes = {
    ...(st.buildSelect ? { select: st.buildSelect } : {}),
    ...(st.buildExclude ? { exclude: st.buildExclude } : {}),
  };
  if (!nodes.select && !nodes.exclude) return nodes;
  const graph = compileProject(loadProject(repoDir)).graph;
  for (const key of ['select', 'exclude'] as const) {
    for (const selector of nodes[key] ?? []) {
      try {
        selectNodes(graph, { select: [selector] });
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        const field = `environments.staging.build.${key}`;
        throw new InvalidConfigError(`sluice.yml: ${field}: ${err.message}`, {
          file: 'sluice.yml',
          field,
          reason: err.message,
        });
      }
    }
  }
  return nodes;
}

const colourOf = (prod: ProductionEnvironment, branch: string): Colour | undefined =>
  branch === prod.branches[0] ? 'blue' : branch === prod.branches[1] ? 'green' : undefined;

/** The nodes of a build that failed or errored, as the failures a promotion or deploy reports. */
function brokenNodes(run: BuildRun): FailedCheck[] {
  return run.results
    .filter((r) => r.status === 'error' || r.status === 'fail')
    .map((r) => ({
      id: r.uniqueId,
      name: r.name,
      table: r.relation ?? r.name,
      status: r.status as FailedCheck['status'],
      ...(r.message ? { message: r.message } : {}),
    }));
}

const alertOptsOf = (opts: EnvironmentOptions, eventId: number) => ({
  eventId,
  ...(opts.env ? { env: opts.env } : {}),
  ...(opts.backoffMs !== undefined ? { backoffBaseMs: opts.backoffMs } : {}),
  ...(opts.fetch ? { fetch: opts.fetch } : {}),
});

async function branchHead(repo: Repository, name: string): Promise<string | undefined> {
  const b = await repo.meta.getBranch(repo.name, name);
  return b?.head;
}

// ---- staging rules ------------------------------------------------------------------------------

export interface SampledTable {
  table: string;
  rowsBefore: number;
  rowsAfter: number;
}

export interface StagingRulesResult {
  sampled: SampledTable[];
  /** The mask rules applied (those whose table exists). */
  masked: MaskRule[];
  /** The commit made on the branch (absent when the rules changed nothing). */
  commit?: string;
}

/** 12 hex digits: the sampling threshold for `fraction` (compared as equal-length strings). */
export function sampleThreshold(fraction: number): string {
  return Math.floor(fraction * 16 ** 12)
    .toString(16)
    .padStart(12, '0');
}

/** The SQL predicate keeping a row of `t` in the sample (see the top of this file). */
export function sampleCondition(t: TableAtRef, fraction: number, seed: number): string {
  const key = t.manifest.primaryKey?.length
    ? t.manifest.primaryKey
    : t.manifest.columns.map((c) => c.name);
  const digest = `md5(${sqlString(`${seed}:`)} || CAST(json_array(${key.map(sqlIdent).join(', ')}) AS VARCHAR))`;
  return `substr(${digest}, 1, 12) < ${sqlString(sampleThreshold(fraction))}`;
}

/** The SQL expression a masked column is written as. */
export function maskExpression(column: Column, method: MaskRule['method']): string {
  const id = sqlIdent(column.name);
  return method === 'hash'
    ? `sha256(${sqlString(`${column.name}:`)} || CAST(${id} AS VARCHAR))`
    : `CAST(NULL AS ${column.type})`;
}

/**
 * Applies the staging rules to the tables of `branch` and commits them there (never anywhere
 * else): each sampled or masked table is rewritten whole — read at the branch's head, written
 * by DuckDB to Parquet, ingested back with mode overwrite (manifest key and partitioning kept).
 */
export async function applyStagingRules(
  repo: Repository,
  branch: string,
  st: Pick<StagingEnvironment, 'sample' | 'mask'>,
  opts: { message?: string; metadata?: Record<string, string> } = {},
): Promise<StagingRulesResult> {
  const tables = await listTables(repo, branch);
  const sample = st.sample && st.sample.fraction < 1 ? st.sample : undefined;
  interface Plan {
    t: TableAtRef;
    sample: boolean;
    masks: { column: Column; method: MaskRule['method'] }[];
  }
  const plans: Plan[] = [];
  const masked: MaskRule[] = [];
  for (const t of [...tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (t.manifest.view) continue; // a stored view reads the (sampled, masked) tables
    const masks: Plan['masks'] = [];
    for (const m of st.mask.filter((r) => r.table === t.name)) {
      const where = `environments.staging.mask.${m.table}.${m.column}`;
      const column = findColumn(t.manifest.columns, m.column);
      // A masked column that is gone (renamed?) must not let its data through unmasked.
      if (!column)
        throw new InvalidConfigError(
          `sluice.yml: ${where}: table ${t.name} has no column ${m.column} (columns: ${t.manifest.columns.map((c) => c.name).join(', ')})`,
          { file: 'sluice.yml', field: where, reason: 'unknown column' },
        );
      if (
        m.method === 'redact' &&
        t.manifest.primaryKey?.some((k) => k.toLowerCase() === column.name.toLowerCase())
      )
        throw new InvalidConfigError(
          `sluice.yml: ${where}: ${column.name} is part of ${t.name}'s primary key: redacting it would break the key (use hash)`,
          { file: 'sluice.yml', field: where, reason: 'redacted key column' },
        );
      masks.push({ column, method: m.method });
      masked.push({ table: t.name, column: column.name, method: m.method });
    }
    const sampled = sample !== undefined && (!sample.tables || sample.tables.includes(t.name));
    if (sampled || masks.length > 0) plans.push({ t, sample: sampled, masks });
  }
  if (plans.length === 0) return { sampled: [], masked };

  const work = mkdtempSync(join(tmpdir(), 'sluice-staging-'));
  try {
    const outputs: { plan: Plan; file: string; columns: Column[] }[] = [];
    await withSqlSession(repo, { refs: [branch] }, async (s) => {
      for (const [i, plan] of plans.entries()) {
        const { t } = plan;
        const columns = t.manifest.columns.map((c) => {
          const m = plan.masks.find((x) => x.column.name === c.name);
          return m?.method === 'hash' ? { name: c.name, type: 'VARCHAR' } : c;
        });
        const projection = t.manifest.columns.map((c) => {
          const m = plan.masks.find((x) => x.column.name === c.name);
          return m
            ? `${maskExpression(c, m.method)} AS ${sqlIdent(c.name)}`
            : `${sqlIdent(c.name)}`;
        });
        const where =
          plan.sample && sample ? ` WHERE ${sampleCondition(t, sample.fraction, sample.seed)}` : '';
        const file = join(work, `${i}.parquet`);
        await s.duck.run(
          `COPY (SELECT ${projection.join(', ')} FROM ${sqlIdent(t.name)}${where}) TO ${sqlString(file)} (FORMAT parquet)`,
        );
        outputs.push({ plan, file, columns });
      }
    });
    const sampled: SampledTable[] = [];
    for (const { plan, file, columns } of outputs) {
      const { t } = plan;
      const res = await ingest(repo, file, {
        table: t.name,
        branch,
        mode: 'overwrite',
        schema: columns,
        ...(t.manifest.primaryKey?.length ? { key: t.manifest.primaryKey } : {}),
        ...(t.manifest.partitionBy?.length ? { partitionBy: t.manifest.partitionBy } : {}),
      });
      if (plan.sample)
        sampled.push({
          table: t.name,
          rowsBefore: t.files.reduce((n, f) => n + (fileRows(f) ?? 0), 0),
          rowsAfter: res.rowsWritten,
        });
    }
    const describe = [
      ...(sample && sampled.length > 0
        ? [`sample ${sample.fraction} (seed ${sample.seed}) of ${sampled.length} table(s)`]
        : []),
      ...(masked.length > 0 ? [`mask ${masked.length} column(s)`] : []),
    ].join(', ');
    let commit: string | undefined;
    try {
      commit = (
        await repo.commit(branch, {
          message: opts.message ?? `staging rules: ${describe}`,
          metadata: {
            ...opts.metadata,
            ...(sample ? { 'sluice.sample': `${sample.fraction}:${sample.seed}` } : {}),
            ...(masked.length > 0
              ? {
                  'sluice.mask': masked.map((m) => `${m.table}.${m.column}:${m.method}`).join(','),
                }
              : {}),
          },
        })
      ).id;
    } catch (err) {
      if (!(err instanceof EmptyCommitError)) throw err;
    }
    return { sampled, masked, ...(commit ? { commit } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- promote ------------------------------------------------------------------------------------

export interface PromoteOptions extends EnvironmentOptions {}

export interface PromoteRun {
  environment: string;
  /** Sortable unique id; the candidate is `promote/<environment>/<id>`. */
  id: string;
  status: 'success' | 'failure';
  /** The branch promoted from (`main`). */
  source: string;
  /** The environment's branch (`staging`). */
  branch: string;
  /** The candidate branch (deleted after a success, kept after a failure). */
  candidate: string;
  /** The source commit promoted. */
  commit: string;
  /** The environment's commit before. */
  fromCommit?: string;
  /** The candidate's final commit: what the environment now is (success) or was refused. */
  builtCommit: string;
  /** How the environment branch moved: created, reset, or merged through its gate. */
  moved?: 'created' | 'reset' | 'gate';
  sampled: SampledTable[];
  masked: MaskRule[];
  build?: {
    runId: string;
    status: 'success' | 'error';
    models: { built: number; reused: number; failed: number; skipped: number };
    commit?: string;
  };
  /** The build's tests and the integration checks, together. */
  checks?: CheckSummary;
  failed: FailedCheck[];
  reason?: string;
  durationMs: number;
  event: StoredEvent;
  alert?: SendAlertResult;
}

/**
 * `sluice promote staging`: the `from` branch's head, with the staging rules applied, built and
 * checked on a candidate branch, becomes the staging branch's head — or, when the build or a
 * check fails, nothing moves and the candidate stays for inspection.
 */
export async function promote(
  repo: Repository,
  repoDir: string,
  config: WorkflowConfig,
  env = 'staging',
  opts: PromoteOptions = {},
): Promise<PromoteRun> {
  const started = Date.now();
  const st = stagingOf(config, env);
  const prod = config.environments.production ?? PRODUCTION_DEFAULTS;
  // Promotion never writes production or the default branch: refuse a staging branch named so.
  if ([prod.alias, ...prod.branches, repo.defaultBranch].includes(st.branch))
    throw new InvalidConfigError(
      `sluice.yml: environments.staging.branch: ${st.branch} is production's alias or one of its colours, or the default branch`,
      { file: 'sluice.yml', field: 'environments.staging.branch', reason: 'reserved branch' },
    );
  const source = (await repo.getBranch(st.from)).name;
  const commit = (await repo.getBranch(source)).head as string; // committed state only
  const fromCommit = await branchHead(repo, st.branch);
  const id = newRunId();
  const candidate = `promote/${env}/${id}`;
  const gates = gatesOf(repo);
  const gated = fromCommit !== undefined && gates?.ruleFor(st.branch)?.protected === true;
  const alertRefs = { branch: candidate, target: st.branch, environment: env, commit };

  const abort = async (err: unknown): Promise<never> => {
    const reason = errorLine(err);
    const head = await branchHead(repo, candidate);
    const event = await recordEvent(repo, {
      type: 'promote',
      outcome: 'error',
      environment: env,
      promoteId: id,
      branch: candidate,
      source,
      commit,
      ...(fromCommit ? { fromCommit } : {}),
      reason,
      durationMs: Date.now() - started,
    });
    await notify(
      repo,
      config.alerts,
      {
        type: 'promote.error',
        title: `promote to ${env} could not run`,
        text: `${reason}. ${st.branch} was not changed.`,
        severity: 'error',
        outcome: 'error',
        refs: alertRefs,
        details: { code: (err as { code?: string }).code ?? 'Error' },
      },
      alertOptsOf(opts, event.id),
    );
    // A candidate with work on it stays for inspection; an untouched one goes.
    if (head === commit) await repo.deleteBranch(candidate).catch(() => {});
    throw err;
  };

  await repo.createBranch(candidate, { from: commit });
  try {
    // A bad build selection fails here, while the candidate is untouched (and removed).
    const builds = st.build && hasProject(repoDir);
    const nodes = builds ? stagingBuildNodes(repoDir, st) : {};
    if (gated) {
      // A protected staging branch moves only by a gated merge, which must then be a
      // fast-forward to the candidate's exact tree: the candidate descends from staging's head
      // (merged in, then restored to the source's tree), so merging it adds nothing stale.
      opts.onPhase?.('prepare', `${candidate} (descending from ${st.branch})`);
      await descendFrom(repo, candidate, fromCommit as string, commit);
    }

    // 1. The staging rules.
    opts.onPhase?.('rules', candidate);
    const rules = await applyStagingRules(repo, candidate, st, {
      message: `promote ${source} → ${env}: staging rules (promotion ${id})`,
      metadata: { 'sluice.promote_id': id, 'sluice.environment': env },
    });

    // 2. The build.
    let build: PromoteRun['build'];
    const failed: FailedCheck[] = [];
    const results: CheckResult[] = [];
    const ranIds = new Set<string>();
    let reason: string | undefined;
    if (builds) {
      opts.onPhase?.('build', candidate);
      const out = await buildProject(repo, repoDir, {
        branch: candidate,
        message: `promote ${source} → ${env}: build (promotion ${id})`,
        ...nodes,
      });
      build = {
        runId: out.run.id,
        status: out.run.status,
        models: buildCounts(out.run).models,
        ...(out.run.commit ? { commit: out.run.commit } : {}),
      };
      for (const list of out.checks.values())
        for (const r of list) {
          results.push(r);
          ranIds.add(r.id);
        }
      await recordEvent(repo, buildEvent('build', out));
      if (out.run.status !== 'success') {
        failed.push(...brokenNodes(out.run));
        reason = `the build failed: ${describeBroken(out.run)} (outputs on ${out.run.runBranch})`;
      }
    }

    // 3. The integration checks: every check of the tables there that the build did not run,
    // except those of masked columns (their values are altered on purpose).
    if (failed.length === 0) {
      const tables = await listTables(repo, candidate);
      const maskedCol = (s: CheckSpec): boolean =>
        rules.masked.some(
          (m) =>
            m.table === s.table &&
            [s.column, ...((s.params.columns as string[] | undefined) ?? [])].some(
              (c) => c !== undefined && c.toLowerCase() === m.column.toLowerCase(),
            ),
        );
      const specs = loadSpecs(repoDir).filter(
        (s) =>
          !ranIds.has(s.id) &&
          tables.has(s.table) &&
          (s.type !== 'relationships' || tables.has(refTable(String(s.params.to)))) &&
          !maskedCol(s),
      );
      if (specs.length > 0) {
        opts.onPhase?.('check', `${specs.length} check(s)`);
        const run = await runChecks(repo, specs, { ref: candidate, store: true });
        results.push(...run.results);
        const bad = blocking(run);
        failed.push(...bad);
        await recordEvent(repo, {
          type: 'check',
          outcome: bad.length > 0 ? 'failure' : 'success',
          ref: candidate,
          commit: run.commit,
          runId: id,
          tables: [...new Set(specs.map((s) => s.table))].sort(),
          summary: summarize(run.results),
        });
        if (bad.length > 0)
          reason = `${bad.length} check(s) did not pass: ${bad.map((f) => `${f.table}: ${f.name}`).join(', ')}`;
      }
    }
    const checks = results.length > 0 ? summarize(results) : undefined;
    let builtCommit = (await repo.getBranch(candidate)).head as string;

    // 4. Publish: the environment branch moves to the candidate's final commit.
    let moved: PromoteRun['moved'];
    if (failed.length === 0) {
      opts.onPhase?.('publish', st.branch);
      try {
        if (fromCommit === undefined) {
          await repo.createBranch(st.branch, { from: builtCommit });
          moved = 'created';
        } else if (gated && gates) {
          // Protected by a gate: through its merge (its checks run too), a fast-forward here.
          const { result } = await gates.merge(candidate, st.branch, {
            message: `promote ${source} → ${env} (promotion ${id})`,
            metadata: { 'sluice.promote_id': id },
          });
          builtCommit = result.commit?.id ?? (await repo.getBranch(st.branch)).head;
          moved = 'gate';
        } else {
          await repo.resetBranch(st.branch, builtCommit);
          moved = 'reset';
        }
      } catch (err) {
        if (!(err instanceof GateFailedError)) throw err;
        failed.push(...err.data.failed);
        reason = err.message;
      }
    }

    const base = {
      environment: env,
      id,
      source,
      branch: st.branch,
      candidate,
      commit,
      ...(fromCommit ? { fromCommit } : {}),
      builtCommit,
      sampled: rules.sampled,
      masked: rules.masked,
      ...(build ? { build } : {}),
      ...(checks ? { checks } : {}),
    };
    const eventBase = {
      type: 'promote' as const,
      environment: env,
      promoteId: id,
      branch: candidate,
      source,
      commit,
      ...(fromCommit ? { fromCommit } : {}),
      builtCommit,
      ...(checks ? { checks } : {}),
    };
    if (failed.length === 0 && moved) {
      await repo.deleteBranch(candidate);
      const event = await recordEvent(repo, {
        ...eventBase,
        outcome: 'success',
        durationMs: Date.now() - started,
      } satisfies PromoteEvent);
      return {
        ...base,
        status: 'success',
        moved,
        failed: [],
        durationMs: Date.now() - started,
        event,
      };
    }
    reason ??= 'refused';
    const event = await recordEvent(repo, {
      ...eventBase,
      outcome: 'failure',
      reason: `${reason}; candidate kept on ${candidate}`,
      durationMs: Date.now() - started,
    } satisfies PromoteEvent);
    const alert = await notify(
      repo,
      config.alerts,
      {
        type: 'promote.failed',
        title: `promote to ${env} stopped on ${candidate}`,
        text: `${reason}. ${st.branch} was not changed; inspect the candidate with \`sluice sql --ref ${candidate}\`.`,
        severity: 'error',
        outcome: 'failure',
        refs: { ...alertRefs, commit: builtCommit },
        details: {
          failed: failed.map((f) => ({
            table: f.table,
            check: f.name,
            status: f.status,
            ...(f.message ? { message: f.message } : {}),
          })),
          ...(build ? { build: build.status } : {}),
        },
      },
      alertOptsOf(opts, event.id),
    );
    return {
      ...base,
      status: 'failure',
      failed,
      reason,
      durationMs: Date.now() - started,
      event,
      alert,
    };
  } catch (err) {
    return abort(err);
  }
}

/**
 * Makes `branch` (at `source`) descend from `envHead` while keeping exactly `source`'s tree:
 * merge `envHead` in (the branch's side winning), then stage back whatever differs from
 * `source` and commit it.
 */
async function descendFrom(
  repo: Repository,
  branch: string,
  envHead: string,
  source: string,
): Promise<void> {
  await repo.merge(envHead, branch, {
    strategy: 'dest-wins',
    message: `promote: descend from ${envHead.slice(0, 12)}`,
  });
  const puts: TreeEntry[] = [];
  const remove: string[] = [];
  for await (const c of repo.diff(branch, source)) {
    if (c.type === 'removed') remove.push(c.path);
    else if (c.right) puts.push({ ...c.right, path: c.path });
  }
  if (puts.length === 0 && remove.length === 0) return;
  await repo.putEntries(branch, puts, { remove });
  await repo.commit(branch, { message: `promote: the tree of ${source.slice(0, 12)}` });
}

// ---- the deploy history -------------------------------------------------------------------------

type StoredDeploy = DeployEvent & { id: number; time: string; actor: string };
type StoredRollback = RollbackEvent & { id: number; time: string; actor: string };

export interface DeployHistory {
  /** Successful deploys, oldest first. */
  deploys: StoredDeploy[];
  /** The live deploy: named by the last successful deploy or rollback. */
  live?: StoredDeploy;
  /** Deploy ids undone by a rollback. */
  rolledBack: Set<string>;
  lastDeploy?: StoredDeploy;
  lastRollback?: StoredRollback;
}

/** The deploys of an environment as the event log tells them. */
export async function deployHistory(repo: Repository, env = 'production'): Promise<DeployHistory> {
  const deploys: StoredDeploy[] = [];
  const rolledBack = new Set<string>();
  let live: StoredDeploy | undefined;
  let lastDeploy: StoredDeploy | undefined;
  let lastRollback: StoredRollback | undefined;
  for await (const e of listEvents(repo, { types: ['deploy', 'rollback'] })) {
    if (e.type === 'deploy' && e.environment === env) {
      if (e.outcome === 'skipped') continue;
      lastDeploy = e;
      if (e.outcome !== 'success') continue;
      deploys.push(e);
      live = e;
    } else if (e.type === 'rollback' && e.environment === env) {
      lastRollback = e;
      if (e.outcome !== 'success') continue;
      // As metrics.ts counts them: the deploy undone, and any after the one restored.
      const at = deploys.findLastIndex((d) => d.deployId === e.deployId);
      for (const [i, d] of deploys.entries())
        if (d.deployId === e.fromDeployId || (at >= 0 && i > at)) rolledBack.add(d.deployId);
      live = at >= 0 ? deploys[at] : undefined;
    }
  }
  return {
    deploys,
    ...(live ? { live } : {}),
    rolledBack,
    ...(lastDeploy ? { lastDeploy } : {}),
    ...(lastRollback ? { lastRollback } : {}),
  };
}

/** The environment's alias and the colour it points at (undefined before the first deploy). */
async function liveOf(repo: Repository, prod: ProductionEnvironment) {
  const alias = await repo.meta.getAlias(repo.name, prod.alias);
  if (!alias) return undefined;
  const colour = colourOf(prod, alias.target);
  if (!colour)
    throw new PreconditionError(
      `alias ${prod.alias} points at ${alias.target}, which is not one of its colours (${prod.branches.join(', ')}): point it at one with \`sluice alias set\``,
      { alias: prod.alias, target: alias.target },
    );
  const commit = await branchHead(repo, alias.target);
  if (commit === undefined)
    throw new BranchNotFoundError(`alias ${prod.alias} points at missing branch ${alias.target}`, {
      branch: alias.target,
    });
  return { alias, branch: alias.target, colour, commit };
}

/**
 * Flips the alias to `target` in ONE compare-and-swap of its record: readers resolve the old
 * colour or the new one. `expected` undefined creates it; an alias that moved since it was read
 * (another deploy or rollback) is ConcurrentUpdateError, and nothing changes.
 */
async function flipAlias(
  repo: Repository,
  alias: string,
  target: string,
  expected: { version: number } | undefined,
): Promise<number> {
  const t0 = performance.now();
  if (!expected) await repo.setAlias(alias, target);
  else if (!(await repo.meta.setAlias(repo.name, alias, target, expected.version)))
    throw new ConcurrentUpdateError(
      `alias ${alias} moved while this deploy or rollback ran; nothing was flipped`,
      { ref: alias },
    );
  return performance.now() - t0;
}

/** Points `branch` at `commit`, creating it when missing. */
async function putBranchAt(repo: Repository, branch: string, commit: string): Promise<void> {
  if ((await branchHead(repo, branch)) === undefined)
    await repo.createBranch(branch, { from: commit });
  else await repo.resetBranch(branch, commit);
}

// ---- deploy -------------------------------------------------------------------------------------

export interface DeployOptions extends EnvironmentOptions {}

export type SmokeStatus = DeployEvent['smoke'];

export interface DeployRun {
  environment: string;
  deployId: string;
  status: 'success' | 'failure' | 'skipped';
  alias: string;
  /** The colour the candidate went to (live after a success). */
  colour: Colour;
  branch: string;
  /** The commit deployed (the `from` branch's head). */
  commit: string;
  fromCommit?: string;
  fromDeployId?: string;
  smoke: SmokeStatus;
  /** How the smoke checks were chosen. */
  smokeRule: string;
  smokeChecks?: CheckSummary;
  smokeFailed: FailedCheck[];
  loads: DeployedLoad[];
  /** How long the alias flip took (success only). */
  flipMs?: number;
  /** Staging's head, when it held sampled or masked data and its source was deployed instead. */
  unmaskedFrom?: string;
  /** With `unmaskedFrom`: the source commit the project was built on, on the idle colour. */
  builtFrom?: string;
  reason?: string;
  durationMs: number;
  event: StoredEvent;
  alert?: SendAlertResult;
}

/**
 * The smoke checks of a deploy. With a project and a `smoke.select` selector: the project's tests
 * the pipeline selector picks (`tag:smoke` — tests carry their model's tags). Otherwise: the
 * checks (checks/*.yml, models/*.yml) of every table that differs from the live commit (every
 * table on a first deploy), and relationships pointing at them.
 */
export async function smokeSpecs(
  repo: Repository,
  repoDir: string,
  prod: ProductionEnvironment,
  candidate: string,
  live: string | undefined,
): Promise<{ specs: CheckSpec[]; rule: string }> {
  const tables = await listTables(repo, candidate);
  const present = (s: CheckSpec): boolean =>
    tables.has(s.table) &&
    (s.type !== 'relationships' || tables.has(refTable(String(s.params.to))));
  if (prod.smoke && hasProject(repoDir)) {
    const compiled = compileProject(loadProject(repoDir));
    const ids = new Set(
      selectNodes(compiled.graph, { select: [prod.smoke.select] })
        .filter((n) => n.kind === 'test')
        .map((n) => String(n.meta.check)),
    );
    return {
      specs: compiled.checks.filter((c) => ids.has(c.id) && present(c)),
      rule: `the project's tests selected by ${prod.smoke.select}`,
    };
  }
  let changed: Set<string>;
  if (live === undefined) changed = new Set(tables.keys());
  else {
    changed = new Set();
    for await (const c of repo.diff(live, candidate, { prefix: TABLES_PREFIX })) {
      const name = tableNameOf(c.path);
      if (name) changed.add(name);
    }
  }
  return {
    specs: specsFor(loadSpecs(repoDir), changed).filter(present),
    rule: `the checks of the ${changed.size} table(s) that differ from the live commit`,
  };
}

/** What a deploy puts on the idle colour (see `deploySource`). */
export interface DeploySource {
  /** The commit the idle colour is reset to. */
  commit: string;
  /**
   * Set when the `from` branch's head is a promotion that sampled or masked data: production
   * takes the source commit that promotion promoted (full, unmasked data) and is rebuilt there.
   */
  unmaskedFrom?: string;
}

/**
 * The `from` branch's head — unless it is staging's head made by a promotion that applied
 * staging rules: sampled or masked data never goes to production, so the deploy takes the
 * commit that promotion promoted (`main`'s) instead, and the project is rebuilt on the idle
 * colour when staging builds (its smoke checks then judge that full build).
 */
export async function deploySource(
  repo: Repository,
  config: WorkflowConfig,
  prod: ProductionEnvironment,
): Promise<DeploySource> {
  const head = (await repo.getBranch(prod.from)).head as string;
  const st = config.environments.staging ?? STAGING_DEFAULTS;
  if ((await repo.getBranch(prod.from)).name !== st.branch) return { commit: head };
  let promoted: string | undefined;
  for await (const e of listEvents(repo, { types: ['promote'], order: 'desc' })) {
    if (e.type !== 'promote' || e.outcome !== 'success' || e.builtCommit !== head) continue;
    promoted = e.commit;
    break;
  }
  if (promoted === undefined) return { commit: head };
  // The promotion's own commits: from staging's head back (first parents) to what it promoted.
  for await (const c of repo.log(head, { firstParent: true, limit: 1000 })) {
    if (c.id === promoted) break;
    if (c.metadata['sluice.sample'] !== undefined || c.metadata['sluice.mask'] !== undefined)
      return { commit: promoted, unmaskedFrom: head };
  }
  return { commit: head };
}

/**
 * `sluice deploy production`: blue/green. The `from` branch's head goes to the idle colour (see
 * `deploySource` for a masked or sampled staging), the smoke checks run there, and the alias
 * flips to it only when they pass.
 */
export async function deploy(
  repo: Repository,
  repoDir: string,
  config: WorkflowConfig,
  env = 'production',
  opts: DeployOptions = {},
): Promise<DeployRun> {
  const started = Date.now();
  const prod = productionOf(config, env);
  const deployId = newRunId();
  const live = await liveOf(repo, prod);
  const history = await deployHistory(repo, env);
  const fromDeployId = live ? history.live?.deployId : undefined;
  const idle = live?.branch === prod.branches[0] ? prod.branches[1] : prod.branches[0];
  const colour = colourOf(prod, idle) as Colour;
  const source = await deploySource(repo, config, prod);
  const fromCommit = live?.commit;
  let commit = source.commit; // the idle colour's head once prepared
  const baseOf = () => ({
    environment: env,
    deployId,
    colour,
    commit,
    ...(fromCommit ? { fromCommit } : {}),
    ...(fromDeployId ? { fromDeployId } : {}),
  });
  const alertRefs = () => ({
    environment: env,
    deployId,
    branch: idle,
    commit,
    target: prod.alias,
  });
  const result = (
    rest: Omit<DeployRun, keyof ReturnType<typeof baseOf> | 'alias' | 'branch' | 'durationMs'>,
  ): DeployRun => ({
    ...baseOf(),
    alias: prod.alias,
    branch: idle,
    ...(source.unmaskedFrom ? { unmaskedFrom: source.unmaskedFrom, builtFrom: source.commit } : {}),
    ...rest,
    durationMs: Date.now() - started,
  });

  if (commit === fromCommit) {
    const reason = `${commit.slice(0, 12)}${source.unmaskedFrom ? ` (what ${prod.from} was promoted from)` : ` (${prod.from}'s head)`} is already live`;
    const event = await recordEvent(repo, {
      type: 'deploy',
      outcome: 'skipped',
      ...baseOf(),
      smoke: 'skipped',
      reason,
      durationMs: Date.now() - started,
    });
    return result({
      status: 'skipped',
      smoke: 'skipped',
      smokeRule: 'none: nothing to deploy',
      smokeFailed: [],
      loads: [],
      reason,
      event,
    });
  }

  try {
    // 1. The candidate on the idle colour (readers of the alias do not see it).
    opts.onPhase?.('prepare', `${idle} ← ${commit.slice(0, 12)}`);
    await putBranchAt(repo, idle, commit);
    let smoke: SmokeStatus = 'skipped';
    let smokeFailed: FailedCheck[] = [];
    let smokeChecks: CheckSummary | undefined;
    let reason: string | undefined;
    let rule = 'none';
    const st = config.environments.staging ?? STAGING_DEFAULTS;
    if (source.unmaskedFrom && st.build && hasProject(repoDir)) {
      opts.onPhase?.('build', idle);
      const out = await buildProject(repo, repoDir, {
        branch: idle,
        message: `deploy ${deployId}: build on the full data of ${commit.slice(0, 12)}`,
        ...stagingBuildNodes(repoDir, st),
      });
      commit = (await repo.getBranch(idle)).head as string;
      await recordEvent(repo, buildEvent('build', out));
      if (out.run.status !== 'success') {
        // The build's tests ran on the idle colour, on production's data, before any flip:
        // they are this deploy's smoke checks, and what they found is its verdict.
        smokeFailed = brokenNodes(out.run);
        smokeChecks = summarize(out.run.results.filter((r) => r.kind === 'test'));
        smoke = smokeFailed.some((f) => f.status === 'error') ? 'error' : 'fail';
        rule = `the project's tests, in its build on ${idle}`;
        reason = `the build on ${idle} failed: ${describeBroken(out.run)}`;
      }
    }

    // 2. Smoke checks there.
    if (reason === undefined) {
      const chosen = await smokeSpecs(repo, repoDir, prod, commit, fromCommit);
      rule = chosen.rule;
      if (chosen.specs.length > 0) {
        opts.onPhase?.('smoke', `${chosen.specs.length} check(s) on ${idle}`);
        try {
          const run: CheckRun = await runChecks(repo, chosen.specs, { ref: idle, store: true });
          smokeFailed = blocking(run);
          smokeChecks = summarize(run.results);
          smoke = smokeFailed.length > 0 ? 'fail' : 'pass';
          await recordEvent(repo, {
            type: 'check',
            outcome: smokeFailed.length > 0 ? 'failure' : 'success',
            ref: idle,
            commit: run.commit,
            runId: deployId,
            tables: [...new Set(chosen.specs.map((s) => s.table))].sort(),
            summary: smokeChecks,
          });
          if (smokeFailed.length > 0)
            reason = `${smokeFailed.length} smoke check(s) did not pass: ${smokeFailed.map((f) => `${f.table}: ${f.name}`).join(', ')}`;
        } catch (err) {
          smoke = 'error';
          reason = `the smoke checks could not run: ${errorLine(err)}`;
        }
      }
    }

    // 3. The flip, only when they passed.
    if (reason === undefined) {
      if ((await branchHead(repo, idle)) !== commit)
        throw new ConcurrentUpdateError(`${idle} moved while its smoke checks ran`, { ref: idle });
      opts.onPhase?.('flip', `${prod.alias} → ${idle}`);
      const flipMs = await flipAlias(repo, prod.alias, idle, live?.alias);
      const loads = await newLoads(repo, commit, fromCommit);
      const event = await recordEvent(repo, {
        type: 'deploy',
        outcome: 'success',
        ...baseOf(),
        smoke,
        ...(smokeChecks ? { smokeChecks } : {}),
        loads,
        durationMs: Date.now() - started,
      });
      return result({
        status: 'success',
        smoke,
        smokeRule: rule,
        ...(smokeChecks ? { smokeChecks } : {}),
        smokeFailed: [],
        loads,
        flipMs,
        event,
      });
    }
    const event = await recordEvent(repo, {
      type: 'deploy',
      outcome: 'failure',
      ...baseOf(),
      smoke,
      ...(smokeChecks ? { smokeChecks } : {}),
      ...(smokeFailed.length > 0 ? { smokeFailed: smokeFailed.map((f) => f.name) } : {}),
      reason,
      durationMs: Date.now() - started,
    });
    const alert = await notify(
      repo,
      config.alerts,
      {
        type: 'deploy.failed',
        title: `deploy ${deployId} to ${env} stopped: ${smoke === 'fail' && !reason.startsWith('the build') ? 'smoke checks failed' : reason.split(':')[0]}`,
        text: `${reason}. ${prod.alias} still points at ${live ? `${live.branch} @ ${live.commit.slice(0, 12)}` : 'nothing'}; the candidate is on ${idle}.`,
        severity: 'error',
        outcome: 'failure',
        refs: alertRefs(),
        details: {
          smoke,
          failed: smokeFailed.map((f) => ({
            table: f.table,
            check: f.name,
            status: f.status,
            ...(f.message ? { message: f.message } : {}),
          })),
        },
      },
      alertOptsOf(opts, event.id),
    );
    return result({
      status: 'failure',
      smoke,
      smokeRule: rule,
      ...(smokeChecks ? { smokeChecks } : {}),
      smokeFailed,
      loads: [],
      reason,
      event,
      alert,
    });
  } catch (err) {
    const reason = errorLine(err);
    const event = await recordEvent(repo, {
      type: 'deploy',
      outcome: 'error',
      ...baseOf(),
      smoke: 'error',
      reason,
      durationMs: Date.now() - started,
    });
    await notify(
      repo,
      config.alerts,
      {
        type: 'deploy.error',
        title: `deploy ${deployId} to ${env} could not run`,
        text: `${reason}. ${prod.alias} was not flipped.`,
        severity: 'error',
        outcome: 'error',
        refs: alertRefs(),
        details: { code: (err as { code?: string }).code ?? 'Error' },
      },
      alertOptsOf(opts, event.id),
    );
    throw err;
  }
}

// ---- rollback -----------------------------------------------------------------------------------

export interface RollbackOptions extends EnvironmentOptions {
  /** The deploy to restore; default the last successful one before the live one. */
  to?: string;
  /** When the problem was detected (for time to restore); default now. */
  detectedAt?: string | Date;
}

export interface RollbackRun {
  environment: string;
  status: 'success';
  alias: string;
  /** The deploy restored. */
  deployId: string;
  /** The commit restored: exactly that deploy's commit. */
  commit: string;
  colour: Colour;
  branch: string;
  fromCommit: string;
  fromDeployId?: string;
  /** True when the colour already held the commit: the rollback was the alias flip alone. */
  flipOnly: boolean;
  flipMs: number;
  durationMs: number;
  event: StoredEvent;
}

/**
 * `sluice rollback production [--to DEPLOY_ID]`: the alias flips back to an earlier deploy's
 * commit, on the colour that is not live (reset to that commit first only if it moved since).
 */
export async function rollback(
  repo: Repository,
  config: WorkflowConfig,
  env = 'production',
  opts: RollbackOptions = {},
): Promise<RollbackRun> {
  const started = Date.now();
  const prod = productionOf(config, env);
  const detectedAt = new Date(opts.detectedAt ?? started);
  if (!Number.isFinite(detectedAt.getTime()))
    throw new InvalidArgumentError(`detectedAt: not a valid time: ${String(opts.detectedAt)}`, {
      argument: 'detectedAt',
      reason: 'invalid time',
    });
  const live = await liveOf(repo, prod);
  if (!live)
    throw new PreconditionError(`nothing to roll back: ${prod.alias} has never been deployed`, {
      environment: env,
    });
  const history = await deployHistory(repo, env);
  const exists = async (commit: string): Promise<boolean> =>
    repo.getCommit(commit).then(
      () => true,
      () => false,
    );
  let target: StoredDeploy | undefined;
  if (opts.to !== undefined) {
    target = history.deploys.findLast((d) => d.deployId === opts.to);
    if (!target)
      throw new NotFoundError(`no successful deploy ${opts.to} of ${env} in the event log`, {
        deployId: opts.to,
        environment: env,
      });
    if (target.commit === live.commit)
      throw new PreconditionError(
        `deploy ${opts.to} (${target.commit.slice(0, 12)}) is what ${prod.alias} already shows`,
        { deployId: opts.to, environment: env },
      );
    if (!(await exists(target.commit)))
      throw new PreconditionError(
        `deploy ${opts.to}'s commit ${target.commit.slice(0, 12)} no longer exists (collected)`,
        { deployId: opts.to, environment: env },
      );
  } else {
    const at = history.live ? history.deploys.indexOf(history.live) : history.deploys.length;
    for (let i = at - 1; i >= 0 && !target; i--) {
      const d = history.deploys[i] as StoredDeploy;
      if (history.rolledBack.has(d.deployId) || d.commit === live.commit) continue;
      if (await exists(d.commit)) target = d;
    }
    if (!target)
      throw new PreconditionError(
        `nothing to roll back to: no earlier successful deploy of ${env} that was not rolled back`,
        { environment: env },
      );
  }

  const other = live.branch === prod.branches[0] ? prod.branches[1] : prod.branches[0];
  const flipOnly = (await branchHead(repo, other)) === target.commit;
  opts.onPhase?.(
    'flip',
    `${prod.alias} → ${other}${flipOnly ? '' : ` (reset to ${target.commit.slice(0, 12)})`}`,
  );
  if (!flipOnly) await putBranchAt(repo, other, target.commit);
  const flipMs = await flipAlias(repo, prod.alias, other, live.alias);
  const colour = colourOf(prod, other) as Colour;
  const fromDeployId = history.live?.deployId;
  const event = await recordEvent(repo, {
    type: 'rollback',
    outcome: 'success',
    environment: env,
    deployId: target.deployId,
    commit: target.commit,
    colour,
    fromCommit: live.commit,
    ...(fromDeployId ? { fromDeployId } : {}),
    detectedAt: detectedAt.toISOString(),
  });
  await notify(
    repo,
    config.alerts,
    {
      type: 'rollback',
      title: `${env} rolled back to deploy ${target.deployId}`,
      text: `${prod.alias} now points at ${other} @ ${target.commit.slice(0, 12)} (was ${live.branch} @ ${live.commit.slice(0, 12)}${fromDeployId ? `, deploy ${fromDeployId}` : ''}).`,
      severity: 'warning',
      outcome: 'success',
      refs: {
        environment: env,
        deployId: target.deployId,
        branch: other,
        commit: target.commit,
        target: prod.alias,
      },
    },
    alertOptsOf(opts, event.id),
  );
  return {
    environment: env,
    status: 'success',
    alias: prod.alias,
    deployId: target.deployId,
    commit: target.commit,
    colour,
    branch: other,
    fromCommit: live.commit,
    ...(fromDeployId ? { fromDeployId } : {}),
    flipOnly,
    flipMs,
    durationMs: Date.now() - started,
    event,
  };
}

// ---- status -------------------------------------------------------------------------------------

export interface CommitAge {
  commit: string;
  committedAt: string;
  ageMs: number;
}

export interface StagingStatus {
  environment: 'staging';
  /** Written under `environments:` (else the defaults are shown). */
  configured: boolean;
  branch: string;
  from: string;
  /** The staging branch's head (absent before the first promotion). */
  head?: CommitAge;
  /** Whether `from` has commits staging has not been promoted from. */
  behind?: boolean;
  lastPromote?: {
    event: number;
    time: string;
    outcome: string;
    commit: string;
    builtCommit?: string;
    checks?: CheckSummary;
    reason?: string;
  };
}

export interface ProductionStatus {
  environment: 'production';
  configured: boolean;
  alias: string;
  from: string;
  branches: [string, string];
  /** The colour the alias points at and its head (absent before the first deploy). */
  live?: { branch: string; colour: Colour } & CommitAge;
  liveDeployId?: string;
  lastDeploy?: {
    deployId: string;
    time: string;
    outcome: string;
    colour: Colour;
    commit: string;
    smoke: SmokeStatus;
    smokeFailed?: string[];
    reason?: string;
  };
  /** The last smoke check run (on either colour). */
  lastSmoke?: { time: string; ref: string; commit: string; summary: CheckSummary };
  lastRollback?: { deployId: string; time: string; outcome: string; fromDeployId?: string };
}

export interface EnvStatus {
  time: string;
  staging: StagingStatus;
  production: ProductionStatus;
}

/** `sluice env status`: each environment's commit, colour, age and last promotion/deploy/checks. */
export async function envStatus(
  repo: Repository,
  config: WorkflowConfig,
  now: Date = new Date(),
): Promise<EnvStatus> {
  const st = stagingOf(config);
  const prod = productionOf(config);
  const ageOf = async (commit: string): Promise<CommitAge> => {
    const c = await repo.getCommit(commit);
    return {
      commit,
      committedAt: c.createdAt.toISOString(),
      ageMs: Math.max(0, now.getTime() - c.createdAt.getTime()),
    };
  };

  const stagingHead = await branchHead(repo, st.branch);
  const sourceHead = await branchHead(repo, st.from);
  let lastPromote: StoredEvent | undefined;
  for await (const e of listEvents(repo, { types: ['promote'], order: 'desc' })) {
    if (e.type === 'promote' && e.environment === 'staging') {
      lastPromote = e;
      break;
    }
  }
  let promoted: string | undefined;
  for await (const e of listEvents(repo, { types: ['promote'], order: 'desc' }))
    if (e.type === 'promote' && e.environment === 'staging' && e.outcome === 'success') {
      promoted = e.commit;
      break;
    }
  const staging: StagingStatus = {
    environment: 'staging',
    configured: config.environments.staging !== undefined,
    branch: st.branch,
    from: st.from,
    ...(stagingHead ? { head: await ageOf(stagingHead) } : {}),
    ...(stagingHead && sourceHead
      ? { behind: promoted === undefined ? sourceHead !== stagingHead : promoted !== sourceHead }
      : {}),
    ...(lastPromote?.type === 'promote'
      ? {
          lastPromote: {
            event: lastPromote.id,
            ...(lastPromote.promoteId ? { id: lastPromote.promoteId } : {}),
            ...(lastPromote.branch ? { branch: lastPromote.branch } : {}),
            time: lastPromote.time,
            outcome: lastPromote.outcome,
            commit: lastPromote.commit,
            ...(lastPromote.builtCommit ? { builtCommit: lastPromote.builtCommit } : {}),
            ...(lastPromote.checks ? { checks: lastPromote.checks } : {}),
            ...(lastPromote.reason ? { reason: lastPromote.reason } : {}),
          },
        }
      : {}),
  };

  const live = await liveOf(repo, prod);
  const history = await deployHistory(repo, 'production');
  const d = history.lastDeploy;
  const r = history.lastRollback;
  const production: ProductionStatus = {
    environment: 'production',
    configured: config.environments.production !== undefined,
    alias: prod.alias,
    from: prod.from,
    branches: prod.branches,
    ...(live
      ? {
          live: { branch: live.branch, colour: live.colour, ...(await ageOf(live.commit)) },
        }
      : {}),
    ...(live && history.live ? { liveDeployId: history.live.deployId } : {}),
    ...(d
      ? {
          lastDeploy: {
            deployId: d.deployId,
            time: d.time,
            outcome: d.outcome,
            colour: d.colour,
            commit: d.commit,
            smoke: d.smoke,
            ...(d.smokeFailed ? { smokeFailed: d.smokeFailed } : {}),
            ...(d.reason ? { reason: d.reason } : {}),
          },
        }
      : {}),
    // The smoke checks of the last deploy itself (not any check run on a colour branch since).
    ...(d?.smokeChecks
      ? {
          lastSmoke: {
            time: d.time,
            ref: d.colour === 'blue' ? prod.branches[0] : prod.branches[1],
            commit: d.commit,
            summary: d.smokeChecks,
          },
        }
      : {}),
    ...(r
      ? {
          lastRollback: {
            deployId: r.deployId,
            time: r.time,
            outcome: r.outcome,
            ...(r.fromDeployId ? { fromDeployId: r.fromDeployId } : {}),
          },
        }
      : {}),
  };
  return { time: now.toISOString(), staging, production };
}
