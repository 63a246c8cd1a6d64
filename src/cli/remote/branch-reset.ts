// `sluice --remote URL branch reset NAME --to REF`.
import { branchFromJson } from '../../internal.js';
import { printBranchReset } from '../handlers/branch-reset.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { to: string },
): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const { branch } = await s.call(
    s.client.PUT('/api/v1/repositories/{repository}/branches/{branch}/reset', {
      params: { path: { repository, branch: name } },
      body: { to: opts.to },
    }),
  );
  printBranchReset(ctx, branchFromJson(branch), opts.to);
  return 0;
}
