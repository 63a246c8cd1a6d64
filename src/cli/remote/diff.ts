// `sluice --remote URL diff [LEFT] [RIGHT] [--prefix P]`: no ref → the branch's uncommitted
// changes; one → LEFT against the branch; two → LEFT against RIGHT. Read page by page.
import { type Change, parseRepoPath } from '../../index.js';
import { changeFromJson } from '../../internal.js';
import { printDiff } from '../handlers/diff.js';
import type { CommandContext } from '../runner.js';
import { allPages, PAGE } from './pages.js';

export async function run(
  ctx: CommandContext,
  left: string | undefined,
  right: string | undefined,
  opts: { prefix?: string; branch?: string },
): Promise<number> {
  if (opts.prefix) parseRepoPath(opts.prefix, { allowTrailingSlash: true });
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  const query = (after: string | undefined) => ({
    amount: PAGE,
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
    after,
  });
  let changes: Change[];
  let doc: Record<string, unknown>;
  if (left === undefined) {
    const all = await allPages((after) =>
      s.call(
        s.client.GET('/api/v1/repositories/{repository}/branches/{branch}/diff', {
          params: { path: { repository, branch }, query: query(after) },
        }),
      ),
    );
    changes = all.map(changeFromJson);
    doc = { branch, uncommitted: true };
  } else {
    const to = right ?? branch;
    const all = await allPages((after) =>
      s.call(
        s.client.GET('/api/v1/repositories/{repository}/refs/{left}/diff/{right}', {
          params: { path: { repository, left, right: to }, query: query(after) },
        }),
      ),
    );
    changes = all.map(changeFromJson);
    doc = { left, right: to };
  }
  printDiff(ctx, doc, changes);
  return 0;
}
