// `sluice branch create NAME [--from REF]`: a new branch at a commit (O(1): no data is copied).
import type { Command } from 'commander';
import { branchJson, shortId } from '../output.js';
import type { Runner } from '../runner.js';

export function register(branch: Command, runner: Runner): void {
  branch
    .command('create')
    .description('create a branch')
    .argument('<name>', 'name of the new branch')
    .option('--from <ref>', 'where the branch starts (default: the default branch)')
    .action(
      runner.action(async (ctx, name: string, opts: { from?: string }) => {
        const repo = await ctx.repo();
        const info = await repo.createBranch(name, { from: opts.from });
        ctx.out.result({ branch: branchJson(info) }, () =>
          ctx.out.note(
            `created branch ${info.name} at ${shortId(info.head)}${opts.from ? ` (from ${opts.from})` : ''}`,
          ),
        );
        return 0;
      }),
    );
}
