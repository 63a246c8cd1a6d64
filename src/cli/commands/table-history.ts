// `sluice table history NAME [--ref REF]`: the commits that changed a table, newest first, shown
// like `sluice log`.
import type { Command } from 'commander';
import { type Commit, tableHistory } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson, printCommits } from '../output.js';
import { type Runner, refOption } from '../runner.js';

interface HistoryOptions {
  ref?: string;
  limit?: string;
  oneline?: boolean;
}

export function register(table: Command, runner: Runner): void {
  table
    .command('history')
    .description('show the commits that changed a table')
    .argument('<name>', 'table name')
    .addOption(refOption())
    .option('-n, --limit <n>', 'show at most N commits')
    .option('--oneline', 'one line per commit')
    .action(
      runner.action(async (ctx, name: string, opts: HistoryOptions) => {
        const limit = positiveInt(opts.limit, '-n');
        const repo = await ctx.repo();
        const ref = await ctx.ref(opts.ref);
        const commits: Commit[] = [];
        for await (const c of tableHistory(repo, ref, name, { limit })) commits.push(c);
        ctx.out.result({ table: name, ref, commits: commits.map(commitJson) }, () =>
          printCommits(ctx.out, commits, opts.oneline),
        );
        return 0;
      }),
    );
}
