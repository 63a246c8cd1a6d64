// deploy: the `from` branch's head (staging) is put on the IDLE colour, the smoke checks run on
//   it, and only when they pass does the alias flip to it — one compare-and-swap of one metadata
//   record, so a reader resolving `production` gets the old commit or the new one, never a mix.
import { errorLine } from '../../common/error-line.js';
import { ConcurrentUpdateError } from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import { listTables, TABLES_PREFIX, tableNameOf } from '../../engine/tables.js';
import { buildProject } from '../../pipeline/build.js';
import { compileProject } from '../../pipeline/graph.js';
import { loadProject } from '../../pipeline/project.js';
import { selectNodes } from '../../pipeline/select.js';
import { refTable } from '../../quality/checks.js';
import { specsFor } from '../../quality/gate-checks.js';
import { type CheckSpec, loadSpecs } from '../../quality/spec.js';
import { summarize } from '../../quality/summary.js';
import type { SendAlertResult } from '../alerts.js';
import { recordCheckStep, runCheckStep } from '../check-step.js';
import {
  type ProductionEnvironment,
  STAGING_DEFAULTS,
  type WorkflowConfig,
} from '../config/index.js';
import {
  buildEvent,
  type CheckSummary,
  type Colour,
  type DeployEvent,
  type DeployedLoad,
  describeBroken,
  listEvents,
  newLoads,
  type StoredEvent,
} from '../events/index.js';
import {
  errorDetails,
  failedDetails,
  refusalReason,
  runWorkflow,
  type WorkflowRun,
} from '../run-lifecycle.js';
import { branchHead, colourOf, flipAlias, type Live, liveOf, putBranchAt } from './alias.js';
import {
  type EnvironmentOptions,
  hasProject,
  productionOf,
  stagingBuildNodes,
} from './configuration.js';
import { deployHistory } from './deploy-history.js';
import { brokenNodes, type FailedCheck } from './failed-checks.js';

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
  // Read what is live and what to deploy: a bad alias or a missing branch fails before the run.
  const prod = productionOf(config, env);
  const live = await liveOf(repo, prod);
  const history = await deployHistory(repo, env);
  const fromDeployId = live ? history.live?.deployId : undefined;
  const idle = live?.branch === prod.branches[0] ? prod.branches[1] : prod.branches[0];
  const source = await deploySource(repo, config, prod);
  let state: DeployState | undefined;
  return runWorkflow(
    repo,
    {
      kind: 'deploy',
      alerts: config.alerts,
      options: opts,
      failure: {
        event: (run, reason) => ({
          type: 'deploy',
          outcome: 'error',
          ...eventBase(state as DeployState),
          smoke: 'error',
          reason,
          durationMs: run.elapsedMs(),
        }),
        alert: (run, reason, err) => ({
          type: 'deploy.error',
          title: `deploy ${run.id} to ${env} could not run`,
          text: `${reason}. ${prod.alias} was not flipped.`,
          severity: 'error',
          outcome: 'error',
          refs: alertRefs(state as DeployState),
          details: errorDetails(err),
        }),
      },
    },
    async (run) => {
      const s: DeployState = {
        repo,
        repoDir,
        config,
        run,
        env,
        prod,
        live,
        ...(fromDeployId ? { fromDeployId } : {}),
        idle,
        colour: colourOf(prod, idle) as Colour,
        source,
        commit: source.commit,
      };
      state = s;
      if (s.commit === live?.commit) return skipped(s);
      await prepareIdle(s);
      const verdict = (await rebuildUnmasked(s)) ?? (await smokeCheck(s));
      if (verdict.reason === undefined) return flip(s, verdict);
      return refused(s, { ...verdict, reason: verdict.reason });
    },
  );
}

/** What every phase of one deploy reads: what is live, the idle colour, what goes on it. */
interface DeployState {
  repo: Repository;
  repoDir: string;
  config: WorkflowConfig;
  run: WorkflowRun;
  env: string;
  prod: ProductionEnvironment;
  /** The live colour and its commit (undefined before the first deploy). */
  live: Live | undefined;
  /** The deploy that is live. */
  fromDeployId?: string;
  /** The idle colour: where the candidate goes (readers of the alias do not see it). */
  idle: string;
  colour: Colour;
  source: DeploySource;
  /** The commit deployed: the idle colour's head once prepared (rebuilt: the build's commit). */
  commit: string;
}

