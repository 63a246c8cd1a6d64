// `sluice alias set NAME BRANCH`: creates or flips a symbolic ref in one compare-and-swap.
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string, branch: string): Promise<number> {
  const repo = await ctx.repo();
  const { alias: rec, previous } = await repo.setAlias(name, branch);
  printAliasSet(ctx, { name: rec.name, target: rec.target, previous: previous ?? null });
  return 0;
}

/** What both the local and the remote command print. */
export function printAliasSet(
  ctx: CommandContext,
  alias: { name: string; target: string; previous: string | null },
): void {
  const { previous } = alias;
  ctx.out.result({ alias }, () =>
    ctx.out.note(
      `alias ${alias.name} → ${alias.target}${previous && previous !== alias.target ? ` (was ${previous})` : ''}`,
    ),
  );
}
