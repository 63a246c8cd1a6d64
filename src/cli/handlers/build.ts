// `sluice build | run | test | seed [--branch B] [--select …] [--exclude …] [--full-refresh]
// [--state REF] [--threads N] [--project DIR]`: the project's seeds, models and tests in DAG order
// on a branch, landing as one commit (build: all three; run: models; test: tests; seed: seeds).
// Prints a line per node as it finishes, like dbt. Exit code 0 when everything passed, 2 when a
// model failed or an error-severity test failed (the branch did not move; the outputs are on
// run/<id>), 1 for a project that cannot be compiled (nothing written). Each run is a `build`
// event (../events.ts): success, failure (a node failed) or error (it threw, compile errors too).
import { resolve } from 'node:path';
import { type BuildCommand, buildProject, findRepoDir } from '../../index.js';
import { type BuildDocument, buildDocument, buildNodeLine } from '../../internal.js';
import type { NodeResult } from '../../pipeline/index.js';
import { buildErrorEvent, buildEvent } from '../../workflow/index.js';
import { withEvent } from '../events.js';
import { positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';

/** What commander parses for build, run, test and seed (the remote command takes the same). */
export interface BuildCliOptions {
  branch?: string;
  select?: string[];
  exclude?: string[];
  fullRefresh?: boolean;
  state?: string;
  threads?: string;
  project?: string;
  openlineageFile?: string;
  openlineageUrl?: string;
  artifacts: boolean;
}

/** `sluice build | run | test | seed`: which one is the command's own name. */
export async function run(ctx: CommandContext, opts: BuildCliOptions): Promise<number> {
  const command = ctx.command.name() as BuildCommand;
  const threads = opts.threads === undefined ? undefined : positiveInt(opts.threads, '--threads');
  const dir = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const lineage =
    opts.openlineageFile || opts.openlineageUrl
      ? {
          ...(opts.openlineageFile ? { file: resolve(opts.openlineageFile) } : {}),
          ...(opts.openlineageUrl ? { url: opts.openlineageUrl } : {}),
        }
      : undefined;
  const startedAt = Date.now();
  const { value: outcome, event } = await withEvent(
    ctx,
    repo,
    'build',
    () =>
      buildProject(repo, dir, {
        branch,
        command,
        ...(opts.select ? { select: opts.select } : {}),
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
        ...(opts.fullRefresh ? { fullRefresh: true } : {}),
        ...(opts.state ? { state: opts.state } : {}),
        ...(threads ? { threads } : {}),
        ...(lineage ? { lineage } : {}),
        artifacts: opts.artifacts,
        onNode: (r, done, total) => {
          if (ctx.globals.json || ctx.globals.quiet) return;
          ctx.out.line(buildNodeLine(r, done, total));
        },
      }),
    {
      done: (out) => buildEvent(command, out),
      failed: (err) => buildErrorEvent(command, branch, err, startedAt),
    },
  );
  printBuild(ctx, buildDocument(outcome, event));
  return outcome.run.status === 'success' ? 0 : 2;
}

/** Prints a build's warnings and document (`--json`: as it is): the local and the remote command's. */
export function printBuild(ctx: CommandContext, doc: BuildDocument): void {
  const { run } = doc;
  for (const w of doc.warnings) ctx.out.warn(w);
  ctx.out.result(doc, () => {
    const count = (s: NodeResult['status']) => run.results.filter((r) => r.status === s).length;
    ctx.out.line(
      `${run.status === 'success' ? 'Done' : 'FAILED'}: ${count('success')} built, ${count('reused')} reused, ${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed, ${count('error')} errored, ${count('skipped')} skipped`,
    );
    if (run.status === 'success')
      ctx.out.note(
        doc.commit
          ? `${run.branch} is now at ${doc.commit.slice(0, 12)} (run ${run.id})`
          : `nothing changed: ${run.branch} stays where it was (run ${run.id})`,
      );
    else
      ctx.out.note(
        `${run.branch} did not move; the outputs are on ${run.runBranch} (sluice sql --ref ${run.runBranch} …)`,
      );
  });
}
