// Branches, tags and aliases as the Repository offers them: creating, moving and deleting refs
// over the RefStore, with the rules the store does not know — one namespace for all three kinds,
// the default branch and alias targets cannot be deleted, aliases point at branches only.
import {
  AliasNotFoundError,
  AliasTargetError,
  DefaultBranchError,
  NotABranchError,
  RefAlreadyExistsError,
  TagNotFoundError,
} from '../common/errors.js';
import { type CommitId, parseAliasName, parseBranchName, parseTagName } from '../common/ids.js';
import type {
  AliasRecord,
  BranchRecord,
  RefStore,
  StagingStore,
  TagRecord,
} from '../meta/meta-store.js';
import { newStagingToken } from './commit-op.js';
import type { RepoContext } from './context.js';
import { resolveBranch, resolveRef } from './refs.js';
import { tokensOf } from './view.js';
import type { WriteGuard } from './write-policy.js';

export interface BranchInfo {
  name: string;
  head: CommitId;
  createdAt: Date;
  isDefault: boolean;
}

export function branchInfo(ctx: RepoContext<unknown>, b: BranchRecord): BranchInfo {
  return {
    name: b.name,
    head: b.head as CommitId,
    createdAt: b.createdAt,
    isDefault: b.name === ctx.defaultBranch,
  };
}

/** Branches, aliases and tags share one namespace, so a name always resolves one way. */
async function assertNameFree(
  ctx: RepoContext<RefStore>,
  name: string,
  kind: 'branch' | 'tag' | 'alias',
): Promise<void> {
  const taken =
    ((await ctx.meta.getBranch(ctx.repo, name)) && 'branch') ||
    ((await ctx.meta.getAlias(ctx.repo, name)) && 'alias') ||
    ((await ctx.meta.getTag(ctx.repo, name)) && 'tag');
  if (taken) {
    throw new RefAlreadyExistsError(
      `cannot create ${kind} ${name}: a ${taken} with that name exists`,
      { name, kind: taken },
    );
  }
}

// ---- branches ----------------------------------------------------------------------------------

export async function createBranch(
  ctx: RepoContext<RefStore>,
  name: string,
  opts: { from?: string },
): Promise<BranchInfo> {
  const branch = parseBranchName(name);
  await assertNameFree(ctx, branch, 'branch');
  const from = await resolveRef(ctx, opts.from ?? ctx.defaultBranch);
  const rec = await ctx.meta.createBranch(ctx.repo, {
    name: branch,
    head: from.commit,
    stagingToken: newStagingToken(),
    sealedTokens: [],
    createdAt: new Date(),
  });
  return branchInfo(ctx, rec);
}

export async function* listBranches(
  ctx: RepoContext<RefStore>,
  opts: { prefix?: string },
): AsyncIterable<BranchInfo> {
  for await (const b of ctx.meta.listBranches(ctx.repo, opts)) yield branchInfo(ctx, b);
}

/** Deletes a branch and its staged rows; never the default branch or an alias's target. */
export async function deleteBranch(
  ctx: RepoContext<RefStore & StagingStore>,
  guard: WriteGuard,
  name: string,
  authorization?: unknown,
): Promise<void> {
  const branch = await resolveBranch(ctx, name);
  await guard('delete-branch', branch.name, authorization);
  if (branch.name === ctx.defaultBranch) {
    throw new DefaultBranchError(`${branch.name} is the default branch and cannot be deleted`, {
      branch: branch.name,
    });
  }
  const aliases: string[] = [];
  for await (const a of ctx.meta.listAliases(ctx.repo))
    if (a.target === branch.name) aliases.push(a.name);
  if (aliases.length > 0) {
    throw new AliasTargetError(
      `${branch.name} is the target of alias ${aliases.join(', ')}; move the alias first`,
      {
        branch: branch.name,
        aliases,
      },
    );
  }
  await ctx.meta.deleteBranch(ctx.repo, branch.name);
  await ctx.meta.clearStaging(ctx.repo, tokensOf(branch));
}

/** Points a branch at a commit and discards its uncommitted changes (git reset --hard). */
export async function resetBranch(
  ctx: RepoContext<RefStore & StagingStore>,
  guard: WriteGuard,
  name: string,
  to: string,
): Promise<BranchInfo> {
  const target = await resolveRef(ctx, to);
  await guard('reset-branch', (await resolveBranch(ctx, name)).name);
  for (;;) {
    const branch = await resolveBranch(ctx, name);
    const from = branch.head as CommitId;
    await guard.move({ op: 'reset-branch', branch: branch.name, from, to: target.commit });
    const moved = await ctx.meta.updateBranch(ctx.repo, branch.name, branch.version, {
      head: target.commit,
      stagingToken: newStagingToken(),
      sealedTokens: [],
    });
    if (moved) {
      await ctx.meta.clearStaging(ctx.repo, tokensOf(branch));
      return branchInfo(ctx, moved);
    }
  }
}

// ---- tags --------------------------------------------------------------------------------------

export async function createTag(
  ctx: RepoContext<RefStore>,
  name: string,
  ref: string,
): Promise<TagRecord> {
  const tag = parseTagName(name);
  await assertNameFree(ctx, tag, 'tag');
  const target = await resolveRef(ctx, ref);
  const rec = { name: tag, commitId: target.commit, createdAt: new Date() };
  await ctx.meta.createTag(ctx.repo, rec);
  return rec;
}

export async function deleteTag(ctx: RepoContext<RefStore>, name: string): Promise<void> {
  if (!(await ctx.meta.deleteTag(ctx.repo, name))) {
    throw new TagNotFoundError(`tag ${JSON.stringify(name)} not found`, { tag: name });
  }
}

// ---- aliases -----------------------------------------------------------------------------------

/** Points an alias at a branch (creating it if needed) with one compare-and-swap. */
export async function setAlias(
  ctx: RepoContext<RefStore>,
  name: string,
  branchName: string,
): Promise<{ alias: AliasRecord; previous?: string }> {
  const alias = parseAliasName(name);
  const target = await ctx.meta.getBranch(ctx.repo, branchName);
  if (!target) {
    const other = await resolveRef(ctx, branchName);
    throw new NotABranchError(`an alias must point at a branch; ${branchName} is a ${other.kind}`, {
      ref: branchName,
      kind: other.kind,
    });
  }
  for (;;) {
    const existing = await ctx.meta.getAlias(ctx.repo, alias);
    if (!existing) await assertNameFree(ctx, alias, 'alias');
    const rec = await ctx.meta.setAlias(ctx.repo, alias, target.name, existing?.version ?? null);
    if (rec) return { alias: rec, previous: existing?.target };
  }
}

export async function deleteAlias(ctx: RepoContext<RefStore>, name: string): Promise<void> {
  if (!(await ctx.meta.deleteAlias(ctx.repo, name))) {
    throw new AliasNotFoundError(`alias ${JSON.stringify(name)} not found`, { alias: name });
  }
}
