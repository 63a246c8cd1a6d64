// The test runner: the selected tests of a model or seed, run right after it in the build's
// session (one runChecks: fused scans). A test whose verdict depends only on the tables' contents
// (quality/reuse.ts `verdictReusable`) reuses an earlier verdict when the same tests meet the same
// table versions — the test memo, one per set of tables read, so a relationship to a changed
// table does not re-run the node's other tests. A failed error-severity test blocks the node's
// dependents.
import { errorLine } from '../../common/error-line.js';
import { sha256Hex as sha } from '../../common/hash.js';
import {
  definitionDigest,
  tablesRead as tablesChecked,
  verdictReusable,
} from '../../quality/reuse.js';
import { type CheckResult, runChecks } from '../../quality/run.js';
import type { CheckSpec } from '../../quality/spec.js';
import { idOf } from '../graph.js';
import type { GraphNode } from '../types.js';
import { type Execution, hasRun, record, skip } from './context.js';
import { inputVersion } from './fingerprint.js';

/** Tests that read the same tables: their verdicts are memoized together under `memo`. */
interface MemoGroup {
  tables: string[];
  specs: CheckSpec[];
  memo: string;
}

type ChecksRun = Awaited<ReturnType<typeof runChecks>>;

/**
 * Runs the selected tests of `owner` not run yet — or only the test `only` (a test that also
 * reads a table built after its owner runs alone, once everything it reads is built).
 */
export async function testNode(x: Execution, owner: GraphNode, only?: string): Promise<void> {
  const due = testsDue(x, owner, only);
  if (due.length === 0) return;
  const t0 = new Date();
  const specs = skipBlockedTests(x, due, t0);
  if (specs.length === 0) return;
  const { groups, reused } = await reuseVerdicts(x, specs);
  const toRun = specs.filter((s) => !reused.has(s.id));
  let run: ChecksRun | undefined;
  let failure: string | undefined;
  if (toRun.length > 0) {
    try {
      run = await runChecks(x.repo, toRun, {
        ref: x.runBranch,
        session: x.session,
        ...(x.opts.cacheDir ? { cacheDir: x.opts.cacheDir } : {}),
      });
    } catch (err) {
      failure = errorLine(err);
    }
  }
  const ran = [...reused.values(), ...(run?.results ?? [])];
  await rememberVerdicts(x, groups, reused, run);
  x.checks.set(owner.uniqueId, [...(x.checks.get(owner.uniqueId) ?? []), ...ran]);
  recordVerdicts(x, owner, specs, { ran, reused, failure, startedAt: t0 });
}

/** The owner's tests that are selected, not run yet, and read nothing still to be built. */
function testsDue(x: Execution, owner: GraphNode, only: string | undefined): CheckSpec[] {
  const { graph } = x.compiled;
  /** Another table the test reads is still to be built in this run. */
  const waits = (id: string): boolean =>
    only === undefined &&
    (graph.nodes.get(id)?.dependsOn ?? []).some(
      (d) =>
        d !== owner.uniqueId &&
        x.selectedIds.has(d) &&
        graph.nodes.get(d)?.kind !== 'source' &&
        !hasRun(x, d),
    );
  return (x.compiled.tests.get(owner.uniqueId) ?? []).filter((c) => {
    const id = idOf.test(graph.project, c.id);
    return (
      (only === undefined || only === id) && x.selectedIds.has(id) && !waits(id) && !hasRun(x, id)
    );
  });
}

/**
 * A test that also reads a table that failed or was skipped (a relationship to it) cannot judge
 * anything: skipped, as that table's own tests are. The others are returned.
 */
function skipBlockedTests(x: Execution, specs: CheckSpec[], startedAt: Date): CheckSpec[] {
  const { graph } = x.compiled;
  const runnable: CheckSpec[] = [];
  for (const s of specs) {
    const id = idOf.test(graph.project, s.id);
    const other = graph.nodes.get(id)?.dependsOn.find((d) => x.blocked.has(d));
    if (other === undefined) runnable.push(s);
    else
      skip(
        x,
        { uniqueId: id, kind: 'test', name: s.name },
        x.blocked.get(other) as string,
        startedAt,
      );
  }
  return runnable;
}

