// `sluice alias delete NAME`: removes the alias (never the branch it names).
import type { CommandContext } from '../runner.js';
import { printDeleted } from './branch-delete.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteAlias(name);
  printDeleted(ctx, 'alias', name);
  return 0;
}
