// `sluice merge SOURCE --into DEST`: three-way merge; fast-forwards when it can. Conflicts exit 2
// and list the paths (printed by errors.ts from MergeConflictError's data).
import type { Command } from 'commander';
import { gatesOf, type MergeStrategy } from '../../index.js';
import { oneOf } from '../options.js';
import { commitJson, shortId } from '../output.js';
import type { Runner } from '../runner.js';

const STRATEGIES: readonly MergeStrategy[] = ['fail', 'source-wins', 'dest-wins'];

interface MergeCliOptions {
  into?: string;
  strategy?: string;
  message?: string;
  ff: boolean;
  force?: boolean;
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
    .option(
      '--force',
      "merge although the destination's gate refused (only where sluice.yml allows; recorded)",
    )
    .action(
      runner.action(async (ctx, source: string, opts: MergeCliOptions) => {
        const strategy = oneOf(opts.strategy, STRATEGIES, '--strategy');
        const repo = await ctx.repo();
        const into = await ctx.branch(opts.into);
        const mergeOpts = { strategy, message: opts.message, noFastForward: !opts.ff };
        // A protected destination is merged through its gate (sluice.yml): checks first.
        const gates = gatesOf(repo);
        const { result: r, gate } = gates
          ? await gates.merge(source, into, { ...mergeOpts, force: opts.force === true })
          : { result: await repo.merge(source, into, mergeOpts), gate: undefined };
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
            ...(gate
              ? {
                  gate: {
                    changedTables: gate.changedTables,
                    checks: gate.checks?.summary ?? null,
                    webhooks: gate.webhooks,
                    forced: gate.forced,
                  },
                }
              : {}),
          },
        };
        ctx.out.result(doc, () => {
          if (gate) {
            const s = gate.checks?.summary;
            ctx.out.note(
              `gate ${into}: ${s ? `${s.pass} check(s) passed, ${s.warn} warned` : 'no checks for the changed tables'}` +
                `${gate.webhooks.length ? `, ${gate.webhooks.length} webhook(s) agreed` : ''}` +
                `${gate.forced ? ' — FORCED past failures (recorded in the commit)' : ''}`,
            );
          }
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
