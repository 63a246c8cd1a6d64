// `sluice alias set NAME BRANCH`: creates or flips a symbolic ref in one compare-and-swap.
import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function register(alias: Command, runner: Runner): void {
  alias
    .command('set')
    .description('point an alias at a branch (creating the alias if needed)')
    .argument('<name>', 'alias name')
    .argument('<branch>', 'branch it names')
    .action(
      runner.action(async (ctx, name: string, branch: string) => {
        const repo = await ctx.repo();
        const { alias: rec, previous } = await repo.setAlias(name, branch);
        ctx.out.result(
          { alias: { name: rec.name, target: rec.target, previous: previous ?? null } },
          () =>
            ctx.out.note(
              `alias ${rec.name} → ${rec.target}${previous && previous !== rec.target ? ` (was ${previous})` : ''}`,
            ),
        );
        return 0;
      }),
    );
}
