// `sluice --remote URL alias list`.
import { printAliases } from '../handlers/alias-list.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const { results } = await s.call(
    s.client.GET('/api/v1/repositories/{repository}/aliases', {
      params: { path: { repository } },
    }),
  );
  printAliases(ctx, results);
  return 0;
}
