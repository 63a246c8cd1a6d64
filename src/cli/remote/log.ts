// `sluice --remote URL log [REF] [-n N] [--path P] [--oneline]`: pages until N commits.
import { commitFromJson } from '../../internal.js';
import { printLog } from '../handlers/log.js';
import { positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';
import { allPages, PAGE } from './pages.js';

export async function run(
  ctx: CommandContext,
  ref: string | undefined,
  opts: { limit?: string; path?: string; oneline?: boolean },
): Promise<number> {
  const limit = positiveInt(opts.limit, '-n');
  const s = await ctx.remote();
  const repository = await s.repository();
  const start = await s.ref(ref);
  const commits = await allPages(
    (after) =>
      s.call(
        s.client.GET('/api/v1/repositories/{repository}/refs/{ref}/commits', {
          params: {
            path: { repository, ref: start },
            query: {
              amount: Math.min(PAGE, limit ?? PAGE),
              ...(opts.path !== undefined ? { path: opts.path } : {}),
              after,
            },
          },
        }),
      ),
    limit,
  );
  printLog(ctx, start, commits.map(commitFromJson), opts.oneline);
  return 0;
}
