// `sluice promote [staging]`: the `from` branch's head (main) goes to the staging environment —
// the staging rules (sampling, masking) applied, the project built and the checks run on a
// candidate branch `promote/staging/<id>`, then the staging branch moved to it. Exit code: 0 when
// staging moved, 2 when the build or a check refused the candidate (staging did not move, the
// candidate stays, an alert went out), the error's own code when it could not run.
import { findRepoDir, loadWorkflowConfig, type PromoteRun, promote } from '../../index.js';
import type { CommandContext } from '../runner.js';

export type PromoteDocument = ReturnType<typeof runJson<PromoteRun>>;

import { phaseLines, printRefused, runJson, summaryText } from '../workflow-output.js';

export async function run(ctx: CommandContext, env: string): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const config = loadWorkflowConfig(dir);
  const repo = await ctx.repo();
  const run: PromoteRun = await promote(repo, dir, config, env, {
    onPhase: phaseLines(ctx),
  });
  printPromote(ctx, runJson(run));
  return run.status === 'failure' ? 2 : 0;
}

/** Prints the run's document (`--json`: as it is): the local and the remote command's. */
export function printPromote(ctx: CommandContext, doc: PromoteDocument): void {
  const run = doc;
  ctx.out.result(doc, () => {
    for (const s of run.sampled)
      ctx.out.note(`sampled ${s.table}: ${s.rowsAfter} of ${s.rowsBefore} row(s)`);
    for (const m of run.masked) ctx.out.note(`masked ${m.table}.${m.column} (${m.method})`);
    if (run.build)
      ctx.out.note(
        `build ${run.build.runId}: ${run.build.models.built} built, ${run.build.models.reused} reused, ${run.build.models.failed} failed`,
      );
    if (run.checks) ctx.out.note(`checks: ${summaryText(run.checks)}`);
    if (run.status === 'success') {
      ctx.out.line(
        `promoted ${run.source} @ ${run.commit.slice(0, 12)} to ${run.environment}: ${run.branch} is now at ${run.builtCommit.slice(0, 12)}`,
      );
    } else {
      printRefused(ctx, run.reason, run.failed);
      ctx.out.note(
        `${run.branch} did not move; the candidate is on ${run.candidate} (sluice sql --ref ${run.candidate} …)`,
      );
    }
  });
}
