// `sluice tag create NAME [REF]`: an immutable name for a commit.
import type { Command } from 'commander';
import { shortId, tagJson } from '../output.js';
import type { Runner } from '../runner.js';

export function register(tag: Command, runner: Runner): void {
  tag
    .command('create')
    .description('tag a commit')
    .argument('<name>', 'name of the tag')
    .argument('[ref]', 'what to tag (default: the default branch)')
    .action(
      runner.action(async (ctx, name: string, ref: string | undefined) => {
        const repo = await ctx.repo();
        const rec = await repo.createTag(name, await ctx.ref(ref));
        ctx.out.result({ tag: tagJson(rec) }, () =>
          ctx.out.note(`created tag ${rec.name} at ${shortId(rec.commitId)}`),
        );
        return 0;
      }),
    );
}
