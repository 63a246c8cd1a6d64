// `sluice rollback [production] [--to DEPLOY_ID] [--detected-at WHEN]`: the alias flips back to an earlier deploy —
// by default the last successful one before the live deploy that was not itself rolled back.
// When that deploy's commit is still on the other colour, the rollback is the flip alone
// (milliseconds, whatever the data's size). Exit code 0, or the error's own code.
import type { Command } from 'commander';
import {
  findRepoDir,
  InvalidArgumentError,
  loadWorkflowConfig,
  parseSince,
  type RollbackRun,
  rollback,
} from '../../index.js';
import type { Runner } from '../runner.js';

interface RollbackCliOptions {
  to?: string;
  detectedAt?: string;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('rollback')
    .description('flip the production alias back to an earlier deploy (default: the previous one)')
    .argument('[environment]', 'the environment to roll back', 'production')
    .option('--to <deploy-id>', 'restore this deploy (see sluice events --type deploy)')
    .option(
      '--detected-at <when>',
      'when the problem was noticed — a duration ago (15m, 2h) or an ISO time; time to restore counts from it (default: now)',
    )
    .action(
      runner.action(async (ctx, env: string, opts: RollbackCliOptions) => {
        const dir = findRepoDir(ctx.globals.repo);
        const config = loadWorkflowConfig(dir);
        const repo = await ctx.repo();
        const detectedAt =
          opts.detectedAt === undefined
            ? undefined
            : parseSince(opts.detectedAt, new Date(), '--detected-at');
        if (detectedAt && detectedAt.getTime() > Date.now())
          throw new InvalidArgumentError(`--detected-at: ${opts.detectedAt} is in the future`, {
            argument: 'detected-at',
            reason: 'in the future',
          });
        const run: RollbackRun = await rollback(repo, config, env, {
          ...(opts.to ? { to: opts.to } : {}),
          ...(detectedAt ? { detectedAt } : {}),
        });
        const { event, ...rest } = run;
        ctx.out.result({ ...rest, event: event.id }, () => {
          ctx.out.line(
            `rolled back ${run.environment} to deploy ${run.deployId}: ${run.alias} → ${run.branch} (${run.colour}) @ ${run.commit.slice(0, 12)}; flip ${run.flipMs.toFixed(1)} ms${run.flipOnly ? '' : ` (${run.branch} was reset to it first)`}`,
          );
          ctx.out.note(
            `was ${run.fromCommit.slice(0, 12)}${run.fromDeployId ? ` (deploy ${run.fromDeployId})` : ''}`,
          );
        });
        return 0;
      }),
    );
}
