// The blue/green mechanics deploy and rollback share: which colour a branch is, what the alias
// shows, the one compare-and-swap that flips it, and putting a colour at a commit.
import {
  BranchNotFoundError,
  ConcurrentUpdateError,
  PreconditionError,
} from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import type { ProductionEnvironment } from '../config/index.js';
import type { Colour } from '../events/index.js';

/** Which colour `branch` is of production (undefined: neither). */
export const colourOf = (prod: ProductionEnvironment, branch: string): Colour | undefined =>
  branch === prod.branches[0] ? 'blue' : branch === prod.branches[1] ? 'green' : undefined;

/** The head of `branch`, or undefined when there is no such branch (never throws for that). */
export async function branchHead(repo: Repository, name: string): Promise<string | undefined> {
  const b = await repo.meta.getBranch(repo.name, name);
  return b?.head;
}

/** The environment's alias and the colour it points at (undefined before the first deploy). */
export async function liveOf(repo: Repository, prod: ProductionEnvironment) {
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

/** What the alias shows: its record (the version a flip swaps from), its colour and commit. */
export type Live = NonNullable<Awaited<ReturnType<typeof liveOf>>>;

/**
 * Flips the alias to `target` in ONE compare-and-swap of its record: readers resolve the old
 * colour or the new one. `expected` undefined creates it; an alias that moved since it was read
 * (another deploy or rollback) is ConcurrentUpdateError, and nothing changes.
 */
export async function flipAlias(
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
export async function putBranchAt(repo: Repository, branch: string, commit: string): Promise<void> {
  if ((await branchHead(repo, branch)) === undefined)
    await repo.createBranch(branch, { from: commit });
  else await repo.resetBranch(branch, commit);
}
