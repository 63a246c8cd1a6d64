// `sluice status`: the uncommitted changes on a branch.
import type { Command } from 'commander';
import { changeJson, collect, countChanges, printChanges } from '../output.js';
import { branchOption, type Runner } from '../runner.js';

export function register(program: Command, runner: Runner): void {
  program
    .command('status')
    .description('show uncommitted changes on a branch')
    .addOption(branchOption())
    .action(
      runner.action(async (ctx, opts: { branch?: string }) => {
        const repo = await ctx.repo();
        const branch = await ctx.branch(opts.branch);
        const changes = await collect(repo.status(branch));
        ctx.out.result(
          { branch, changes: changes.map(changeJson), counts: countChanges(changes) },
          () => {
            ctx.out.line(`On branch ${branch}`);
            printChanges(ctx.out, changes, 'nothing to commit');
          },
        );
        return 0;
      }),
    );
}
