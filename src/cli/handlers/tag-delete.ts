// `sluice tag delete NAME`.
import type { CommandContext } from '../runner.js';
import { printDeleted } from './branch-delete.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteTag(name);
  printDeleted(ctx, 'tag', name);
  return 0;
}
