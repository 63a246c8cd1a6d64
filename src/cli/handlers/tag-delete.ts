// `sluice tag delete NAME`.
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteTag(name);
  ctx.out.result({ deleted: { tag: name } }, () => ctx.out.note(`deleted tag ${name}`));
  return 0;
}
