// Writes that must not replace anything (S3 `If-None-Match: *`, `ifAbsent`): the check and the
// staging happen in one metadata transaction holding the branch row (StagingStore.stageIfAbsent),
// so two conditional writers of one path cannot both succeed. What is committed is read from the
// head's tree before that transaction; if a commit moved the head meanwhile, it is read again.
import { BranchNotFoundError, PreconditionFailedError } from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type { RefStore, StagedChange, StagingStore } from '../meta/meta-store.js';
import type { RepoContext } from './context.js';
import { lookup } from './tree-reader.js';
import { getEntry, viewOf } from './view.js';

/** Throws PreconditionFailedError when one of `paths` holds an entry on the branch now. */
export async function refuseExisting(
  ctx: RepoContext<RefStore & StagingStore>,
  branchName: string,
  paths: readonly string[],
): Promise<void> {
  const branch = await ctx.meta.getBranch(ctx.repo, branchName);
  if (!branch)
    throw new BranchNotFoundError(`branch ${branchName} not found`, { branch: branchName });
  const view = await viewOf(ctx, {
    kind: 'branch',
    name: branch.name,
    branch,
    commit: branch.head as CommitId,
  });
  for (const p of paths) if (await getEntry(ctx, view, p)) throw exists(branchName, p);
}

/** Stages `changes` only if none of the paths they write holds an entry; else stages nothing. */
export async function stageIfAbsent(
  ctx: RepoContext<RefStore & StagingStore>,
  branchName: string,
  changes: StagedChange[],
): Promise<void> {
  const written = changes.filter((c) => c.value !== null).map((c) => c.path);
  for (;;) {
    const branch = await ctx.meta.getBranch(ctx.repo, branchName);
    if (!branch)
      throw new BranchNotFoundError(`branch ${branchName} not found`, { branch: branchName });
    const { tree } = await ctx.commits.get(branch.head as CommitId);
    const committed: string[] = [];
    for (const p of written) if (await lookup(ctx.nodes, tree, p)) committed.push(p);
    const r = await ctx.meta.stageIfAbsent(ctx.repo, branchName, changes, {
      head: branch.head,
      committed,
    });
    if (r.staged) return;
    if (r.reason === 'exists') throw exists(branchName, r.path);
  }
}

function exists(branch: string, path: string): PreconditionFailedError {
  return new PreconditionFailedError(`${path} already exists on ${branch}`, { path, branch });
}
