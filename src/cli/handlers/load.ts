// `sluice load NAME [-b BRANCH]` (or `--into BRANCH`): one write–audit–publish run of an ingestor declared in
// sluice.yml (or ingestors/*.yml). Exit code: 0 when the batch landed (or there was nothing to
// load), 2 when its checks refused it (the batch stays on ingest/NAME/RUN-ID, an alert went out),
// and the error's own code when the run could not happen (a source error, bad input).
import { findRepoDir, type LoadRun, loadWorkflowConfig, runLoad } from '../../index.js';
import { loadDocument } from '../../internal.js';
import { destinationBranch } from '../options.js';
import type { CommandContext } from '../runner.js';

export type LoadDocument = ReturnType<typeof loadDocument<LoadRun>>;

import { phaseLines, printRefused } from '../workflow-output.js';

interface LoadCliOptions {
  branch?: string;
  into?: string;
  idempotencyKey?: string;
}

export async function run(
  ctx: CommandContext,
  name: string,
  opts: LoadCliOptions,
): Promise<number> {
  const into = destinationBranch(opts);
  const dir = findRepoDir(ctx.globals.repo);
  const config = loadWorkflowConfig(dir);
  const repo = await ctx.repo();
  const run: LoadRun = await runLoad(repo, dir, config, name, {
    ...(into ? { into } : {}),
    ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
    onPhase: phaseLines(ctx),
  });
  printLoad(ctx, loadDocument(run));
  return run.status === 'failure' ? 2 : 0;
}

/** Prints the run's document (`--json`: as it is): the local and the remote command's. */
export function printLoad(ctx: CommandContext, doc: LoadDocument): void {
  const run = doc;
  ctx.out.result(doc, () => {
    if (run.replayed) {
      ctx.out.line(
        `nothing loaded: ${run.reason}; ${run.target} is at ${run.mergeCommit?.slice(0, 12)}`,
      );
    } else if (run.status === 'success') {
      ctx.out.line(
        `loaded ${run.rows} row(s) into ${run.table}; ${run.target} is now at ${run.mergeCommit?.slice(0, 12)} (run ${run.runId}${run.attempts > 1 ? `, ${run.attempts} attempts` : ''})`,
      );
    } else if (run.status === 'skipped') {
      ctx.out.line(`nothing loaded: ${run.reason} (run ${run.runId})`);
    } else {
      printRefused(ctx, run.reason, run.failed);
      ctx.out.note(
        `${run.target} did not move; the batch is on ${run.branch} (sluice sql --ref ${run.branch} …)`,
      );
    }
  });
}
