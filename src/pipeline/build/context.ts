// The one state a build carries through its phases (build.ts): what compile & select decided,
// the run it opened, and what its nodes did so far. The runners (execute.ts: one per kind of
// node, dbt's RUNNER_MAP) add to it; commit, land and report read it. Its fields are never
// reassigned: the results, checks, blocked nodes and state are filled in place.
import type { Repository } from '../../core/repository.js';
import type { SqlSession } from '../../engine/session.js';
import type { CheckResult } from '../../quality/run.js';
import type { BuildCommand, BuildOptions } from '../build.js';
import type { CompiledProject } from '../graph.js';
import type { LineageTarget } from '../openlineage.js';
import type { Project } from '../project.js';
import type { GraphNode, NodeResult } from '../types.js';
import type { BuildState } from './state.js';
import type { TableLookup } from './table-lookup.js';

export interface BuildContext {
  readonly repo: Repository;
  readonly project: Project;
  readonly compiled: CompiledProject;
  readonly opts: BuildOptions;
  readonly command: BuildCommand;
  /** The branch built on, and the run branch (`run/<id>`) every output is written to. */
  readonly branch: string;
  readonly runBranch: string;
  readonly runId: string;
  readonly startedAt: Date;
  /** The nodes to run, in DAG order. */
  readonly selected: GraphNode[];
  /** Where the run's OpenLineage events go (none: no target) and their namespace. */
  readonly lineage: { target?: LineageTarget; namespace: string };
  /** What the nodes did, in the order they finished. */
  readonly results: NodeResult[];
  /** The check results of each tested model or seed, by node id. */
  readonly checks: Map<string, CheckResult[]>;
  /** Node id → why its dependents are skipped. */
  readonly blocked: Map<string, string>;
  /** The build state committed with the outputs: the branch's, with each model built updated. */
  readonly state: BuildState;
  /** What went wrong around the build without failing it (artifacts, lineage delivery). */
  readonly warnings: string[];
}

/** The context while the nodes execute: one SqlSession on the run branch, its tables, a scratch folder. */
export interface Execution extends BuildContext {
  readonly session: SqlSession;
  readonly tables: TableLookup;
  /** A temporary folder for the files a model writes before they are ingested. */
  readonly work: string;
  readonly selectedIds: Set<string>;
}

/** What a runner built or decided, before the lifecycle times it. */
export type Built = Omit<NodeResult, 'startedAt' | 'completedAt'>;

/** Records what a node did and reports the progress. */
export function record(ctx: BuildContext, r: NodeResult): void {
  ctx.results.push(r);
  ctx.opts.onNode?.(r, ctx.results.length, ctx.selected.length);
}

/** Whether a node has a result already (a test runs once, with its model's tests or alone). */
export const hasRun = (ctx: BuildContext, id: string): boolean =>
  ctx.results.some((r) => r.uniqueId === id);

/** Records a node as skipped for `why`, which then blocks its own dependents too. */
export function skip(
  ctx: BuildContext,
  node: { uniqueId: string; kind: NodeResult['kind']; name: string },
  why: string,
  startedAt: Date,
): void {
  ctx.blocked.set(node.uniqueId, why);
  record(ctx, {
    uniqueId: node.uniqueId,
    kind: node.kind,
    name: node.name,
    status: 'skipped',
    startedAt,
    completedAt: new Date(),
    message: `skipped: ${why}`,
  });
}
