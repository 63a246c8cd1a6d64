// `sluice --remote URL tag create NAME [REF]`.
import { printTagCreated } from '../handlers/tag-create.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  ref: string | undefined,
): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const tag = await s.call(
    s.client.POST('/api/v1/repositories/{repository}/tags', {
      params: { path: { repository } },
      body: { name, ref: await s.ref(ref) },
    }),
  );
  printTagCreated(ctx, tag);
  return 0;
}
