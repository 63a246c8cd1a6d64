// Executing a build's selected nodes in DAG order, in one SqlSession on the run branch (refreshed
// as tables are written). Each kind of node has its runner (dbt's RUNNER_MAP) under one
// lifecycle: a node downstream of a failure is skipped with the reason; a seed or model that
// built records its result and has its tests run right after it, in the same session; one that
// failed blocks everything downstream.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSqlSession } from '../../engine/session.js';
import type { CompiledModel } from '../graph.js';
import type { GraphNode } from '../types.js';
import { type BuildContext, type Built, type Execution, hasRun, record, skip } from './context.js';
import { buildModel } from './model-runner.js';
import { buildSeed } from './seed-runner.js';
import { stateEntry } from './state.js';
import { tableLookup } from './table-lookup.js';
import { testNode } from './test-runner.js';

type NodeRunner = (x: Execution, node: GraphNode, startedAt: Date) => Promise<void>;

/** The runner of each kind of node a build executes (sources and exposures have none). */
const RUNNERS: Partial<Record<GraphNode['kind'], NodeRunner>> = {
  seed: (x, node, t0) => runTableNode(x, node, t0, () => buildSeed(x, node)),
  model: (x, node, t0) => {
    const m = x.compiled.models.get(node.name) as CompiledModel;
    return runTableNode(
      x,
      node,
      t0,
      () => buildModel(x, m, node),
      (r) => {
        x.state.models[m.file.name] = stateEntry(m, r.fingerprint);
      },
    );
  },
  // `sluice test`: tests alone. `sluice build`: a test that also reads a table built after its
  // model's (a relationship to a later model) runs here, in DAG order, once everything it reads
  // is built; the others ran with their model's tests.
  test: (x, node) =>
    testNode(
      x,
      x.compiled.graph.nodes.get(node.dependsOn[0] as string) as GraphNode,
      node.uniqueId,
    ),
};

/** Runs every selected node, filling the context's results, checks, blocked nodes and state. */
export async function executeNodes(ctx: BuildContext): Promise<void> {
  const { repo, opts, runBranch } = ctx;
  const work = mkdtempSync(join(tmpdir(), 'sluice-build-'));
  try {
    await withSqlSession(
      repo,
      {
        refs: [runBranch],
        duck: { ...(opts.duck ?? {}), ...(opts.threads ? { threads: opts.threads } : {}) },
        ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      },
      async (session) => {
        const x: Execution = {
          ...ctx,
          session,
          tables: tableLookup(repo, runBranch),
          work,
          selectedIds: new Set(ctx.selected.map((n) => n.uniqueId)),
        };
        for (const node of ctx.selected) await runNode(x, node);
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One node's lifecycle: run once, skipped when something it reads failed, else its runner. */
async function runNode(x: Execution, node: GraphNode): Promise<void> {
  const t0 = new Date();
  // A test runs (or is skipped) with its model's tests: once.
  if (node.kind === 'test' && hasRun(x, node.uniqueId)) return;
  const upstream = node.dependsOn.find((d) => x.blocked.has(d));
  if (upstream !== undefined) {
    const kind = node.kind as Built['kind'];
    skip(
      x,
      { uniqueId: node.uniqueId, kind, name: node.name },
      x.blocked.get(upstream) as string,
      t0,
    );
    return;
  }
  await RUNNERS[node.kind]?.(x, node, t0);
}

/** A seed or model: built, recorded, then (when it built) its tests run; a failure blocks. */
async function runTableNode(
  x: Execution,
  node: GraphNode,
  startedAt: Date,
  build: () => Promise<Built>,
  onBuilt?: (r: Built) => void,
): Promise<void> {
  const r = await build();
  record(x, { ...r, startedAt, completedAt: new Date() });
  if (r.status === 'error') {
    x.blocked.set(node.uniqueId, `${node.name} failed`);
    return;
  }
  onBuilt?.(r);
  await testNode(x, node);
}
