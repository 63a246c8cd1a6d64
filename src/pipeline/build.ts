// Building a project on a branch: seeds, models and their tests in DAG order, landing as ONE
// commit or not at all. `buildProject` runs these phases over one state (build/context.ts):
//
// 1. compileAndSelect — every template rendered, references resolved, the graph ordered, the
//    nodes selected. A bad project, an unknown branch or uncommitted changes on it fail here,
//    before anything is written.
// 2. openRun — OpenLineage START, and the branch `run/<id>` from the branch's head, where every
//    output is written. The run holds a lease (build/run-lease.ts) from before the branch exists
//    until the build ends, so `gc` never takes a running build's branch for a killed one's.
// 3. executeNodes (build/execute.ts) — the nodes in DAG order, one runner per kind: seeds
//    (ingested), models (`table`: the query's result; `view`: a stored definition; `incremental`:
//    appended or merged on `unique_key` when the table exists, `is_incremental()` true;
//    `ephemeral`: nothing, inlined as a CTE where used). Each model's tests run right after it,
//    in the same DuckDB session; a failed error-severity test or a failed model skips everything
//    downstream. Memoization: a model's fingerprint covers its final SQL (ephemerals inlined),
//    its config and the content version of every table it reads (build/fingerprint.ts). When a
//    build on any ref already produced that fingerprint, its files are staged again as they are
//    (zero-copy, build/memo.ts) and nothing runs.
// 4. commitRun (build/state.ts) — the project files used are snapshotted under
//    `_sluice/project/`, the build's state (per model: SQL and config digests, fingerprint) under
//    `_sluice/build/state.json`, and the run branch is committed. `sluice test` writes nothing.
// 5. land — on success the branch moves to that commit (a merge, through the same gates as any
//    merge) and the run branch is deleted; on failure the branch stays where it was and the run
//    branch keeps the outputs for inspection.
// 6. report — `target/run_results.json` and `manifest.json`, OpenLineage COMPLETE or FAIL.
import { errorLine } from '../common/error-line.js';
import { UncommittedChangesError } from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { Commit } from '../core/commit-codec.js';
import type { Repository } from '../core/repository.js';
import type { DuckOptions } from '../engine/duckdb.js';
import { gatesOf } from '../quality/gates.js';
import type { CheckResult } from '../quality/run.js';
import { writeArtifacts } from './artifacts.js';
import type { BuildContext } from './build/context.js';
import { executeNodes } from './build/execute.js';
import { holdRunLease } from './build/run-lease.js';
import { commitRun, modifiedSince, readBuildState } from './build/state.js';
import { type CompiledProject, compileProject } from './graph.js';
import {
  completeEvent,
  configuredLineage,
  emitLineage,
  type LineageTarget,
  startEvent,
} from './openlineage.js';
import { loadProject, type Project } from './project.js';
import { selectNodes } from './select.js';
import type { BuildRun, GraphNode, NodeResult, ProjectGraph } from './types.js';

// The build's parts other modules name, importable from here as before.
export { finalSql } from './build/model-sql.js';
export {
  type BuildState,
  modifiedSince,
  readBuildState,
  SNAPSHOT_PREFIX,
  STATE_PATH,
} from './build/state.js';

export type BuildCommand = 'build' | 'run' | 'test' | 'seed';

export interface BuildOptions {
  /** Default: the repository's default branch. */
  branch?: string;
  /** `run` builds models only, `test` runs tests only, `seed` loads seeds only. Default build. */
  command?: BuildCommand;
  select?: string[];
  exclude?: string[];
  /** Rebuild incremental models from scratch and ignore memoized outputs. */
  fullRefresh?: boolean;
  /** The ref whose last build `state:modified` compares with. */
  state?: string;
  /** DuckDB worker threads for the build's session. */
  threads?: number;
  duck?: DuckOptions;
  cacheDir?: string;
  /** Commit message; default `build <project>: …`. */
  message?: string;
  /** Write `target/run_results.json` and `target/manifest.json` in the project; default true. */
  artifacts?: boolean;
  /**
   * Send OpenLineage run events (START, then COMPLETE or FAIL) to a file and/or a URL. Default:
   * the project's `openlineage:` config, else `OPENLINEAGE_URL`; `false`: none.
   */
  lineage?: (LineageTarget & { namespace?: string }) | false;
  /** Called as each node finishes (progress). */
  onNode?: (r: NodeResult, done: number, total: number) => void;
}

