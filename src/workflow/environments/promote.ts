// promote: `main`'s head goes to a candidate branch `promote/staging/<id>`; the staging rules
//   (deterministic sampling, masking) are applied there and committed, the project is built there,
//   the integration checks run there, and only when all of that passed does the `staging` branch
//   move to the candidate's final commit. A refused candidate stays for inspection. Neither the
//   source branch nor production is ever written.
import { errorLine } from '../../common/error-line.js';
import { GateFailedError, InvalidConfigError } from '../../common/errors.js';
import { newRunId } from '../../common/run-id.js';
import type { TreeEntry } from '../../core/entry.js';
import type { Repository } from '../../core/repository.js';
import { listTables } from '../../engine/tables.js';
import { buildProject } from '../../pipeline/build.js';
import { refTable } from '../../quality/checks.js';
import { blocking, gatesOf } from '../../quality/gates.js';
import { type CheckResult, runChecks } from '../../quality/run.js';
import { type CheckSpec, loadSpecs } from '../../quality/spec.js';
import { summarize } from '../../quality/summary.js';
import type { SendAlertResult } from '../alerts.js';
import { type MaskRule, PRODUCTION_DEFAULTS, type WorkflowConfig } from '../config/index.js';
import {
  buildCounts,
  buildEvent,
  type CheckSummary,
  describeBroken,
  type PromoteEvent,
  recordEvent,
  type StoredEvent,
} from '../events/index.js';
import { notify } from '../notify.js';
import { branchHead } from './alias.js';
import {
  alertOptsOf,
  type EnvironmentOptions,
  hasProject,
  stagingBuildNodes,
  stagingOf,
} from './configuration.js';
import { brokenNodes, type FailedCheck } from './failed-checks.js';
import { applyStagingRules, type SampledTable } from './staging-rules.js';

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
