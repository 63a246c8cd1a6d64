// `sluice rollback [production] [--to DEPLOY_ID] [--detected-at WHEN]`: the alias flips back to an earlier deploy —
// by default the last successful one before the live deploy that was not itself rolled back.
// When that deploy's commit is still on the other colour, the rollback is the flip alone
// (milliseconds, whatever the data's size). Exit code 0, or the error's own code.
import {
  findRepoDir,
  InvalidArgumentError,
  loadWorkflowConfig,
  type RollbackRun,
  rollback,
} from '../../index.js';
import { rollbackDocument } from '../../internal.js';
import { parseSince } from '../../workflow/index.js';
import type { CommandContext } from '../runner.js';

export type RollbackDocument = ReturnType<typeof rollbackDocument<RollbackRun>>;

interface RollbackCliOptions {
  to?: string;
  detectedAt?: string;
}

export async function run(
  ctx: CommandContext,
  env: string,
  opts: RollbackCliOptions,
): Promise<number> {
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
  printRollback(ctx, rollbackDocument(run));
  return 0;
}

/** Prints the run's document (`--json`: as it is): the local and the remote command's. */
export function printRollback(ctx: CommandContext, doc: RollbackDocument): void {
  const run = doc;
  ctx.out.result(doc, () => {
    ctx.out.line(
      `rolled back ${run.environment} to deploy ${run.deployId}: ${run.alias} → ${run.branch} (${run.colour}) @ ${run.commit.slice(0, 12)}; flip ${run.flipMs.toFixed(1)} ms${run.flipOnly ? '' : ` (${run.branch} was reset to it first)`}`,
    );
    ctx.out.note(
      `was ${run.fromCommit.slice(0, 12)}${run.fromDeployId ? ` (deploy ${run.fromDeployId})` : ''}`,
    );
  });
}
