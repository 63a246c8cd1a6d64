// `sluice branch delete NAME`: removes a branch and its uncommitted changes.
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteBranch(name);
  ctx.out.result({ deleted: { branch: name } }, () => ctx.out.note(`deleted branch ${name}`));
  return 0;
}
