// `sluice branch delete NAME`: removes a branch and its uncommitted changes.
import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function register(branch: Command, runner: Runner): void {
  branch
    .command('delete')
    .description('delete a branch (not the default branch, nor the target of an alias)')
    .argument('<name>', 'branch to delete')
    .action(
      runner.action(async (ctx, name: string) => {
        const repo = await ctx.repo();
        await repo.deleteBranch(name);
        ctx.out.result({ deleted: { branch: name } }, () => ctx.out.note(`deleted branch ${name}`));
        return 0;
      }),
    );
}
