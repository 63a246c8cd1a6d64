// `sluice diff [LEFT] [RIGHT]`: no ref → a branch's uncommitted changes; one ref → LEFT against
// the branch's head commit; two → LEFT against RIGHT.
import type { Command } from 'commander';
import { type Change, parseRepoPath } from '../../index.js';
import { changeJson, collect, countChanges, printChanges } from '../output.js';
import { branchOption, type Runner } from '../runner.js';

export function register(program: Command, runner: Runner): void {
  program
    .command('diff')
    .description(
      'show changes: uncommitted (no ref), LEFT vs the branch head (one), LEFT vs RIGHT (two)',
    )
    .argument('[left]', 'ref to compare from')
    .argument('[right]', 'ref to compare to (default: the head commit of --branch)')
    .option('--prefix <prefix>', 'only paths starting with this prefix')
    .addOption(branchOption())
    .action(
      runner.action(
        async (
          ctx,
          left: string | undefined,
          right: string | undefined,
          opts: { prefix?: string; branch?: string },
        ) => {
          if (opts.prefix) parseRepoPath(opts.prefix, { allowTrailingSlash: true });
          const repo = await ctx.repo();
          const branch = await ctx.branch(opts.branch);
          let changes: Change[];
          let doc: Record<string, unknown>;
          if (left === undefined) {
            changes = await collect(repo.status(branch, { prefix: opts.prefix }));
            doc = { branch, uncommitted: true };
          } else {
            const to = right ?? branch;
            changes = await collect(repo.diff(left, to, { prefix: opts.prefix }));
            doc = { left, right: to };
          }
          ctx.out.result(
            { ...doc, changes: changes.map(changeJson), counts: countChanges(changes) },
            () => printChanges(ctx.out, changes, 'no changes'),
          );
          return 0;
        },
      ),
    );
}