/** The smoke checks' verdict (or the production rebuild's, when its tests failed). */
interface SmokeVerdict {
  smoke: SmokeStatus;
  /** How the smoke checks were chosen. */
  rule: string;
  checks?: CheckSummary;
  failed: FailedCheck[];
  /** Why the deploy stops here; undefined: the alias may flip. */
  reason?: string;
}

/** The names every deploy event carries. */
const eventBase = (s: DeployState) => ({
  environment: s.env,
  deployId: s.run.id,
  colour: s.colour,
  commit: s.commit,
  ...(s.live ? { fromCommit: s.live.commit } : {}),
  ...(s.fromDeployId ? { fromDeployId: s.fromDeployId } : {}),
});

const alertRefs = (s: DeployState) => ({
  environment: s.env,
  deployId: s.run.id,
  branch: s.idle,
  commit: s.commit,
  target: s.prod.alias,
});

/** A deploy's result: its names, then what the outcome says. */
function result(
  s: DeployState,
  rest: Omit<DeployRun, keyof ReturnType<typeof eventBase> | 'alias' | 'branch' | 'durationMs'>,
): DeployRun {
  const { source } = s;
  return {
    ...eventBase(s),
    alias: s.prod.alias,
    branch: s.idle,
    ...(source.unmaskedFrom ? { unmaskedFrom: source.unmaskedFrom, builtFrom: source.commit } : {}),
    ...rest,
    durationMs: s.run.elapsedMs(),
  };
}

// ---- skip if live -----------------------------------------------------------------------------

/** What would be deployed is live already: a `skipped` event, nothing written. */
async function skipped(s: DeployState): Promise<DeployRun> {
  const from = s.source.unmaskedFrom
    ? ` (what ${s.prod.from} was promoted from)`
    : ` (${s.prod.from}'s head)`;
  const reason = `${s.commit.slice(0, 12)}${from} is already live`;
  const event = await s.run.record({
    type: 'deploy',
    outcome: 'skipped',
    ...eventBase(s),
    smoke: 'skipped',
    reason,
    durationMs: s.run.elapsedMs(),
  });
  return result(s, {
    status: 'skipped',
    smoke: 'skipped',
    smokeRule: 'none: nothing to deploy',
    smokeFailed: [],
    loads: [],
    reason,
    event,
  });
}

// ---- prepare, rebuild, smoke ------------------------------------------------------------------

/** The candidate on the idle colour (readers of the alias do not see it). */
async function prepareIdle(s: DeployState): Promise<void> {
  s.run.phase('prepare', `${s.idle} ← ${s.commit.slice(0, 12)}`);
  await putBranchAt(s.repo, s.idle, s.commit);
}

/**
 * With the unmasked source on the idle colour, the project is built there when staging builds
 * (a `build` event); the idle colour's head is then what is deployed. A build that failed is the
 * deploy's verdict; undefined: it built (or there was nothing to build), go on to the smoke checks.
 */
async function rebuildUnmasked(s: DeployState): Promise<SmokeVerdict | undefined> {
  const st = s.config.environments.staging ?? STAGING_DEFAULTS;
  if (!s.source.unmaskedFrom || !st.build || !hasProject(s.repoDir)) return undefined;
  s.run.phase('build', s.idle);
  const out = await buildProject(s.repo, s.repoDir, {
    branch: s.idle,
    message: `deploy ${s.run.id}: build on the full data of ${s.commit.slice(0, 12)}`,
    ...stagingBuildNodes(s.repoDir, st),
  });
  s.commit = (await s.repo.getBranch(s.idle)).head as string;
  await s.run.record(buildEvent('build', out));
  if (out.run.status === 'success') return undefined;
  // The build's tests ran on the idle colour, on production's data, before any flip: they are
  // this deploy's smoke checks, and what they found is its verdict.
  const failed = brokenNodes(out.run);
  return {
    smoke: failed.some((f) => f.status === 'error') ? 'error' : 'fail',
    rule: `the project's tests, in its build on ${s.idle}`,
    checks: summarize(out.run.results.filter((r) => r.kind === 'test')),
    failed,
    reason: `the build on ${s.idle} failed: ${describeBroken(out.run)}`,
  };
}

