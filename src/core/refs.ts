// Ref expressions: `main`, `main~2`, `v1.0^`, `production` (an alias), a commit id or a prefix of
// at least 8 hex characters. A bare branch (or an alias of one) reads through its staging area;
// everything else names a commit.
import {
  BranchNotFoundError,
  CommitNotFoundError,
  InvalidRefError,
  NotABranchError,
  RefNotFoundError,
} from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type { BranchRecord, RefStore } from '../meta/meta-store.js';
import type { RepoContext } from './context.js';

export type ResolvedRef =
  | { kind: 'branch'; name: string; branch: BranchRecord; commit: CommitId }
  | { kind: 'alias'; name: string; branch: BranchRecord; commit: CommitId }
  | { kind: 'tag'; name: string; commit: CommitId }
  | { kind: 'commit'; name: string; commit: CommitId };

const SUFFIX = /(~\d*|\^\d*)+$/;

export async function resolveRef(ctx: RepoContext<RefStore>, expr: string): Promise<ResolvedRef> {
  if (expr.length === 0)
    throw new InvalidRefError('empty ref', { ref: expr, reason: 'it is empty' });
  const m = SUFFIX.exec(expr);
  const base = m ? expr.slice(0, m.index) : expr;
  const resolved = await resolveBase(ctx, base, expr);
  if (!m) return resolved;
  let commit = resolved.commit;
  for (const step of m[0].match(/~\d*|\^\d*/g) ?? []) {
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    const c = await ctx.commits.get(commit);
    if (step.startsWith('~')) {
      for (let i = 0; i < n; i++) {
        const cur = await ctx.commits.get(commit);
        const p = cur.parents[0];
        if (!p)
          throw new RefNotFoundError(`${expr}: commit ${cur.id.slice(0, 12)} has no parent`, {
            ref: expr,
          });
        commit = p;
      }
    } else {
      if (n === 0) continue;
      const p = c.parents[n - 1];
      if (!p)
        throw new RefNotFoundError(`${expr}: commit ${c.id.slice(0, 12)} has no parent ${n}`, {
          ref: expr,
        });
      commit = p;
    }
  }
  return { kind: 'commit', name: expr, commit };
}

async function resolveBase(
  ctx: RepoContext<RefStore>,
  base: string,
  expr: string,
): Promise<ResolvedRef> {
  const branch = await ctx.meta.getBranch(ctx.repo, base);
  if (branch) return { kind: 'branch', name: base, branch, commit: branch.head as CommitId };
  const alias = await ctx.meta.getAlias(ctx.repo, base);
  if (alias) {
    const target = await ctx.meta.getBranch(ctx.repo, alias.target);
    if (!target)
      throw new BranchNotFoundError(`alias ${base} points at missing branch ${alias.target}`, {
        branch: alias.target,
      });
    return { kind: 'alias', name: base, branch: target, commit: target.head as CommitId };
  }
  const tag = await ctx.meta.getTag(ctx.repo, base);
  if (tag) return { kind: 'tag', name: base, commit: tag.commitId as CommitId };
  if (/^[0-9a-f]{8,64}$/.test(base)) {
    const id = base.length === 64 ? base : await ctx.commits.findByPrefix(base);
    if (id) {
      try {
        await ctx.commits.get(id);
        return { kind: 'commit', name: base, commit: id as CommitId };
      } catch (err) {
        if (!(err instanceof CommitNotFoundError)) throw err;
      }
    }
  }
  throw new RefNotFoundError(
    `unknown ref ${JSON.stringify(expr)}: no branch, alias, tag or commit by that name`,
    { ref: expr },
  );
}

/** Resolves a name that must be a branch (or an alias of one) — a write target. */
export async function resolveBranch(
  ctx: RepoContext<RefStore>,
  name: string,
): Promise<BranchRecord> {
  const branch = await ctx.meta.getBranch(ctx.repo, name);
  if (branch) return branch;
  const alias = await ctx.meta.getAlias(ctx.repo, name);
  if (alias) {
    const target = await ctx.meta.getBranch(ctx.repo, alias.target);
    if (target) return target;
  }
  const other = await resolveRef(ctx, name).catch(() => undefined);
  if (other)
    throw new NotABranchError(`${name} is a ${other.kind}, not a branch`, {
      ref: name,
      kind: other.kind,
    });
  throw new BranchNotFoundError(`branch ${JSON.stringify(name)} not found`, { branch: name });
}
