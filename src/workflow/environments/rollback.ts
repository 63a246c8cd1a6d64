// rollback: the alias flips back to an earlier deploy's commit; when that commit is still the
//   head of the other colour (the usual case: the deploy just before), nothing else is written,
//   so a rollback takes milliseconds whatever the size of the data.
import { InvalidArgumentError, NotFoundError, PreconditionError } from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import type { WorkflowConfig } from '../config/index.js';
import { type Colour, recordEvent, type StoredEvent } from '../events/index.js';
import { notify } from '../notify.js';
import { branchHead, colourOf, flipAlias, liveOf, putBranchAt } from './alias.js';
import { alertOptsOf, type EnvironmentOptions, productionOf } from './configuration.js';
import { deployHistory, type StoredDeploy } from './deploy-history.js';

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
