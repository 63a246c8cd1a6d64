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
  ctx.out.result({ ref: start, commits: commits.map(commitJson) }, () =>
    printCommits(ctx.out, commits, opts.oneline),
  );
  return 0;
}
