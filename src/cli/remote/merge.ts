// `sluice --remote URL merge SOURCE [-b DEST]`: the server merges through the gate and records
// the event; the answer is the local command's document, printed by the same printer.

import { type MergeCliOptions, printMerge, STRATEGIES } from '../handlers/merge.js';
import { destinationBranch, oneOf } from '../options.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  source: string,
  opts: MergeCliOptions,
): Promise<number> {
  const strategy = oneOf(opts.strategy, STRATEGIES, '--strategy');
  const s = await ctx.remote();
  const repository = await s.repository();
  const into = await s.branch(destinationBranch(opts));
  const doc = await s.call(
    s.client.POST('/api/v1/repositories/{repository}/refs/{source}/merge/{destination}', {
      params: { path: { repository, source, destination: into } },
      body: {
        ...(strategy ? { strategy } : {}),
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        noFastForward: !opts.ff,
        force: opts.force === true,
      },
    }),
  );
  printMerge(ctx.out, doc, strategy ?? 'fail');
  return 0;
}
