// `sluice commit -m MSG`: seals a branch's staged changes into a commit — all of them, or with
// `--path P…` only those at or under the named paths (the rest stays staged).
import { EmptyCommitError } from '../../index.js';
import { firstLine } from '../../internal.js';
import { metadata, nonEmpty } from '../options.js';
import { commitJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

interface CommitCliOptions {
  branch?: string;
  message: string;
  meta?: string[];
  allowEmpty?: boolean;
  path?: string[];
}

export async function run(ctx: CommandContext, opts: CommitCliOptions): Promise<number> {
  const message = nonEmpty(opts.message, '--message');
  const meta = metadata(opts.meta);
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const c = await repo
    .commit(branch, {
      message,
      metadata: meta,
      allowEmpty: opts.allowEmpty === true,
      ...(opts.path?.length ? { paths: opts.path } : {}),
    })
    .catch((err: unknown) => {
      if (!(err instanceof EmptyCommitError)) throw err;
      // Same error, worded for the command line.
      throw new EmptyCommitError(
        `nothing to commit on ${branch}${opts.path?.length ? ` at ${opts.path.join(', ')}` : ''}; pass --allow-empty to record an empty commit`,
        err.data,
      );
    });
  ctx.out.result({ branch, commit: commitJson(c) }, () =>
    ctx.out.note(`[${branch} ${shortId(c.id)}] ${firstLine(c.message)}`),
  );
  return 0;
}
