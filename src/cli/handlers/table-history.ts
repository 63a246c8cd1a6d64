// `sluice table history NAME [--ref REF]`: the commits that changed a table, newest first, shown
// like `sluice log`.
import { type Commit, tableHistory } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson, printCommits } from '../output.js';
import type { CommandContext } from '../runner.js';

export interface HistoryOptions {
  ref?: string;
  limit?: string;
  oneline?: boolean;
}

export async function run(
  ctx: CommandContext,
  name: string,
  opts: HistoryOptions,
): Promise<number> {
  const limit = positiveInt(opts.limit, '-n');
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const commits: Commit[] = [];
  for await (const c of tableHistory(repo, ref, name, { limit })) commits.push(c);
  printTableHistory(ctx, name, ref, commits, opts.oneline);
  return 0;
}

/** What both the local and the remote command print (remote/table.ts). */
export function printTableHistory(
  ctx: CommandContext,
  name: string,
  ref: string,
  commits: Commit[],
  oneline: boolean | undefined,
): void {
  ctx.out.result({ table: name, ref, commits: commits.map(commitJson) }, () =>
    printCommits(ctx.out, commits, oneline),
  );
}
