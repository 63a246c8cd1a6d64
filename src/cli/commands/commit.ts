// `sluice commit -m MSG`: seals a branch's staged changes into a commit.
import type { Command } from 'commander';
import { EmptyCommitError, firstLine } from '../../index.js';
import { metadata, nonEmpty, repeatable } from '../options.js';
import { commitJson, shortId } from '../output.js';
import { branchOption, type Runner } from '../runner.js';

interface CommitCliOptions {
  branch?: string;
  message: string;
  meta?: string[];
  allowEmpty?: boolean;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('commit')
    .description("commit a branch's staged changes")
    .requiredOption('-m, --message <message>', 'commit message')
    .option('--meta <key=value>', 'commit metadata (repeatable)', repeatable)
    .option('--allow-empty', 'commit even when nothing changed')
    .addOption(branchOption())
    .action(
      runner.action(async (ctx, opts: CommitCliOptions) => {
        const message = nonEmpty(opts.message, '--message');
        const meta = metadata(opts.meta);
        const repo = await ctx.repo();
        const branch = await ctx.branch(opts.branch);
        const c = await repo
          .commit(branch, { message, metadata: meta, allowEmpty: opts.allowEmpty === true })
          .catch((err: unknown) => {
            if (!(err instanceof EmptyCommitError)) throw err;
            // Same error, worded for the command line.
            throw new EmptyCommitError(
              `nothing to commit on ${branch}; pass --allow-empty to record an empty commit`,
              err.data,
            );
          });
        ctx.out.result({ branch, commit: commitJson(c) }, () =>
          ctx.out.note(`[${branch} ${shortId(c.id)}] ${firstLine(c.message)}`),
        );
        return 0;
      }),
    );
}
