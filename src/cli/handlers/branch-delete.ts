// `sluice branch delete NAME`: removes a branch and its uncommitted changes.
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  await repo.deleteBranch(name);
  printDeleted(ctx, 'branch', name);
  return 0;
}

/** `deleted <kind> <name>` (branch, tag, alias), for the local and the remote commands. */
export function printDeleted(ctx: CommandContext, kind: 'branch' | 'tag' | 'alias', name: string) {
  ctx.out.result({ deleted: { [kind]: name } }, () => ctx.out.note(`deleted ${kind} ${name}`));
}
