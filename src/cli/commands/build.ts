// `sluice build | run | test | seed [--branch B] [--select …] [--exclude …] [--full-refresh]
// [--state REF] [--threads N] [--project DIR]`: the project's seeds, models and tests in DAG order
// on a branch, landing as one commit (build: all three; run: models; test: tests; seed: seeds).
// Prints a line per node as it finishes, like dbt. Exit code 0 when everything passed, 2 when a
// model failed or an error-severity test failed (the branch did not move; the outputs are on
// run/<id>), 1 for a project that cannot be compiled (nothing written). Each run is a `build`
// event (../events.ts): success, failure (a node failed) or error (it threw, compile errors too).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type BuildCommand,
  buildErrorEvent,
  buildEvent,
  buildProject,
  findRepoDir,
  type NodeResult,
} from '../../index.js';
import { withEvent } from '../events.js';
import { positiveInt } from '../options.js';
import type { CommandContext, Runner } from '../runner.js';

interface BuildCliOptions {
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

const WORD: Record<NodeResult['status'], string> = {
  success: 'OK',
  reused: 'REUSED',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

const seconds = (r: NodeResult): string =>
  `${((r.completedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(2)}s`;

function describe(r: NodeResult): string {
  const what =
    r.kind === 'test'
      ? `test ${r.name}`
      : `${r.kind} ${r.name}${r.rows !== undefined ? ` (${r.rows} rows)` : ''}`;
  return r.message && r.status !== 'success' && r.status !== 'pass'
    ? `${what}: ${r.message}`
    : what;
}

const DESCRIPTIONS: Record<BuildCommand, string> = {
  build: "run the project's seeds, models and tests in DAG order on a branch, as one commit",
  run: "build the project's models on a branch, as one commit (no seeds, no tests)",
  test: "run the project's tests on the tables of a branch",
  seed: "load the project's seeds (seeds/*.csv) into tables on a branch, as one commit",
};

function registerOne(program: Command, runner: Runner, command: BuildCommand): void {
  const cmd = program
    .command(command)
    .description(DESCRIPTIONS[command])
    .option('--branch <branch>', 'the branch to build on (default: the default branch)')
    .option(
      '-s, --select <selector...>',
      'nodes to run: name, +name, name+, tag:, path:, exposure:, state:modified',
    )
    .option('--exclude <selector...>', 'nodes to leave out (same syntax)')
    .option('--state <ref>', 'the ref whose last build state:modified compares with')
    .option('--project <dir>', 'the project directory (default: the repository directory)')
    .option('--threads <n>', 'DuckDB worker threads')
    .option('--openlineage-file <file>', 'append OpenLineage run events (JSON Lines) to this file')
    .option('--openlineage-url <url>', 'POST OpenLineage run events to this URL')
    .option('--no-artifacts', 'do not write target/run_results.json and target/manifest.json');
  if (command !== 'test' && command !== 'seed')
    cmd.option(
      '--full-refresh',
      'rebuild incremental models from scratch and ignore reusable outputs',
    );
  if (command === 'seed') cmd.option('--full-refresh', 'reload every seed even if unchanged');
  cmd.action(
    runner.action(async (ctx: CommandContext, opts: BuildCliOptions) => {
      const threads =
        opts.threads === undefined ? undefined : positiveInt(opts.threads, '--threads');
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
              ctx.out.line(
                `${String(done).padStart(String(total).length)} of ${total} ${WORD[r.status].padEnd(6)} ${describe(r)} [${seconds(r)}]`,
              );
            },
          }),
        {
          done: (out) => buildEvent(command, out),
          failed: (err) => buildErrorEvent(command, branch, err, startedAt),
        },
      );
      const { run } = outcome;
      for (const w of outcome.warnings) ctx.out.warn(w);
      ctx.out.result(
        {
          run: { ...run, results: run.results },
          ...(outcome.landed ? { commit: outcome.landed.id } : {}),
          ...(outcome.artifacts ? { artifacts: outcome.artifacts } : {}),
          warnings: outcome.warnings,
          event: event?.id ?? null,
        },
        () => {
          const count = (s: NodeResult['status']) =>
            run.results.filter((r) => r.status === s).length;
          ctx.out.line(
            `${run.status === 'success' ? 'Done' : 'FAILED'}: ${count('success')} built, ${count('reused')} reused, ${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed, ${count('error')} errored, ${count('skipped')} skipped`,
          );
          if (run.status === 'success')
            ctx.out.note(
              outcome.landed
                ? `${run.branch} is now at ${outcome.landed.id.slice(0, 12)} (run ${run.id})`
                : `nothing changed: ${run.branch} stays where it was (run ${run.id})`,
            );
          else
            ctx.out.note(
              `${run.branch} did not move; the outputs are on ${run.runBranch} (sluice sql --ref ${run.runBranch} …)`,
            );
        },
      );
      return run.status === 'success' ? 0 : 2;
    }),
  );
}

export function register(program: Command, runner: Runner): void {
  for (const c of ['build', 'run', 'test', 'seed'] as const) registerOne(program, runner, c);
}
