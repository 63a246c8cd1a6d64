// `sluice commit -m MSG`: seals a branch's staged changes into a commit — all of them, or with
// `--path P…` only those at or under the named paths (the rest stays staged).
import { EmptyCommitError } from '../../index.js';
import { type CommitJson, firstLine } from '../../internal.js';
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
    .catch(cliWording(branch, opts.path));
  printCommitted(ctx, branch, commitJson(c));
  return 0;
}

/** EmptyCommitError worded for the command line (the same error); others as they are. */
export function cliWording(branch: string, paths: string[] | undefined) {
  return (err: unknown): never => {
    if (!(err instanceof EmptyCommitError)) throw err;
    throw new EmptyCommitError(
      `nothing to commit on ${branch}${paths?.length ? ` at ${paths.join(', ')}` : ''}; pass --allow-empty to record an empty commit`,
      err.data,
    );
  };
}

/** `[branch id] message`: what commit, revert and cherry-pick print, locally and remotely. */
export function printCommitted(ctx: CommandContext, branch: string, commit: CommitJson): void {
  ctx.out.result({ branch, commit }, () =>
    ctx.out.note(`[${branch} ${shortId(commit.id)}] ${firstLine(commit.message)}`),
  );
}
