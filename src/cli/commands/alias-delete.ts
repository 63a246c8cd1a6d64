// `sluice alias delete NAME`: removes the alias (never the branch it names).
import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function register(alias: Command, runner: Runner): void {
  alias
    .command('delete')
    .description('delete an alias')
    .argument('<name>', 'alias to delete')
    .action(
      runner.action(async (ctx, name: string) => {
        const repo = await ctx.repo();
        await repo.deleteAlias(name);
        ctx.out.result({ deleted: { alias: name } }, () => ctx.out.note(`deleted alias ${name}`));
        return 0;
      }),
    );
}
