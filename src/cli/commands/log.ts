// `sluice log [REF]`: commits reachable from a ref, newest first, like `git log`.
import type { Command } from 'commander';
import type { Commit } from '../../index.js';
import { positiveInt } from '../options.js';
import { commitJson, printCommits } from '../output.js';
import type { Runner } from '../runner.js';

interface LogOptions {
  limit?: string;
  path?: string;
  oneline?: boolean;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('log')
    .description('show the commit history of a ref')
    .argument('[ref]', 'where to start (default: the default branch)')
    .option('-n, --limit <n>', 'show at most N commits')
    .option('--path <path>', 'only commits that changed this path (or anything under it)')
    .option('--oneline', 'one line per commit')
    .action(
      runner.action(async (ctx, ref: string | undefined, opts: LogOptions) => {
        const limit = positiveInt(opts.limit, '-n');
        const repo = await ctx.repo();
        const start = await ctx.ref(ref);
        const commits: Commit[] = [];
        for await (const c of repo.log(start, { limit, path: opts.path })) commits.push(c);
        ctx.out.result({ ref: start, commits: commits.map(commitJson) }, () =>
          printCommits(ctx.out, commits, opts.oneline),
        );
        return 0;
      }),
    );
}