/** The smoke checks (see `smokeSpecs`) on the idle colour, a `check` event. */
async function smokeCheck(s: DeployState): Promise<SmokeVerdict> {
  const chosen = await smokeSpecs(s.repo, s.repoDir, s.prod, s.commit, s.live?.commit);
  if (chosen.specs.length === 0) return { smoke: 'skipped', rule: chosen.rule, failed: [] };
  s.run.phase('smoke', `${chosen.specs.length} check(s) on ${s.idle}`);
  let failed: FailedCheck[] = [];
  let checks: CheckSummary | undefined;
  try {
    const step = await runCheckStep(s.run, chosen.specs, s.idle);
    failed = step.failed;
    checks = step.checked.summary;
    await recordCheckStep(s.run, step, chosen.specs);
    return {
      smoke: failed.length > 0 ? 'fail' : 'pass',
      rule: chosen.rule,
      checks,
      failed,
      ...(failed.length > 0 ? { reason: refusalReason(failed, 'smoke check(s)') } : {}),
    };
  } catch (err) {
    return {
      smoke: 'error',
      rule: chosen.rule,
      ...(checks ? { checks } : {}),
      failed,
      reason: `the smoke checks could not run: ${errorLine(err)}`,
    };
  }
}

// ---- the deploy's outcomes --------------------------------------------------------------------

/** The smoke checks passed: the alias flips to the idle colour, a `success` event. */
async function flip(s: DeployState, v: SmokeVerdict): Promise<DeployRun> {
  const { repo, idle, prod } = s;
  if ((await branchHead(repo, idle)) !== s.commit)
    throw new ConcurrentUpdateError(`${idle} moved while its smoke checks ran`, { ref: idle });
  s.run.phase('flip', `${prod.alias} → ${idle}`);
  const flipMs = await flipAlias(repo, prod.alias, idle, s.live?.alias);
  const loads = await newLoads(repo, s.commit, s.live?.commit);
  const event = await s.run.record({
    type: 'deploy',
    outcome: 'success',
    ...eventBase(s),
    smoke: v.smoke,
    ...(v.checks ? { smokeChecks: v.checks } : {}),
    loads,
    durationMs: s.run.elapsedMs(),
  });
  return result(s, {
    status: 'success',
    smoke: v.smoke,
    smokeRule: v.rule,
    ...(v.checks ? { smokeChecks: v.checks } : {}),
    smokeFailed: [],
    loads,
    flipMs,
    event,
  });
}

/** Stopped by its smoke checks (or the rebuild): the alias stays, an alert goes out. */
async function refused(s: DeployState, v: SmokeVerdict & { reason: string }): Promise<DeployRun> {
  const { smoke, reason, failed } = v;
  const { live } = s;
  const event = await s.run.record({
    type: 'deploy',
    outcome: 'failure',
    ...eventBase(s),
    smoke,
    ...(v.checks ? { smokeChecks: v.checks } : {}),
    ...(failed.length > 0 ? { smokeFailed: failed.map((f) => f.name) } : {}),
    reason,
    durationMs: s.run.elapsedMs(),
  });
  const stopped =
    smoke === 'fail' && !reason.startsWith('the build')
      ? 'smoke checks failed'
      : reason.split(':')[0];
  const alert = await s.run.alert(
    {
      type: 'deploy.failed',
      title: `deploy ${s.run.id} to ${s.env} stopped: ${stopped}`,
      text: `${reason}. ${s.prod.alias} still points at ${live ? `${live.branch} @ ${live.commit.slice(0, 12)}` : 'nothing'}; the candidate is on ${s.idle}.`,
      severity: 'error',
      outcome: 'failure',
      refs: alertRefs(s),
      details: { smoke, failed: failedDetails(failed) },
    },
    event,
  );
  return result(s, {
    status: 'failure',
    smoke,
    smokeRule: v.rule,
    ...(v.checks ? { smokeChecks: v.checks } : {}),
    smokeFailed: failed,
    loads: [],
    reason,
    event,
    alert,
  });
}
