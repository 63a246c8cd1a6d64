// `sluice --remote URL alias delete NAME`.
import { printDeleted } from '../handlers/branch-delete.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  await s.call(
    s.client.DELETE('/api/v1/repositories/{repository}/aliases/{alias}', {
      params: { path: { repository, alias: name } },
    }),
  );
  printDeleted(ctx, 'alias', name);
  return 0;
}
