// `sluice --remote URL revert|cherry-pick COMMIT [--parent N]`.
import { printCommitted } from '../handlers/commit.js';
import { positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';

export async function replayRemote(
  kind: 'revert' | 'cherry-pick',
  ctx: CommandContext,
  commit: string,
  opts: { parent?: string; branch?: string },
): Promise<number> {
  const parent = positiveInt(opts.parent, '--parent');
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  const params = { params: { path: { repository, branch } } };
  const body = { ref: commit, ...(parent === undefined ? {} : { parent }) };
  const c = await s.call(
    kind === 'revert'
      ? s.client.POST('/api/v1/repositories/{repository}/branches/{branch}/revert', {
          ...params,
          body,
        })
      : s.client.POST('/api/v1/repositories/{repository}/branches/{branch}/cherry-pick', {
          ...params,
          body,
        }),
  );
  printCommitted(ctx, branch, c);
  return 0;
}
