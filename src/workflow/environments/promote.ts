// promote: `main`'s head goes to a candidate branch `promote/staging/<id>`; the staging rules
//   (deterministic sampling, masking) are applied there and committed, the project is built there,
//   the integration checks run there, and only when all of that passed does the `staging` branch
//   move to the candidate's final commit. A refused candidate stays for inspection. Neither the
//   source branch nor production is ever written.
//
// One promotion is one run of the lifecycle (run-lifecycle.ts), in phases over one PromoteState:
// prepareCandidate → applyRules → buildCandidate → integrationChecks → publish → promoted |
// refused. The checking phases add what they find to a Verdict; the first that refuses the
// candidate stops the ones after it. A promotion that cannot run is an `error` event and a
// `promote.error` alert, by the lifecycle, and its candidate goes if nothing was written on it.
import { GateFailedError, InvalidConfigError } from '../../common/errors.js';
import type { TreeEntry } from '../../core/entry.js';
import type { Repository } from '../../core/repository.js';
import { listTables } from '../../engine/tables.js';
import { buildProject } from '../../pipeline/build.js';
import { refTable } from '../../quality/checks.js';
import { type Gates, gatesOf } from '../../quality/gates.js';
import type { CheckResult } from '../../quality/run.js';
import { type CheckSpec, loadSpecs } from '../../quality/spec.js';
import { summarize } from '../../quality/summary.js';
import type { SendAlertResult } from '../alerts.js';
import { recordCheckStep, runCheckStep } from '../check-step.js';
import {
  type MaskRule,
  PRODUCTION_DEFAULTS,
  type StagingEnvironment,
  type WorkflowConfig,
} from '../config/index.js';
import {
  buildCounts,
  buildEvent,
  type CheckSummary,
  describeBroken,
  type PromoteEvent,
  type StoredEvent,
} from '../events/index.js';
import {
  errorDetails,
  failedDetails,
  refusalReason,
  runWorkflow,
  type WorkflowRun,
} from '../run-lifecycle.js';
import { branchHead } from './alias.js';
import {
  type EnvironmentOptions,
  hasProject,
  stagingBuildNodes,
  stagingOf,
} from './configuration.js';
import { brokenNodes, type FailedCheck } from './failed-checks.js';
import { applyStagingRules, type SampledTable, type StagingRulesResult } from './staging-rules.js';

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
  build?: PromoteBuild;
  /** The build's tests and the integration checks, together. */
  checks?: CheckSummary;
  failed: FailedCheck[];
  reason?: string;
  durationMs: number;
  event: StoredEvent;
  alert?: SendAlertResult;
}

/** The project's build on the candidate, as a promotion reports it. */
export interface PromoteBuild {
  runId: string;
  status: 'success' | 'error';
  models: { built: number; reused: number; failed: number; skipped: number };
  commit?: string;
}

/** What every phase of one promotion reads: where from, where to, on which candidate. */
interface PromoteState {
  repo: Repository;
  repoDir: string;
  run: WorkflowRun;
  env: string;
  st: StagingEnvironment;
  /** The branch promoted from, and its head: the commit promoted. */
  source: string;
  commit: string;
  /** Staging's head before (undefined: this promotion creates the branch). */
  fromCommit: string | undefined;
  /** `promote/<environment>/<run id>`. */
  candidate: string;
  /** Staging's gates when they protect it: it then moves only by a gated merge. */
  gate: Gates | undefined;
  /** The build's node selection; undefined when staging does not build. */
  buildNodes: { select?: string[]; exclude?: string[] } | undefined;
}

/** What the checking phases found: every result, and what refused the candidate, if anything. */
interface Verdict {
  results: CheckResult[];
  /** The checks the build ran as tests (the integration checks do not run them again). */
  ranIds: Set<string>;
  failed: FailedCheck[];
  reason?: string;
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
  // Validate: an unknown or reserved environment, or a missing source, fails before the run.
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
  const candidateOf = (run: WorkflowRun) => `promote/${env}/${run.id}`;
  const alertRefs = (run: WorkflowRun) => ({
    branch: candidateOf(run),
    target: st.branch,
    environment: env,
    commit,
  });
  return runWorkflow(
    repo,
    {
      kind: 'promote',
      alerts: config.alerts,
      options: opts,
      failure: {
        event: (run, reason) => ({
          type: 'promote',
          outcome: 'error',
          environment: env,
          promoteId: run.id,
          branch: candidateOf(run),
          source,
          commit,
          ...(fromCommit ? { fromCommit } : {}),
          reason,
          durationMs: run.elapsedMs(),
        }),
        alert: (run, reason, err) => ({
          type: 'promote.error',
          title: `promote to ${env} could not run`,
          text: `${reason}. ${st.branch} was not changed.`,
          severity: 'error',
          outcome: 'error',
          refs: alertRefs(run),
          details: errorDetails(err),
        }),
      },
    },
    async (run) => {
      const s = await prepareCandidate({
        repo,
        repoDir,
        run,
        env,
        st,
        source,
        commit,
        fromCommit,
        candidate: candidateOf(run),
      });
      const rules = await applyRules(s);
      const verdict: Verdict = { results: [], ranIds: new Set(), failed: [] };
      const build = await buildCandidate(s, verdict);
      if (verdict.failed.length === 0) await integrationChecks(s, rules, verdict);
      const built = (await repo.getBranch(s.candidate)).head as string;
      const published = verdict.failed.length === 0 ? await publish(s, built, verdict) : undefined;
      const findings: Findings = {
        rules,
        ...(build ? { build } : {}),
        verdict,
        builtCommit: published?.builtCommit ?? built,
      };
      if (published?.moved) return promoted(s, findings, published.moved);
      return refused(s, findings);
    },
  );
}

