// `sluice alias set NAME BRANCH`: creates or flips a symbolic ref in one compare-and-swap.
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string, branch: string): Promise<number> {
  const repo = await ctx.repo();
  const { alias: rec, previous } = await repo.setAlias(name, branch);
  ctx.out.result(
    { alias: { name: rec.name, target: rec.target, previous: previous ?? null } },
    () =>
      ctx.out.note(
        `alias ${rec.name} → ${rec.target}${previous && previous !== rec.target ? ` (was ${previous})` : ''}`,
      ),
  );
  return 0;
}
