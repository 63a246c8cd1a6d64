// `sluice --remote URL alias set NAME BRANCH`.
import { printAliasSet } from '../handlers/alias-set.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string, branch: string): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const alias = await s.call(
    s.client.POST('/api/v1/repositories/{repository}/aliases', {
      params: { path: { repository } },
      body: { name, branch },
    }),
  );
  printAliasSet(ctx, alias);
  return 0;
}
