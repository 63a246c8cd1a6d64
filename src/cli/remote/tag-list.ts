// `sluice --remote URL tag list [--prefix P]`.
import { printTags } from '../handlers/tag-list.js';
import type { CommandContext } from '../runner.js';
import { allPages, PAGE } from './pages.js';

export async function run(ctx: CommandContext, opts: { prefix?: string }): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const tags = await allPages((after) =>
    s.call(
      s.client.GET('/api/v1/repositories/{repository}/tags', {
        params: {
          path: { repository },
          query: { amount: PAGE, ...(opts.prefix ? { prefix: opts.prefix } : {}), after },
        },
      }),
    ),
  );
  printTags(ctx, tags);
  return 0;
}
