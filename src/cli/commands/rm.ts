// `sluice rm PATH...`: stages deletions (all or nothing); -r also removes everything under PATH/.
import type { Command } from 'commander';
import { branchOption, type Runner } from '../runner.js';

export function register(program: Command, runner: Runner): void {
  program
    .command('rm')
    .description('remove objects from a branch (staged until commit)')
    .argument('<paths...>', 'paths to remove')
    .option('-r, --recursive', 'also remove everything under each path')
    .addOption(branchOption())
    .action(
      runner.action(
        async (ctx, paths: string[], opts: { branch?: string; recursive?: boolean }) => {
          const repo = await ctx.repo();
          const branch = await ctx.branch(opts.branch);
          const removed = await repo.deleteObjects(branch, paths, {
            recursive: opts.recursive === true,
          });
          ctx.out.result({ branch, removed }, () => {
            for (const p of removed) ctx.out.note(`removed ${p}`);
            ctx.out.note(`${removed.length} object(s) removed on ${branch} (staged)`);
          });
          return 0;
        },
      ),
    );
}
