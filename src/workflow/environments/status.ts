// `sluice env status`: each environment's commit, colour and age, and its last promotion, deploy,
// smoke checks and rollback — all read from the branches, the alias and the event log.
import type { Repository } from '../../core/repository.js';
import type { WorkflowConfig } from '../config/index.js';
import { type CheckSummary, type Colour, listEvents, type StoredEvent } from '../events/index.js';
import { branchHead, liveOf } from './alias.js';
import { productionOf, stagingOf } from './configuration.js';
import type { SmokeStatus } from './deploy.js';
import { deployHistory } from './deploy-history.js';

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
  const ageOf = async (commit: string): Promise<CommitAge> => {
    const c = await repo.getCommit(commit);
    return {
      commit,
      committedAt: c.createdAt.toISOString(),
      ageMs: Math.max(0, now.getTime() - c.createdAt.getTime()),
    };
  };
  const staging = await stagingStatus(repo, config, ageOf);
  const production = await productionStatus(repo, config, ageOf);
  return { time: now.toISOString(), staging, production };
}

type AgeOf = (commit: string) => Promise<CommitAge>;

/** Staging's head and age, whether its source moved on since, and its last promotion. */
async function stagingStatus(
  repo: Repository,
  config: WorkflowConfig,
  ageOf: AgeOf,
): Promise<StagingStatus> {
  const st = stagingOf(config);
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
  return {
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
}

/** What production's alias shows, and its last deploy, smoke checks and rollback. */
async function productionStatus(
  repo: Repository,
  config: WorkflowConfig,
  ageOf: AgeOf,
): Promise<ProductionStatus> {
  const prod = productionOf(config);
  const live = await liveOf(repo, prod);
  const history = await deployHistory(repo, 'production');
  const d = history.lastDeploy;
  const r = history.lastRollback;
  return {
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
}
