// `sluice merge SOURCE --into DEST`: three-way merge; fast-forwards when it can. Conflicts exit 2
// and list the paths (printed by errors.ts from MergeConflictError's data).
import type { Command } from 'commander';
import type { MergeStrategy } from '../../index.js';
import { oneOf } from '../options.js';
import { commitJson, shortId } from '../output.js';
import type { Runner } from '../runner.js';

const STRATEGIES: readonly MergeStrategy[] = ['fail', 'source-wins', 'dest-wins'];

interface MergeCliOptions {
  into?: string;
  strategy?: string;
  message?: string;
  ff: boolean;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('merge')
    .description('merge SOURCE into a branch')
    .argument('<source>', 'ref to merge from')
    .option('--into <branch>', 'branch to merge into (default: the default branch)')
    .option('--strategy <strategy>', 'on conflict: fail (default), source-wins or dest-wins')
    .option('-m, --message <message>', 'message of the merge commit')
    .option('--no-ff', 'record a merge commit even when a fast-forward is possible')
    .action(
      runner.action(async (ctx, source: string, opts: MergeCliOptions) => {
        const strategy = oneOf(opts.strategy, STRATEGIES, '--strategy');
        const repo = await ctx.repo();
        const into = await ctx.branch(opts.into);
        const r = await repo.merge(source, into, {
          strategy,
          message: opts.message,
          noFastForward: !opts.ff,
        });
        const doc = {
          merge: {
            source,
            destination: into,
            base: r.base,
            upToDate: r.upToDate,
            fastForward: r.fastForward,
            applied: r.applied,
            resolved: r.resolved,
            commit: r.commit ? commitJson(r.commit) : null,
          },
        };
        ctx.out.result(doc, () => {
          if (r.upToDate) ctx.out.note(`already up to date: ${into} contains ${source}`);
          else if (r.fastForward && r.commit)
            ctx.out.note(`fast-forward ${into} to ${shortId(r.commit.id)}`);
          else if (r.commit) {
            ctx.out.note(
              `merged ${source} into ${into}: commit ${shortId(r.commit.id)} (${r.applied} path(s) from ${source})`,
            );
          }
          for (const c of r.resolved) {
            ctx.out.note(
              `  resolved ${c.path} (${strategy}: source ${c.source}, destination ${c.destination})`,
            );
          }
        });
        return 0;
      }),
    );
}
