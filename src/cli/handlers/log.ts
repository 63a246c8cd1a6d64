// `sluice log [REF]`: commits reachable from a ref, newest first, like `git log`.
import type { Commit } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson, printCommits } from '../output.js';
import type { CommandContext } from '../runner.js';

interface LogOptions {
  limit?: string;
  path?: string;
  oneline?: boolean;
}

export async function run(
  ctx: CommandContext,
  ref: string | undefined,
  opts: LogOptions,
): Promise<number> {
  const limit = positiveInt(opts.limit, '-n');
  const repo = await ctx.repo();
  const start = await ctx.ref(ref);
  const commits: Commit[] = [];
  for await (const c of repo.log(start, { limit, path: opts.path })) commits.push(c);
  printLog(ctx, start, commits, opts.oneline);
  return 0;
}

/** What both the local and the remote command print. */
export function printLog(
  ctx: CommandContext,
  ref: string,
  commits: Commit[],
  oneline: boolean | undefined,
): void {
  ctx.out.result({ ref, commits: commits.map(commitJson) }, () =>
    printCommits(ctx.out, commits, oneline),
  );
}
