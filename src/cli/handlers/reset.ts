// `sluice reset [PATH]`: discards a branch's uncommitted changes (all, or at/under PATH).
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  path: string | undefined,
  opts: { branch?: string },
): Promise<number> {
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const discarded = await repo.resetStaging(branch, path === undefined ? {} : { path });
  ctx.out.result({ branch, path: path ?? null, discarded }, () =>
    ctx.out.note(
      `discarded ${discarded} uncommitted change(s) on ${branch}${path ? ` at ${path}` : ''}`,
    ),
  );
  return 0;
}