/** The memo key of a group: its tests' definitions and the versions of the tables they read. */
const verdictMemoKey = (specs: CheckSpec[], versions: string[]): string =>
  sha(
    JSON.stringify({
      tests: 'v2',
      specs: specs.map((s) => `${s.id}:${definitionDigest(s)}`).sort(),
      versions,
    }),
  );

/**
 * The reusable tests grouped by the tables they read, each group's memo key, and the verdicts
 * found under those keys (only in a `build` without --full-refresh).
 */
async function reuseVerdicts(
  x: Execution,
  specs: CheckSpec[],
): Promise<{ groups: Map<string, MemoGroup>; reused: Map<string, CheckResult> }> {
  const stable = x.command === 'build' && !x.opts.fullRefresh ? specs.filter(verdictReusable) : [];
  const groups = new Map<string, MemoGroup>();
  for (const s of stable) {
    const tables = tablesChecked(s);
    const key = JSON.stringify(tables);
    const g = groups.get(key) ?? { tables, specs: [], memo: '' };
    g.specs.push(s);
    groups.set(key, g);
  }
  const reused = new Map<string, CheckResult>();
  for (const g of groups.values()) {
    const versions: string[] = [];
    for (const t of g.tables) versions.push(await inputVersion(x.compiled, t, x.tables));
    g.memo = verdictMemoKey(g.specs, versions);
    const rec = await x.repo.meta.getMemo(x.repo.name, g.memo);
    if (!rec) continue;
    const byId = new Map(g.specs.map((s) => [s.id, s]));
    for (const r of (JSON.parse(rec.data) as { results: CheckResult[] }).results) {
      const spec = byId.get(r.id);
      if (spec) reused.set(r.id, { ...r, name: spec.name, source: spec.source });
    }
  }
  return { groups, reused };
}

/** A group run afresh whose every test came to a verdict (no error) is memoized. */
async function rememberVerdicts(
  x: Execution,
  groups: Map<string, MemoGroup>,
  reused: Map<string, CheckResult>,
  run: ChecksRun | undefined,
): Promise<void> {
  for (const g of groups.values()) {
    if (g.specs.some((s) => reused.has(s.id))) continue;
    const fresh = g.specs.map((s) => run?.results.find((r) => r.id === s.id));
    if (fresh.every((r) => r && r.status !== 'error'))
      await x.repo.meta.putMemo(x.repo.name, {
        fingerprint: g.memo,
        createdAt: new Date(),
        data: JSON.stringify({ results: fresh }),
      });
  }
}

/** One result per test; a test that errs, or fails with error severity, blocks the owner's dependents. */
function recordVerdicts(
  x: Execution,
  owner: GraphNode,
  specs: CheckSpec[],
  v: {
    ran: CheckResult[];
    reused: Map<string, CheckResult>;
    failure: string | undefined;
    startedAt: Date;
  },
): void {
  for (const spec of specs) {
    const id = idOf.test(x.compiled.graph.project, spec.id);
    const res = v.ran.find((r) => r.id === spec.id);
    const status = res?.status ?? 'error';
    const message =
      res?.message ??
      (!res && v.failure
        ? v.failure
        : status !== 'pass'
          ? `${spec.name}: ${res?.unexpectedCount ?? 0} failing of ${res?.elementCount ?? 0}`
          : v.reused.has(spec.id)
            ? 'reused: the same test passed on the same table contents'
            : undefined);
    record(x, {
      uniqueId: id,
      kind: 'test',
      name: spec.name,
      status,
      startedAt: v.startedAt,
      completedAt: new Date(),
      ...(res?.unexpectedCount !== undefined ? { failures: res.unexpectedCount } : {}),
      ...(message !== undefined ? { message } : {}),
    });
    const fatal = status === 'error' || (status === 'fail' && spec.severity === 'error');
    if (fatal) {
      x.blocked.set(id, `test ${spec.name} on ${owner.name} failed`);
      x.blocked.set(owner.uniqueId, `test ${spec.name} on ${owner.name} failed`);
    }
  }
}
