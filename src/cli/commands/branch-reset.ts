// `sluice branch reset NAME --to REF`: points a branch at a commit and drops its uncommitted
// changes (git reset --hard).
import type { Command } from 'commander';
import { branchJson, shortId } from '../output.js';
import type { Runner } from '../runner.js';

export function register(branch: Command, runner: Runner): void {
  branch
    .command('reset')
    .description('point a branch at another commit, discarding its uncommitted changes')
    .argument('<name>', 'branch to move')
    .requiredOption('--to <ref>', 'commit (or any ref) to point the branch at')
    .action(
      runner.action(async (ctx, name: string, opts: { to: string }) => {
        const repo = await ctx.repo();
        const info = await repo.resetBranch(name, opts.to);
        ctx.out.result({ branch: branchJson(info) }, () =>
          ctx.out.note(`branch ${info.name} now at ${shortId(info.head)} (${opts.to})`),
        );
        return 0;
      }),
    );
}
