// `sluice tag list`: every tag and the commit it names.
import type { Command } from 'commander';
import { collect, shortId, tagJson } from '../output.js';
import type { Runner } from '../runner.js';

export function register(tag: Command, runner: Runner): void {
  tag
    .command('list')
    .description('list tags')
    .option('--prefix <prefix>', 'only tags whose name starts with this')
    .action(
      runner.action(async (ctx, opts: { prefix?: string }) => {
        const repo = await ctx.repo();
        const tags = await collect(repo.listTags({ prefix: opts.prefix }));
        ctx.out.result({ tags: tags.map(tagJson) }, () =>
          ctx.out.table(tags.map((t) => [t.name, shortId(t.commitId)])),
        );
        return 0;
      }),
    );
}
