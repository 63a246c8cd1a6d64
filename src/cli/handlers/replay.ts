// Shared by `revert` and `cherry-pick`: both replay one commit's changes onto a branch as a new
// commit, and differ only in direction.
import type { Commit, Repository } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson } from '../output.js';
import type { CommandContext } from '../runner.js';
import { printCommitted } from './commit.js';

export type Replay = (
  repo: Repository,
  branch: string,
  commit: string,
  opts: { parent?: number },
) => Promise<Commit>;

export async function replayCommand(
  replay: Replay,
  ctx: CommandContext,
  commit: string,
  opts: { parent?: string; branch?: string },
): Promise<number> {
  const parent = positiveInt(opts.parent, '--parent');
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const c = await replay(repo, branch, commit, parent === undefined ? {} : { parent });
  printCommitted(ctx, branch, commitJson(c));
  return 0;
}
