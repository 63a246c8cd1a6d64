// `sluice alias list`: every alias and the branch it names.
import type { Command } from 'commander';
import { collect } from '../output.js';
import type { Runner } from '../runner.js';

export function register(alias: Command, runner: Runner): void {
  alias
    .command('list')
    .description('list aliases')
    .action(
      runner.action(async (ctx) => {
        const repo = await ctx.repo();
        const aliases = await collect(repo.listAliases());
        ctx.out.result(
          {
            aliases: aliases.map((a) => ({
              name: a.name,
              target: a.target,
              updatedAt: a.updatedAt.toISOString(),
            })),
          },
          () => ctx.out.table(aliases.map((a) => [a.name, '→', a.target])),
        );
        return 0;
      }),
    );
}
