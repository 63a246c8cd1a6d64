// `sluice --remote URL commit -m MSG [--path P…]`: the same checks, wording and output as locally.

import { cliWording, printCommitted } from '../handlers/commit.js';
import { metadata, nonEmpty } from '../options.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  opts: {
    branch?: string;
    message: string;
    meta?: string[];
    allowEmpty?: boolean;
    path?: string[];
  },
): Promise<number> {
  const message = nonEmpty(opts.message, '--message');
  const meta = metadata(opts.meta);
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  const commit = await s
    .call(
      s.client.POST('/api/v1/repositories/{repository}/branches/{branch}/commits', {
        params: { path: { repository, branch } },
        body: {
          message,
          ...(meta ? { metadata: meta } : {}),
          allowEmpty: opts.allowEmpty === true,
          ...(opts.path?.length ? { paths: opts.path } : {}),
        },
      }),
    )
    .catch(cliWording(branch, opts.path));
  printCommitted(ctx, branch, commit);
  return 0;
}
