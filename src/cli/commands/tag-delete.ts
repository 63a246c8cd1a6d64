// `sluice tag delete NAME`.
import type { Command } from 'commander';
import type { Runner } from '../runner.js';

export function register(tag: Command, runner: Runner): void {
  tag
    .command('delete')
    .description('delete a tag')
    .argument('<name>', 'tag to delete')
    .action(
      runner.action(async (ctx, name: string) => {
        const repo = await ctx.repo();
        await repo.deleteTag(name);
        ctx.out.result({ deleted: { tag: name } }, () => ctx.out.note(`deleted tag ${name}`));
        return 0;
      }),
    );
}