export interface BuildOutcome {
  run: BuildRun;
  compiled: CompiledProject;
  /** The check results of each tested model or seed, by node id. */
  checks: Map<string, CheckResult[]>;
  /** The commit the build landed as on the branch (undefined: failed, or nothing changed). */
  landed?: Commit;
  /** The artifacts written. */
  artifacts?: { runResults: string; manifest: string };
  /** What went wrong around the build without failing it (artifacts, lineage delivery). */
  warnings: string[];
}

/** What compile & select decide: the part of the build's state known before a run is opened. */
type Plan = Pick<
  BuildContext,
  | 'repo'
  | 'project'
  | 'compiled'
  | 'opts'
  | 'command'
  | 'branch'
  | 'runId'
  | 'startedAt'
  | 'selected'
>;

/** How the run ended on the branch: landed, refused (the merge's error), or failed before. */
interface Landing {
  status: BuildRun['status'];
  landed?: Commit;
  mergeError?: unknown;
}

/** The node kinds each command runs. */
const KINDS: Record<BuildCommand, GraphNode['kind'][]> = {
  build: ['seed', 'model', 'test'],
  run: ['model'],
  test: ['test'],
  seed: ['seed'],
};

/** Builds a project (a directory or a loaded project) on a branch. */
export async function buildProject(
  repo: Repository,
  project: Project | string,
  opts: BuildOptions = {},
): Promise<BuildOutcome> {
  const plan = await compileAndSelect(repo, project, opts);
  const lease = await holdRunLease(repo, plan.runId, plan.branch);
  try {
    const ctx = await openRun(plan);
    await executeNodes(ctx);
    const failed = ctx.results.some(
      (r) => r.status === 'error' || (r.status === 'fail' && ctx.blocked.has(r.uniqueId)),
    );
    // `sluice test` writes nothing: no snapshot, no commit, no run branch left behind.
    let commit: Commit | undefined;
    if (ctx.command !== 'test') commit = await commitRun(ctx, failed);
    else await repo.deleteBranch(ctx.runBranch);
    const landing = await land(ctx, commit, failed);
    return await report(ctx, commit, landing);
  } finally {
    await lease.release();
  }
}

/** Phase 1: compiled and selected; the branch must exist and hold no uncommitted changes. */
async function compileAndSelect(
  repo: Repository,
  project: Project | string,
  opts: BuildOptions,
): Promise<Plan> {
  const proj = typeof project === 'string' ? loadProject(project) : project;
  const branch = opts.branch ?? repo.defaultBranch;
  const command = opts.command ?? 'build';
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const compiled = compileProject(proj, { target: branch, runStartedAt: startedAt });
  await repo.getBranch(branch); // an unknown branch fails before anything is written
  await refuseUncommitted(repo, branch);
  const modified = opts.state ? await modifiedSince(repo, compiled, opts.state) : undefined;
  const selected = selectNodes(compiled.graph, {
    ...(opts.select ? { select: opts.select } : {}),
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
    ...(modified ? { modified } : {}),
  }).filter(
    (n) =>
      KINDS[command].includes(n.kind) && !(n.kind === 'model' && n.materialized === 'ephemeral'),
  );
  return { repo, project: proj, compiled, opts, command, branch, runId, startedAt, selected };
}

async function refuseUncommitted(repo: Repository, branch: string): Promise<void> {
  let count = 0;
  for await (const _ of repo.status(branch)) count++;
  if (count > 0) {
    throw new UncommittedChangesError(
      `${branch} has ${count} uncommitted change(s): commit or reset them before building on it`,
      { branch, count },
    );
  }
}

