// `sluice alias delete NAME`: removes the alias (never the branch it names).
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteAlias(name);
  ctx.out.result({ deleted: { alias: name } }, () => ctx.out.note(`deleted alias ${name}`));
  return 0;
}
