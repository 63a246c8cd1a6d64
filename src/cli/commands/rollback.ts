// `sluice rollback [production] [--to DEPLOY_ID]`: the alias flips back to an earlier deploy —
// by default the last successful one before the live deploy that was not itself rolled back.
// When that deploy's commit is still on the other colour, the rollback is the flip alone
// (milliseconds, whatever the data's size). Exit code 0, or the error's own code.
import type { Command } from 'commander';
import { findRepoDir, loadWorkflowConfig, type RollbackRun, rollback } from '../../index.js';
import type { Runner } from '../runner.js';

interface RollbackCliOptions {
  to?: string;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('rollback')
    .description('flip the production alias back to an earlier deploy (default: the previous one)')
    .argument('[environment]', 'the environment to roll back', 'production')
    .option('--to <deploy-id>', 'restore this deploy (see sluice events --type deploy)')
    .action(
      runner.action(async (ctx, env: string, opts: RollbackCliOptions) => {
        const dir = findRepoDir(ctx.globals.repo);
        const config = loadWorkflowConfig(dir);
        const repo = await ctx.repo();
        const run: RollbackRun = await rollback(repo, config, env, {
          ...(opts.to ? { to: opts.to } : {}),
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