// ---- prepare ----------------------------------------------------------------------------------

/**
 * The candidate branch at the source commit. A bad build selection fails here, while the
 * candidate is untouched (the lifecycle then removes it); a gated staging makes the candidate
 * descend from staging's head first.
 */
async function prepareCandidate(
  base: Omit<PromoteState, 'gate' | 'buildNodes'>,
): Promise<PromoteState> {
  const { repo, run, st, candidate, commit, fromCommit } = base;
  await repo.createBranch(candidate, { from: commit });
  // A candidate with work on it stays for inspection; an untouched one goes.
  run.onFailure(async () => {
    if ((await branchHead(repo, candidate)) === commit) await repo.deleteBranch(candidate);
  });
  const buildNodes =
    st.build && hasProject(base.repoDir) ? stagingBuildNodes(base.repoDir, st) : undefined;
  const gates = gatesOf(repo);
  const gated = fromCommit !== undefined && (await gates?.ruleFor(st.branch))?.protected === true;
  const s: PromoteState = { ...base, gate: gated ? gates : undefined, buildNodes };
  if (gated) {
    // A protected staging branch moves only by a gated merge, which must then be a
    // fast-forward to the candidate's exact tree: the candidate descends from staging's head
    // (merged in, then restored to the source's tree), so merging it adds nothing stale.
    run.phase('prepare', `${candidate} (descending from ${st.branch})`);
    await descendFrom(repo, candidate, fromCommit as string, commit);
  }
  return s;
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

// ---- staging rules, build, integration checks --------------------------------------------------

/** The staging rules, committed on the candidate. */
function applyRules(s: PromoteState): Promise<StagingRulesResult> {
  s.run.phase('rules', s.candidate);
  return applyStagingRules(s.repo, s.candidate, s.st, {
    message: `promote ${s.source} → ${s.env}: staging rules (promotion ${s.run.id})`,
    metadata: { 'sluice.promote_id': s.run.id, 'sluice.environment': s.env },
  });
}

/** The project's build on the candidate (when staging builds), a `build` event; its tests count. */
async function buildCandidate(
  s: PromoteState,
  verdict: Verdict,
): Promise<PromoteBuild | undefined> {
  if (!s.buildNodes) return undefined;
  s.run.phase('build', s.candidate);
  const out = await buildProject(s.repo, s.repoDir, {
    branch: s.candidate,
    message: `promote ${s.source} → ${s.env}: build (promotion ${s.run.id})`,
    ...s.buildNodes,
  });
  for (const list of out.checks.values())
    for (const r of list) {
      verdict.results.push(r);
      verdict.ranIds.add(r.id);
    }
  await s.run.record(buildEvent('build', out));
  if (out.run.status !== 'success') {
    verdict.failed.push(...brokenNodes(out.run));
    verdict.reason = `the build failed: ${describeBroken(out.run)} (outputs on ${out.run.runBranch})`;
  }
  return {
    runId: out.run.id,
    status: out.run.status,
    models: buildCounts(out.run).models,
    ...(out.run.commit ? { commit: out.run.commit } : {}),
  };
}

/**
 * The integration checks: every check of the tables on the candidate that the build did not run,
 * except those of masked columns (their values are altered on purpose); a `check` event.
 */
async function integrationChecks(
  s: PromoteState,
  rules: StagingRulesResult,
  verdict: Verdict,
): Promise<void> {
  const tables = await listTables(s.repo, s.candidate);
  const maskedCol = (spec: CheckSpec): boolean =>
    rules.masked.some(
      (m) =>
        m.table === spec.table &&
        [spec.column, ...((spec.params.columns as string[] | undefined) ?? [])].some(
          (c) => c !== undefined && c.toLowerCase() === m.column.toLowerCase(),
        ),
    );
  const specs = loadSpecs(s.repoDir).filter(
    (spec) =>
      !verdict.ranIds.has(spec.id) &&
      tables.has(spec.table) &&
      (spec.type !== 'relationships' || tables.has(refTable(String(spec.params.to)))) &&
      !maskedCol(spec),
  );
  if (specs.length === 0) return;
  s.run.phase('check', `${specs.length} check(s)`);
  const step = await runCheckStep(s.run, specs, s.candidate);
  verdict.results.push(...step.checked.results);
  verdict.failed.push(...step.failed);
  await recordCheckStep(s.run, step, specs);
  if (step.failed.length > 0) verdict.reason = refusalReason(step.failed);
}

// ---- publish ----------------------------------------------------------------------------------

/**
 * The environment branch moves to the candidate's final commit: created, reset, or — protected by
 * a gate — merged through it (its checks run too; a fast-forward here). A gate that refuses is the
 * verdict's refusal, and nothing moves.
 */
async function publish(
  s: PromoteState,
  built: string,
  verdict: Verdict,
): Promise<{ moved: PromoteRun['moved']; builtCommit: string } | undefined> {
  const { repo, st } = s;
  s.run.phase('publish', st.branch);
  try {
    if (s.fromCommit === undefined) {
      await repo.createBranch(st.branch, { from: built });
      return { moved: 'created', builtCommit: built };
    }
    if (s.gate) {
      const { result } = await s.gate.merge(s.candidate, st.branch, {
        message: `promote ${s.source} → ${s.env} (promotion ${s.run.id})`,
        metadata: { 'sluice.promote_id': s.run.id },
      });
      const builtCommit = result.commit?.id ?? (await repo.getBranch(st.branch)).head;
      return { moved: 'gate', builtCommit: builtCommit as string };
    }
    await repo.resetBranch(st.branch, built);
    return { moved: 'reset', builtCommit: built };
  } catch (err) {
    if (!(err instanceof GateFailedError)) throw err;
    verdict.failed.push(...err.data.failed);
    verdict.reason = err.message;
    return undefined;
  }
}

// ---- the promotion's outcomes -----------------------------------------------------------------

/** What the phases produced, for the outcome. */
interface Findings {
  rules: StagingRulesResult;
  build?: PromoteBuild;
  verdict: Verdict;
  /** The candidate's final commit (after a gated merge: staging's new head). */
  builtCommit: string;
}

/** The fields a promotion's result and its `promote` event share. */
function summaryOf(s: PromoteState, o: Findings) {
  const checks = o.verdict.results.length > 0 ? summarize(o.verdict.results) : undefined;
  const result = {
    environment: s.env,
    id: s.run.id,
    source: s.source,
    branch: s.st.branch,
    candidate: s.candidate,
    commit: s.commit,
    ...(s.fromCommit ? { fromCommit: s.fromCommit } : {}),
    builtCommit: o.builtCommit,
    sampled: o.rules.sampled,
    masked: o.rules.masked,
    ...(o.build ? { build: o.build } : {}),
    ...(checks ? { checks } : {}),
  };
  const event = {
    type: 'promote' as const,
    environment: s.env,
    promoteId: s.run.id,
    branch: s.candidate,
    source: s.source,
    commit: s.commit,
    ...(s.fromCommit ? { fromCommit: s.fromCommit } : {}),
    builtCommit: o.builtCommit,
    ...(checks ? { checks } : {}),
  };
  return { result, event };
}

/** Staging moved: the candidate goes, a `success` event. */
async function promoted(
  s: PromoteState,
  o: Findings,
  moved: NonNullable<PromoteRun['moved']>,
): Promise<PromoteRun> {
  const { result, event: eventBase } = summaryOf(s, o);
  await s.repo.deleteBranch(s.candidate);
  const event = await s.run.record({
    ...eventBase,
    outcome: 'success',
    durationMs: s.run.elapsedMs(),
  } satisfies PromoteEvent);
  return {
    ...result,
    status: 'success',
    moved,
    failed: [],
    durationMs: s.run.elapsedMs(),
    event,
  };
}

/** Refused by the build, a check or staging's gate: the candidate stays, an alert goes out. */
async function refused(s: PromoteState, o: Findings): Promise<PromoteRun> {
  const { result, event: eventBase } = summaryOf(s, o);
  const { failed } = o.verdict;
  const reason = o.verdict.reason ?? 'refused';
  const event = await s.run.record({
    ...eventBase,
    outcome: 'failure',
    reason: `${reason}; candidate kept on ${s.candidate}`,
    durationMs: s.run.elapsedMs(),
  } satisfies PromoteEvent);
  const alert = await s.run.alert(
    {
      type: 'promote.failed',
      title: `promote to ${s.env} stopped on ${s.candidate}`,
      text: `${reason}. ${s.st.branch} was not changed; inspect the candidate with \`sluice sql --ref ${s.candidate}\`.`,
      severity: 'error',
      outcome: 'failure',
      refs: {
        branch: s.candidate,
        target: s.st.branch,
        environment: s.env,
        commit: o.builtCommit,
      },
      details: {
        failed: failedDetails(failed),
        ...(o.build ? { build: o.build.status } : {}),
      },
    },
    event,
  );
  return {
    ...result,
    status: 'failure',
    failed,
    reason,
    durationMs: s.run.elapsedMs(),
    event,
    alert,
  };
}
