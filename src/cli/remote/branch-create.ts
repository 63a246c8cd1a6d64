// `sluice --remote URL branch create NAME [--from REF]`: the local command's output, from the server.
import { branchFromJson } from '../../internal.js';
import { printBranchCreated } from '../handlers/branch-create.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { from?: string },
): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.call(
    s.client.POST('/api/v1/repositories/{repository}/branches', {
      params: { path: { repository } },
      body: { name, ...(opts.from ? { source: opts.from } : {}) },
    }),
  );
  printBranchCreated(ctx, branchFromJson(branch), opts.from);
  return 0;
}
