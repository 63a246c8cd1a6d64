// deploy: the `from` branch's head (staging) is put on the IDLE colour, the smoke checks run on
//   it, and only when they pass does the alias flip to it — one compare-and-swap of one metadata
//   record, so a reader resolving `production` gets the old commit or the new one, never a mix.
import { errorLine } from '../../common/error-line.js';
import { ConcurrentUpdateError } from '../../common/errors.js';
import { newRunId } from '../../common/run-id.js';
import type { Repository } from '../../core/repository.js';
import { listTables, TABLES_PREFIX, tableNameOf } from '../../engine/tables.js';
import { buildProject } from '../../pipeline/build.js';
import { compileProject } from '../../pipeline/graph.js';
import { loadProject } from '../../pipeline/project.js';
import { selectNodes } from '../../pipeline/select.js';
import { refTable } from '../../quality/checks.js';
import { blocking, specsFor } from '../../quality/gates.js';
import { type CheckRun, runChecks } from '../../quality/run.js';
import { type CheckSpec, loadSpecs } from '../../quality/spec.js';
import { summarize } from '../../quality/summary.js';
import type { SendAlertResult } from '../alerts.js';
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
  recordEvent,
  type StoredEvent,
} from '../events/index.js';
import { notify } from '../notify.js';
import { branchHead, colourOf, flipAlias, liveOf, putBranchAt } from './alias.js';
import {
  alertOptsOf,
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
