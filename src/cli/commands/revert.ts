// `sluice revert COMMIT`: commits the inverse of a commit's changes (against --parent N for merges).
import type { Command } from 'commander';
import { positiveInt } from '../options.js';
import { commitJson, shortId } from '../output.js';
import { branchOption, type Runner } from '../runner.js';

export function register(program: Command, runner: Runner): void {
  program
    .command('revert')
    .description("commit the inverse of COMMIT's changes on a branch")
    .argument('<commit>', 'commit (any ref naming it)')
    .option('--parent <n>', 'for a merge commit: which parent to compare with (1-based)')
    .addOption(branchOption())
    .action(
      runner.action(async (ctx, commit: string, opts: { parent?: string; branch?: string }) => {
        const parent = positiveInt(opts.parent, '--parent');
        const repo = await ctx.repo();
        const branch = await ctx.branch(opts.branch);
        const c = await repo.revert(branch, commit, parent === undefined ? {} : { parent });
        ctx.out.result({ branch, commit: commitJson(c) }, () =>
          ctx.out.note(`[${branch} ${shortId(c.id)}] ${c.message.split('\n')[0]}`),
        );
        return 0;
      }),
    );
}
