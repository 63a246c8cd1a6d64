// `sluice deploy [production]`: blue/green. Staging's commit goes to the idle colour, the smoke
// checks run there, and the `production` alias flips to it only if they pass. Exit code: 0 when
// the alias flipped (or there was nothing new to deploy), 2 when the smoke checks refused it
// (the alias did not move, an alert went out), the error's own code when it could not run.
import { type DeployRun, deploy, findRepoDir, loadWorkflowConfig } from '../../index.js';
import type { CommandContext } from '../runner.js';

export type DeployDocument = ReturnType<typeof runJson<DeployRun>>;

import { phaseLines, printRefused, runJson, summaryText } from '../workflow-output.js';

export async function run(ctx: CommandContext, env: string): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const config = loadWorkflowConfig(dir);
  const repo = await ctx.repo();
  const run: DeployRun = await deploy(repo, dir, config, env, {
    onPhase: phaseLines(ctx),
  });
  printDeploy(ctx, runJson(run));
  return run.status === 'failure' ? 2 : 0;
}

/** Prints the run's document (`--json`: as it is): the local and the remote command's. */
export function printDeploy(ctx: CommandContext, doc: DeployDocument): void {
  const run = doc;
  ctx.out.result(doc, () => {
    if (run.unmaskedFrom && run.builtFrom)
      ctx.out.note(
        `staging holds sampled or masked data: production takes the commit it was promoted from (${run.builtFrom.slice(0, 12)}), built on ${run.branch}`,
      );
    if (run.status !== 'skipped') ctx.out.note(`smoke checks: ${run.smokeRule}`);
    if (run.smokeChecks) ctx.out.note(`smoke: ${summaryText(run.smokeChecks)}`);
    if (run.status === 'success') {
      ctx.out.line(
        `deployed ${run.deployId}: ${run.alias} → ${run.branch} (${run.colour}) @ ${run.commit.slice(0, 12)}; flip ${run.flipMs?.toFixed(1)} ms, ${run.loads.length} new load(s)`,
      );
    } else if (run.status === 'skipped') {
      ctx.out.line(`nothing to deploy: ${run.reason}`);
    } else {
      printRefused(ctx, run.reason, run.smokeFailed);
      ctx.out.note(
        `${run.alias} did not move; the candidate is on ${run.branch} (sluice sql --ref ${run.branch} …)`,
      );
    }
  });
}
