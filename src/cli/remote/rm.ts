// `sluice --remote URL rm PATH... [-r]`: one request, all or nothing as locally.
import { printRemoved } from '../handlers/rm.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  paths: string[],
  opts: { branch?: string; recursive?: boolean },
): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  const { removed } = await s.call(
    s.client.DELETE('/api/v1/repositories/{repository}/branches/{branch}/objects', {
      params: {
        path: { repository, branch },
        query: { path: paths, ...(opts.recursive ? { recursive: 'true' as const } : {}) },
      },
    }),
  );
  printRemoved(ctx, branch, removed);
  return 0;
}