/** Phase 2: OpenLineage START, the run branch, and the branch's build state to update. */
async function openRun(plan: Plan): Promise<BuildContext> {
  const { repo, opts, branch } = plan;
  const target =
    opts.lineage === undefined ? configuredLineage(plan.project) : opts.lineage || undefined;
  const ctx: BuildContext = {
    ...plan,
    runBranch: `run/${plan.runId}`,
    lineage: {
      ...(target ? { target } : {}),
      namespace: target?.namespace ?? `sluice://${repo.name}/${branch}`,
    },
    results: [],
    checks: new Map(),
    blocked: new Map(),
    state: { models: {} },
    warnings: [],
  };
  const { project } = plan.compiled.graph;
  await emit(
    ctx,
    startEvent(
      { id: ctx.runId, project, branch, startedAt: ctx.startedAt },
      { namespace: ctx.lineage.namespace },
    ),
  );
  await repo.createBranch(ctx.runBranch, { from: branch });
  Object.assign(ctx.state.models, (await readBuildState(repo, branch))?.models ?? {});
  return ctx;
}

/** Sends a run event; a delivery failure is a warning, never the build's failure. */
async function emit(ctx: BuildContext, event: object): Promise<void> {
  const { target } = ctx.lineage;
  if (!target) return;
  try {
    await emitLineage([event], target);
  } catch (err) {
    ctx.warnings.push(`OpenLineage: ${errorLine(err)}`);
  }
}

/**
 * Phase 5: a build whose every node succeeded merges its commit into the branch — through the
 * branch's gate when it is protected, as any merge into it — and its run branch is deleted.
 */
async function land(
  ctx: BuildContext,
  commit: Commit | undefined,
  failed: boolean,
): Promise<Landing> {
  if (failed) return { status: 'error' };
  const { repo, runBranch, branch, runId } = ctx;
  const out: Landing = { status: 'success' };
  if (commit) {
    try {
      const gates = gatesOf(repo);
      const mergeOpts = {
        message: `build ${ctx.compiled.graph.project} (run ${runId})`,
        metadata: { 'sluice.run_id': runId },
      };
      const m = gates
        ? (await gates.merge(runBranch, branch, mergeOpts)).result
        : await repo.merge(runBranch, branch, mergeOpts);
      out.landed = m.commit;
    } catch (err) {
      out.status = 'error';
      out.mergeError = err;
    }
  }
  if (out.status === 'success' && ctx.command !== 'test') await repo.deleteBranch(runBranch);
  return out;
}

/**
 * Phase 6: the run as the artifacts and OpenLineage report it. A refused merge is thrown on
 * after that, carrying the run.
 */
async function report(
  ctx: BuildContext,
  commit: Commit | undefined,
  landing: Landing,
): Promise<BuildOutcome> {
  const { opts, compiled } = ctx;
  const { status, landed, mergeError } = landing;
  const { graph } = compiled;
  const run: BuildRun = {
    id: ctx.runId,
    project: graph.project,
    branch: ctx.branch,
    runBranch: ctx.runBranch,
    status,
    ...(landed ? { commit: landed.id } : commit && status === 'error' ? { commit: commit.id } : {}),
    startedAt: ctx.startedAt,
    completedAt: new Date(),
    args: {
      command: ctx.command,
      select: opts.select ?? [],
      exclude: opts.exclude ?? [],
      fullRefresh: opts.fullRefresh ?? false,
    },
    results: ctx.results,
  };
  let artifacts: BuildOutcome['artifacts'];
  if (opts.artifacts !== false) {
    try {
      artifacts = await writeArtifacts(ctx.project.dir, run, graph);
    } catch (err) {
      ctx.warnings.push(`artifacts: ${errorLine(err)}`);
    }
  }
  const assertions = new Map(
    [...ctx.checks].map(([id, rs]) => [
      id,
      rs.map((r) => ({
        name: r.name,
        ...(r.column ? { column: r.column } : {}),
        success: r.status === 'pass' || r.status === 'warn',
      })),
    ]),
  );
  await emit(
    ctx,
    completeEvent(run, graph, { namespace: ctx.lineage.namespace, checks: assertions }),
  );
  if (mergeError !== undefined) {
    (mergeError as { run?: BuildRun }).run = run;
    throw mergeError;
  }
  return {
    run,
    compiled,
    checks: ctx.checks,
    ...(landed ? { landed } : {}),
    ...(artifacts ? { artifacts } : {}),
    warnings: ctx.warnings,
  };
}

/** What a graph node is, for messages. */
export function describeNode(graph: ProjectGraph, id: string): string {
  const n = graph.nodes.get(id);
  return n ? `${n.kind} ${n.name}` : id;
}
