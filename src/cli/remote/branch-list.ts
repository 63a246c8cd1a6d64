// `sluice --remote URL branch list`: the same listing as the local command, read page by page.
import { branchFromJson } from '../../internal.js';
import { printBranches } from '../handlers/branch-list.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { prefix?: string }): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const branches = [];
  let after: string | undefined;
  for (;;) {
    const page = await session.call(
      session.client.GET('/api/v1/repositories/{repository}/branches', {
        params: {
          path: { repository },
          query: {
            amount: 1000,
            ...(opts.prefix ? { prefix: opts.prefix } : {}),
            ...(after ? { after } : {}),
          },
        },
      }),
    );
    branches.push(...page.results.map(branchFromJson));
    if (!page.pagination.hasMore) break;
    after = page.pagination.nextOffset;
  }
  printBranches(ctx, branches);
  return 0;
}
