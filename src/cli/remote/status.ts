// `sluice --remote URL status [-b BRANCH]`: the branch's uncommitted changes, page by page.
import { changeFromJson } from '../../internal.js';
import { printStatus } from '../handlers/status.js';
import type { CommandContext } from '../runner.js';
import { allPages, PAGE } from './pages.js';

export async function run(ctx: CommandContext, opts: { branch?: string }): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  const changes = await allPages((after) =>
    s.call(
      s.client.GET('/api/v1/repositories/{repository}/branches/{branch}/diff', {
        params: { path: { repository, branch }, query: { amount: PAGE, after } },
      }),
    ),
  );
  printStatus(ctx, branch, changes.map(changeFromJson));
  return 0;
}
