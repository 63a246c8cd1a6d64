// `sluice reset [PATH]`: discards a branch's uncommitted changes (all, or at/under PATH).
import type { Command } from 'commander';
import { branchOption, type Runner } from '../runner.js';

export function register(program: Command, runner: Runner): void {
  program
    .command('reset')
    .description("discard a branch's uncommitted changes (all of them, or those at/under PATH)")
    .argument('[path]', 'only changes at this path or under it')
    .addOption(branchOption())
    .action(
      runner.action(async (ctx, path: string | undefined, opts: { branch?: string }) => {
        const repo = await ctx.repo();
        const branch = await ctx.branch(opts.branch);
        const discarded = await repo.resetStaging(branch, path === undefined ? {} : { path });
        ctx.out.result({ branch, path: path ?? null, discarded }, () =>
          ctx.out.note(
            `discarded ${discarded} uncommitted change(s) on ${branch}${path ? ` at ${path}` : ''}`,
          ),
        );
        return 0;
      }),
    );
}
