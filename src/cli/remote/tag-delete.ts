// `sluice --remote URL tag delete NAME`.
import { printDeleted } from '../handlers/branch-delete.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  await s.call(
    s.client.DELETE('/api/v1/repositories/{repository}/tags/{tag}', {
      params: { path: { repository, tag: name } },
    }),
  );
  printDeleted(ctx, 'tag', name);
  return 0;
}
