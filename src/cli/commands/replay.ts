// Shared by `revert` and `cherry-pick`: both replay one commit's changes onto a branch as a new
// commit, and differ only in direction.
import type { Command } from 'commander';
import type { Commit, Repository } from '../../index.js';
import { firstLine } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson, shortId } from '../output.js';
import { branchOption, type Runner } from '../runner.js';

export function registerReplay(
  program: Command,
  runner: Runner,
  name: string,
  description: string,
  replay: (
    repo: Repository,
    branch: string,
    commit: string,
    opts: { parent?: number },
  ) => Promise<Commit>,
): void {
  program
    .command(name)
    .description(description)
    .argument('<commit>', 'commit (any ref naming it)')
    .option('--parent <n>', 'for a merge commit: which parent to compare with (1-based)')
    .addOption(branchOption())
    .action(
      runner.action(async (ctx, commit: string, opts: { parent?: string; branch?: string }) => {
        const parent = positiveInt(opts.parent, '--parent');
        const repo = await ctx.repo();
        const branch = await ctx.branch(opts.branch);
        const c = await replay(repo, branch, commit, parent === undefined ? {} : { parent });
        ctx.out.result({ branch, commit: commitJson(c) }, () =>
          ctx.out.note(`[${branch} ${shortId(c.id)}] ${firstLine(c.message)}`),
        );
        return 0;
      }),
    );
}
