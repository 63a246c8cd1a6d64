// rollback: the alias flips back to an earlier deploy's commit; when that commit is still the
//   head of the other colour (the usual case: the deploy just before), nothing else is written,
//   so a rollback takes milliseconds whatever the size of the data.
//
// What to roll back to is chosen first (chooseTarget); a problem there — nothing deployed, an
// unknown deploy id, a bad detectedAt — throws with nothing recorded. From then on the rollback is
// a run of the lifecycle (run-lifecycle.ts): one that fails after it started (the alias moved
// under it, so the compare-and-swap lost) is a `rollback` event with outcome `error` and a
// `rollback.error` alert, and nothing flipped; the event log's readers (deploy-history.ts,
// metrics.ts) count only successful rollbacks.
import { InvalidArgumentError, NotFoundError, PreconditionError } from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import type { ProductionEnvironment, WorkflowConfig } from '../config/index.js';
import type { Colour, StoredEvent } from '../events/index.js';
import { errorDetails, runWorkflow, type WorkflowRun } from '../run-lifecycle.js';
import { branchHead, colourOf, flipAlias, type Live, liveOf, putBranchAt } from './alias.js';
import { type EnvironmentOptions, productionOf } from './configuration.js';
import { type DeployHistory, deployHistory, type StoredDeploy } from './deploy-history.js';

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
  const prod = productionOf(config, env);
  const detectedAt = new Date(opts.detectedAt ?? Date.now());
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
  const target = await chooseTarget(repo, env, prod, live, history, opts.to);
  const other = live.branch === prod.branches[0] ? prod.branches[1] : prod.branches[0];
  const fromDeployId = history.live?.deployId;
  const plan: RollbackPlan = {
    env,
    prod,
    live,
    target,
    other,
    colour: colourOf(prod, other) as Colour,
    ...(fromDeployId ? { fromDeployId } : {}),
    detectedAt: detectedAt.toISOString(),
  };
  return runWorkflow(
    repo,
    {
      kind: 'rollback',
      alerts: config.alerts,
      options: opts,
      failure: {
        event: (_run, reason) => ({ ...rollbackEvent(plan), outcome: 'error', reason }),
        alert: (_run, reason, err) => ({
          type: 'rollback.error',
          title: `rollback of ${env} to deploy ${target.deployId} could not run`,
          text: `${reason}. ${prod.alias} was not rolled back.`,
          severity: 'error',
          outcome: 'error',
          refs: alertRefs(plan),
          details: errorDetails(err),
        }),
      },
    },
    (run) => flipBack(run, plan),
  );
}

/** What a rollback does, decided before it starts. */
interface RollbackPlan {
  env: string;
  prod: ProductionEnvironment;
  live: Live;
  /** The deploy restored. */
  target: StoredDeploy;
  /** The colour that is not live: where the target's commit is shown. */
  other: string;
  colour: Colour;
  /** The deploy undone (the live one). */
  fromDeployId?: string;
  detectedAt: string;
}

/**
 * The deploy to restore: `to`, or the last successful one before the live deploy that was not
 * rolled back and whose commit still exists. Every problem throws: nothing has started yet.
 */
async function chooseTarget(
  repo: Repository,
  env: string,
  prod: ProductionEnvironment,
  live: Live,
  history: DeployHistory,
  to: string | undefined,
): Promise<StoredDeploy> {
  const exists = async (commit: string): Promise<boolean> =>
    repo.getCommit(commit).then(
      () => true,
      () => false,
    );
  if (to !== undefined) {
    const target = history.deploys.findLast((d) => d.deployId === to);
    if (!target)
      throw new NotFoundError(`no successful deploy ${to} of ${env} in the event log`, {
        deployId: to,
        environment: env,
      });
    if (target.commit === live.commit)
      throw new PreconditionError(
        `deploy ${to} (${target.commit.slice(0, 12)}) is what ${prod.alias} already shows`,
        { deployId: to, environment: env },
      );
    if (!(await exists(target.commit)))
      throw new PreconditionError(
        `deploy ${to}'s commit ${target.commit.slice(0, 12)} no longer exists (collected)`,
        { deployId: to, environment: env },
      );
    return target;
  }
  const at = history.live ? history.deploys.indexOf(history.live) : history.deploys.length;
  for (let i = at - 1; i >= 0; i--) {
    const d = history.deploys[i] as StoredDeploy;
    if (history.rolledBack.has(d.deployId) || d.commit === live.commit) continue;
    if (await exists(d.commit)) return d;
  }
  throw new PreconditionError(
    `nothing to roll back to: no earlier successful deploy of ${env} that was not rolled back`,
    { environment: env },
  );
}

/** The fields of the rollback's event (success or error). */
const rollbackEvent = (p: RollbackPlan) => ({
  type: 'rollback' as const,
  environment: p.env,
  deployId: p.target.deployId,
  commit: p.target.commit,
  colour: p.colour,
  fromCommit: p.live.commit,
  ...(p.fromDeployId ? { fromDeployId: p.fromDeployId } : {}),
  detectedAt: p.detectedAt,
});

const alertRefs = (p: RollbackPlan) => ({
  environment: p.env,
  deployId: p.target.deployId,
  branch: p.other,
  commit: p.target.commit,
  target: p.prod.alias,
});

/**
 * The other colour shows the target's commit (reset to it only if it moved since), then the alias
 * flips to it in one compare-and-swap from the version read at the start; a `rollback` event and
 * its alert.
 */
async function flipBack(run: WorkflowRun, p: RollbackPlan): Promise<RollbackRun> {
  const { repo } = run;
  const { prod, live, target, other } = p;
  const flipOnly = (await branchHead(repo, other)) === target.commit;
  run.phase(
    'flip',
    `${prod.alias} → ${other}${flipOnly ? '' : ` (reset to ${target.commit.slice(0, 12)})`}`,
  );
  if (!flipOnly) await putBranchAt(repo, other, target.commit);
  const flipMs = await flipAlias(repo, prod.alias, other, live.alias);
  const event = await run.record({ ...rollbackEvent(p), outcome: 'success' });
  await run.alert(
    {
      type: 'rollback',
      title: `${p.env} rolled back to deploy ${target.deployId}`,
      text: `${prod.alias} now points at ${other} @ ${target.commit.slice(0, 12)} (was ${live.branch} @ ${live.commit.slice(0, 12)}${p.fromDeployId ? `, deploy ${p.fromDeployId}` : ''}).`,
      severity: 'warning',
      outcome: 'success',
      refs: alertRefs(p),
    },
    event,
  );
  return {
    environment: p.env,
    status: 'success',
    alias: prod.alias,
    deployId: target.deployId,
    commit: target.commit,
    colour: p.colour,
    branch: other,
    fromCommit: live.commit,
    ...(p.fromDeployId ? { fromDeployId: p.fromDeployId } : {}),
    flipOnly,
    flipMs,
    durationMs: run.elapsedMs(),
    event,
  };
}
