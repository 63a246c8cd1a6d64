// `sluice branch list`: every branch with its head; `*` marks the default branch.
import type { Command } from 'commander';
import type { BranchInfo } from '../../index.js';
import { branchJson, shortId } from '../output.js';
import type { Runner } from '../runner.js';

export function register(branch: Command, runner: Runner): void {
  branch
    .command('list')
    .description('list branches')
    .option('--prefix <prefix>', 'only branches whose name starts with this')
    .action(
      runner.action(async (ctx, opts: { prefix?: string }) => {
        const repo = await ctx.repo();
        const branches: BranchInfo[] = [];
        for await (const b of repo.listBranches({ prefix: opts.prefix })) branches.push(b);
        ctx.out.result({ branches: branches.map(branchJson) }, () =>
          ctx.out.table(branches.map((b) => [b.isDefault ? '*' : ' ', b.name, shortId(b.head)])),
        );
        return 0;
      }),
    );
}
