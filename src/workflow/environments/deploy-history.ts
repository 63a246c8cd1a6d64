// What is live is read from the event log: the last successful deploy or rollback of the
// environment names the live deploy; a rollback marks the deploys it undid as rolled back.
import type { Repository } from '../../core/repository.js';
import { type DeployEvent, listEvents, type RollbackEvent } from '../events/index.js';

export type StoredDeploy = DeployEvent & { id: number; time: string; actor: string };
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
