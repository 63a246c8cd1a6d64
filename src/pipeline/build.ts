// Building a project on a branch: seeds, models and their tests in DAG order, landing as ONE
// commit or not at all.
//
// 1. Compile (every template rendered, references resolved, the graph ordered) and select. A bad
//    project fails here, before anything is written.
// 2. Branch `run/<id>` from the branch's head and write every output there: seeds (ingested),
//    models (`table`: the query's result; `view`: a stored definition; `incremental`: appended or
//    merged on `unique_key` when the table exists, `is_incremental()` true; `ephemeral`: nothing,
//    inlined as a CTE where used). Each model's tests run right after it, in the same DuckDB
//    session; a failed error-severity test or a failed model skips everything downstream.
// 3. Memoization: a model's fingerprint covers its final SQL (ephemerals inlined), its config and
//    the content version of every table it reads. When a build on any ref already produced that
//    fingerprint, its files are staged again as they are (zero-copy) and nothing runs.
// 4. The project files used are snapshotted under `_sluice/project/`, the build's state (per
//    model: SQL and config digests, fingerprint) under `_sluice/build/state.json`, and the run
//    branch is committed. On success the branch moves to that commit (a merge, through the same
//    gates as any merge) and the run branch is deleted; on failure the branch stays where it
//    was and the run branch keeps the outputs for inspection.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLine } from '../common/error-line.js';
import { EmptyCommitError, UncommittedChangesError } from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { Commit } from '../core/commit-codec.js';
import type { TreeEntry } from '../core/entry.js';
import type { Repository } from '../core/repository.js';
import { type DuckOptions, sqlString } from '../engine/duckdb.js';
import { type SqlSession, withSqlSession } from '../engine/session.js';
import {
  type Column,
  encodeManifest,
  getTable,
  manifestPath,
  type TableAtRef,
} from '../engine/tables.js';
import { gatesOf } from '../quality/gates.js';
import {
  definitionDigest,
  tablesRead as tablesChecked,
  verdictReusable,
} from '../quality/reuse.js';
import { type CheckResult, runChecks } from '../quality/run.js';
import type { CheckSpec } from '../quality/spec.js';
import { ingest, TABLE_FILES_COPY_OPTIONS } from '../tables/ingest.js';
import { writeArtifacts } from './artifacts.js';
import { tablesReferenced } from './column-lineage.js';
import {
  type CompiledModel,
  type CompiledProject,
  compileProject,
  ephemeralsRead,
  idOf,
} from './graph.js';
import {
  completeEvent,
  configuredLineage,
  emitLineage,
  type LineageTarget,
  startEvent,
} from './openlineage.js';
import { loadProject, type Project } from './project.js';
import { modelError, relationName, renderModel, stripSemicolon, withEphemerals } from './render.js';
import { selectNodes } from './select.js';
import type { BuildRun, GraphNode, NodeResult, ProjectGraph } from './types.js';

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

/** What a fingerprint built: the table's entries (manifest and files), staged again on reuse. */
interface MemoRecord {
  table: string;
  entries: TreeEntry[];
  rows?: number;
  columns: Column[];
}

/** The build state recorded in each build commit (what `state:modified` compares with). */
export interface BuildState {
  models: Record<string, { sql: string; config: string; fingerprint?: string; table: string }>;
}

export const STATE_PATH = '_sluice/build/state.json';
export const SNAPSHOT_PREFIX = '_sluice/project/';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export const configDigest = (m: CompiledModel): string =>
  sha(JSON.stringify({ ...m.config, tags: [...m.config.tags].sort() }));

/**
 * A table's content version: its manifest and its files' contents, by address. A file's name is
 * left out (each write names its files after its run) but not its folder, which holds the
 * partition values: a model rebuilt to the same bytes keeps its version, and what reads it is
 * reused.
 */
const versionOf = (t: TableAtRef | undefined): string =>
  t
    ? sha(
        JSON.stringify([
          t.manifestEntry.address,
          ...t.files
            .map((f) => `${f.path.slice(0, f.path.lastIndexOf('/') + 1)}:${f.address}`)
            .sort(),
        ]),
      )
    : 'absent';

/** The build state recorded on a ref, if a build ever landed there. */
export async function readBuildState(
  repo: Repository,
  ref: string,
): Promise<BuildState | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await repo.getObject(ref, STATE_PATH)).toString('utf8'),
    ) as BuildState;
  } catch (err) {
    if ((err as { code?: string }).code === 'PathNotFoundError') return undefined;
    throw err;
  }
}

/** Models whose compiled SQL or config differ from the state ref's last build, or are new. */
export async function modifiedSince(
  repo: Repository,
  compiled: CompiledProject,
  state: string,
): Promise<Set<string>> {
  const recorded = (await readBuildState(repo, state))?.models ?? {};
  const out = new Set<string>();
  for (const [name, m] of compiled.models) {
    const r = recorded[name];
    if (!r || r.sql !== sha(m.sql) || r.config !== configDigest(m))
      out.add(idOf.model(compiled.graph.project, name));
  }
  return out;
}

/** The git commit of the project directory, when it is in a git work tree. */
function gitCommitOf(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** A digest of every project file (what `code fingerprint` names in the commit). */
export function codeFingerprint(project: Project): string {
  return sha(JSON.stringify([...project.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Builds a project (a directory or a loaded project) on a branch. */
export async function buildProject(
  repo: Repository,
  project: Project | string,
  opts: BuildOptions = {},
): Promise<BuildOutcome> {
  const proj = typeof project === 'string' ? loadProject(project) : project;
  const branch = opts.branch ?? repo.defaultBranch;
  const command = opts.command ?? 'build';
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const compiled = compileProject(proj, { target: branch, runStartedAt: startedAt });
  const graph = compiled.graph;
  await repo.getBranch(branch); // an unknown branch fails before anything is written
  let count = 0;
  for await (const _ of repo.status(branch)) count++;
  if (count > 0) {
    throw new UncommittedChangesError(
      `${branch} has ${count} uncommitted change(s): commit or reset them before building on it`,
      { branch, count },
    );
  }
  const modified = opts.state ? await modifiedSince(repo, compiled, opts.state) : undefined;
  const kinds: Record<BuildCommand, GraphNode['kind'][]> = {
    build: ['seed', 'model', 'test'],
    run: ['model'],
    test: ['test'],
    seed: ['seed'],
  };
  const selected = selectNodes(graph, {
    ...(opts.select ? { select: opts.select } : {}),
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
    ...(modified ? { modified } : {}),
  }).filter(
    (n) =>
      kinds[command].includes(n.kind) && !(n.kind === 'model' && n.materialized === 'ephemeral'),
  );

  const warnings: string[] = [];
  const lineage = opts.lineage === undefined ? configuredLineage(proj) : opts.lineage || undefined;
  const namespace = lineage?.namespace ?? `sluice://${repo.name}/${branch}`;
  const emit = async (event: object): Promise<void> => {
    if (!lineage) return;
    try {
      await emitLineage([event], lineage);
    } catch (err) {
      warnings.push(`OpenLineage: ${errorLine(err)}`);
    }
  };
  await emit(startEvent({ id: runId, project: graph.project, branch, startedAt }, { namespace }));

  const runBranch = `run/${runId}`;
  await repo.createBranch(runBranch, { from: branch });
  const results: NodeResult[] = [];
  const checks = new Map<string, CheckResult[]>();
  const blocked = new Map<string, string>(); // node id → why its dependents are skipped
  const p = graph.project;
  const state: BuildState = {
    models: { ...((await readBuildState(repo, branch))?.models ?? {}) },
  };
  const selectedIds = new Set(selected.map((n) => n.uniqueId));
  const work = mkdtempSync(join(tmpdir(), 'sluice-build-'));
  const total = selected.length;
  const record = (r: NodeResult): void => {
    results.push(r);
    opts.onNode?.(r, results.length, total);
  };

  try {
    await withSqlSession(
      repo,
      {
        refs: [runBranch],
        duck: { ...(opts.duck ?? {}), ...(opts.threads ? { threads: opts.threads } : {}) },
        ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      },
      async (session) => {
        const tableAt = tableLookup(repo, runBranch);

        for (const node of selected) {
          const t0 = new Date();
          // A test runs (or is skipped) with its model's tests: once.
          if (node.kind === 'test' && results.some((r) => r.uniqueId === node.uniqueId)) continue;
          const upstream = node.dependsOn.find((d) => blocked.has(d));
          if (upstream !== undefined) {
            const why = blocked.get(upstream) as string;
            blocked.set(node.uniqueId, why);
            record({
              uniqueId: node.uniqueId,
              kind: node.kind as NodeResult['kind'],
              name: node.name,
              status: 'skipped',
              startedAt: t0,
              completedAt: new Date(),
              message: `skipped: ${why}`,
            });
            continue;
          }
          if (node.kind === 'seed') {
            const r = await buildSeed(repo, proj, node, runBranch, session, tableAt, opts);
            record({ ...r, startedAt: t0, completedAt: new Date() });
            if (r.status === 'error') blocked.set(node.uniqueId, `${node.name} failed`);
            else await testNode(node);
          } else if (node.kind === 'model') {
            const m = compiled.models.get(node.name) as CompiledModel;
            const r = await buildModel(
              repo,
              compiled,
              m,
              node,
              runBranch,
              work,
              session,
              tableAt,
              opts,
            );
            record({ ...r, startedAt: t0, completedAt: new Date() });
            if (r.status === 'error') blocked.set(node.uniqueId, `${node.name} failed`);
            else {
              state.models[m.file.name] = {
                sql: sha(m.sql),
                config: configDigest(m),
                ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}),
                table: m.table,
              };
              await testNode(node);
            }
          } else if (node.kind === 'test' && (command === 'test' || command === 'build')) {
            // `sluice test`: tests alone. `sluice build`: a test that also reads a table built
            // after its model's (a relationship to a later model) runs here, in DAG order, once
            // everything it reads is built.
            await testNode(
              graph.nodes.get(node.dependsOn[0] as string) as GraphNode,
              node.uniqueId,
            );
          }
        }

        /** Runs the selected tests of a node (all in one runChecks: fused scans). */
        async function testNode(owner: GraphNode, only?: string): Promise<void> {
          /** Another table the test reads is still to be built in this run. */
          const waits = (id: string): boolean =>
            only === undefined &&
            (graph.nodes.get(id)?.dependsOn ?? []).some(
              (d) =>
                d !== owner.uniqueId &&
                selectedIds.has(d) &&
                graph.nodes.get(d)?.kind !== 'source' &&
                !results.some((r) => r.uniqueId === d),
            );
          const specs = (compiled.tests.get(owner.uniqueId) ?? []).filter((c) => {
            const id = idOf.test(p, c.id);
            return (
              (only === undefined || only === id) &&
              selected.some((n) => n.uniqueId === id) &&
              !waits(id) &&
              !results.some((r) => r.uniqueId === id)
            );
          });
          if (specs.length === 0) return;
          const t0 = new Date();
          // A test that also reads a table that failed or was skipped (a relationship to it)
          // cannot judge anything: skipped, as that table's own tests are.
          for (const s of [...specs]) {
            const id = idOf.test(p, s.id);
            const other = graph.nodes.get(id)?.dependsOn.find((d) => blocked.has(d));
            if (other === undefined) continue;
            const why = blocked.get(other) as string;
            blocked.set(id, why);
            record({
              uniqueId: id,
              kind: 'test',
              name: s.name,
              status: 'skipped',
              startedAt: t0,
              completedAt: new Date(),
              message: `skipped: ${why}`,
            });
            specs.splice(specs.indexOf(s), 1);
          }
          if (specs.length === 0) return;
          // Tests whose verdict depends only on the tables' contents: the same tests on the
          // same table versions reuse their results — one memo per set of tables read, so a
          // relationship to a changed table does not re-run the node's other tests.
          const stable =
            command === 'build' && !opts.fullRefresh ? specs.filter(verdictReusable) : [];
          const groups = new Map<string, { tables: string[]; specs: CheckSpec[]; memo: string }>();
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
            for (const t of g.tables) versions.push(await inputVersion(compiled, t, tableAt));
            g.memo = sha(
              JSON.stringify({
                tests: 'v2',
                specs: g.specs.map((s) => `${s.id}:${definitionDigest(s)}`).sort(),
                versions,
              }),
            );
            const rec = await repo.meta.getMemo(repo.name, g.memo);
            if (!rec) continue;
            const byId = new Map(g.specs.map((s) => [s.id, s]));
            for (const r of (JSON.parse(rec.data) as { results: CheckResult[] }).results) {
              const spec = byId.get(r.id);
              if (spec) reused.set(r.id, { ...r, name: spec.name, source: spec.source });
            }
          }
          const toRun = specs.filter((s) => !reused.has(s.id));
          let run: Awaited<ReturnType<typeof runChecks>> | undefined;
          let failure: string | undefined;
          if (toRun.length > 0) {
            try {
              run = await runChecks(repo, toRun, {
                ref: runBranch,
                session,
                ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
              });
            } catch (err) {
              failure = errorLine(err);
            }
          }
          const ran = [...reused.values(), ...(run?.results ?? [])];
          for (const g of groups.values()) {
            if (g.specs.some((s) => reused.has(s.id))) continue;
            const fresh = g.specs.map((s) => run?.results.find((x) => x.id === s.id));
            if (fresh.every((r) => r && r.status !== 'error'))
              await repo.meta.putMemo(repo.name, {
                fingerprint: g.memo,
                createdAt: new Date(),
                data: JSON.stringify({ results: fresh }),
              });
          }
          checks.set(owner.uniqueId, [...(checks.get(owner.uniqueId) ?? []), ...ran]);
          for (const spec of specs) {
            const id = idOf.test(p, spec.id);
            const res = ran.find((x) => x.id === spec.id);
            const status = res?.status ?? 'error';
            const message =
              res?.message ??
              (!res && failure
                ? failure
                : status !== 'pass'
                  ? `${spec.name}: ${res?.unexpectedCount ?? 0} failing of ${res?.elementCount ?? 0}`
                  : reused.has(spec.id)
                    ? 'reused: the same test passed on the same table contents'
                    : undefined);
            record({
              uniqueId: id,
              kind: 'test',
              name: spec.name,
              status,
              startedAt: t0,
              completedAt: new Date(),
              ...(res?.unexpectedCount !== undefined ? { failures: res.unexpectedCount } : {}),
              ...(message !== undefined ? { message } : {}),
            });
            const fatal = status === 'error' || (status === 'fail' && spec.severity === 'error');
            if (fatal) {
              blocked.set(id, `test ${spec.name} on ${owner.name} failed`);
              blocked.set(owner.uniqueId, `test ${spec.name} on ${owner.name} failed`);
            }
          }
        }
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const failed = results.some(
    (r) => r.status === 'error' || (r.status === 'fail' && blocked.has(r.uniqueId)),
  );
  // `sluice test` writes nothing: no snapshot, no commit, no run branch left behind.
  const writes = command !== 'test';
  let commit: Commit | undefined;
  if (writes) commit = await commitRun();
  else await repo.deleteBranch(runBranch);

  /** Snapshot of the project and the build state, committed with the outputs on the run branch. */
  async function commitRun(): Promise<Commit | undefined> {
    const snapshot = [...proj.files.entries()].map(([path, text]) => ({
      path: `${SNAPSHOT_PREFIX}${path}`,
      body: Buffer.from(text),
    }));
    const stale: string[] = [];
    for await (const item of repo.list(runBranch, { prefix: SNAPSHOT_PREFIX })) {
      if (item.type === 'object' && !proj.files.has(item.entry.path.slice(SNAPSHOT_PREFIX.length)))
        stale.push(item.entry.path);
    }
    await repo.putObjects(
      runBranch,
      [...snapshot, { path: STATE_PATH, body: Buffer.from(`${JSON.stringify(state, null, 2)}\n`) }],
      { remove: stale },
    );
    const counts = (kind: string) => results.filter((r) => r.kind === kind).length;
    const codeFp = codeFingerprint(proj);
    const gitCommit = gitCommitOf(proj.dir);
    const message =
      opts.message ??
      `${command} ${p}: ${counts('seed')} seed(s), ${counts('model')} model(s), ${counts('test')} test(s)${failed ? ' — FAILED' : ''}`;
    try {
      return await repo.commit(runBranch, {
        message,
        metadata: {
          'sluice.run_id': runId,
          'sluice.command': command,
          'sluice.select': (opts.select ?? []).join(' '),
          'sluice.exclude': (opts.exclude ?? []).join(' '),
          'sluice.status': failed ? 'error' : 'success',
          'sluice.code_fingerprint': codeFp,
          ...(gitCommit ? { 'sluice.git_commit': gitCommit } : {}),
        },
      });
    } catch (err) {
      if (!(err instanceof EmptyCommitError)) throw err;
    }
    return undefined;
  }

  let landed: Commit | undefined;
  let status: BuildRun['status'] = failed ? 'error' : 'success';
  let mergeError: unknown;
  if (!failed) {
    if (commit) {
      try {
        // A protected branch takes the build through its gate, as any merge into it.
        const gates = gatesOf(repo);
        const mergeOpts = {
          message: `build ${p} (run ${runId})`,
          metadata: { 'sluice.run_id': runId },
        };
        const m = gates
          ? (await gates.merge(runBranch, branch, mergeOpts)).result
          : await repo.merge(runBranch, branch, mergeOpts);
        landed = m.commit;
      } catch (err) {
        status = 'error';
        mergeError = err;
      }
    }
    if (status === 'success' && writes) await repo.deleteBranch(runBranch);
  }
  const run: BuildRun = {
    id: runId,
    project: p,
    branch,
    runBranch,
    status,
    ...(landed ? { commit: landed.id } : commit && status === 'error' ? { commit: commit.id } : {}),
    startedAt,
    completedAt: new Date(),
    args: {
      command,
      select: opts.select ?? [],
      exclude: opts.exclude ?? [],
      fullRefresh: opts.fullRefresh ?? false,
    },
    results,
  };
  let artifacts: BuildOutcome['artifacts'];
  if (opts.artifacts !== false) {
    try {
      artifacts = await writeArtifacts(proj.dir, run, graph);
    } catch (err) {
      warnings.push(`artifacts: ${errorLine(err)}`);
    }
  }
  const assertions = new Map(
    [...checks].map(([id, rs]) => [
      id,
      rs.map((r) => ({
        name: r.name,
        ...(r.column ? { column: r.column } : {}),
        success: r.status === 'pass' || r.status === 'warn',
      })),
    ]),
  );
  await emit(completeEvent(run, graph, { namespace, checks: assertions }));
  if (mergeError !== undefined) {
    (mergeError as { run?: BuildRun }).run = run;
    throw mergeError;
  }
  return {
    run,
    compiled,
    checks,
    ...(landed ? { landed } : {}),
    ...(artifacts ? { artifacts } : {}),
    warnings,
  };
}

/**
 * The tables on the run branch, each read once: only the build writes there, and every write it
 * makes forgets the table written, so a lookup never returns a stale version.
 */
interface TableLookup {
  at(name: string): Promise<TableAtRef | undefined>;
  forget(name: string): void;
}

function tableLookup(repo: Repository, branch: string): TableLookup {
  const known = new Map<string, Promise<TableAtRef | undefined>>();
  return {
    at(name) {
      let t = known.get(name);
      if (!t) {
        t = getTable(repo, branch, name).catch((err) => {
          if ((err as { code?: string }).code === 'TableNotFoundError') return undefined;
          throw err;
        });
        known.set(name, t);
      }
      return t;
    },
    forget(name) {
      known.delete(name);
    },
  };
}
type Built = Omit<NodeResult, 'startedAt' | 'completedAt'>;

/**
 * Stages a memoized output of `fingerprint` as `table` on the run branch (zero-copy; nothing to
 * do when the branch already holds exactly it) and refreshes the session's view of it. Undefined
 * when there is no memo, or its files were collected since (gc): then the node is built again.
 */
async function reuseMemo(
  repo: Repository,
  branch: string,
  fingerprint: string,
  current: TableAtRef | undefined,
  tables: TableLookup,
  table: string,
  session: SqlSession,
): Promise<{ memo: MemoRecord; t: TableAtRef } | undefined> {
  const rec = await repo.meta.getMemo(repo.name, fingerprint);
  if (!rec) return undefined;
  const memo = JSON.parse(rec.data) as MemoRecord;
  const want = new Map(memo.entries.map((e) => [e.path, e]));
  const have = new Map(
    current ? [current.manifestEntry, ...current.files].map((e) => [e.path, e]) : [],
  );
  const same =
    want.size === have.size &&
    [...want].every(([path, e]) => have.get(path)?.address === e.address);
  if (!same) {
    try {
      await repo.putEntries(branch, memo.entries, {
        remove: [...have.keys()].filter((path) => !want.has(path)),
      });
      tables.forget(table);
    } catch (err) {
      if ((err as { code?: string }).code === 'ObjectNotFoundError') return undefined;
      throw err;
    }
  }
  const t = (await tables.at(table)) as TableAtRef;
  await session.refreshTable(branch, table, t);
  return { memo, t };
}

async function remember(
  repo: Repository,
  fingerprint: string,
  t: TableAtRef,
  rows: number | undefined,
): Promise<void> {
  const memo: MemoRecord = {
    table: t.name,
    entries: [t.manifestEntry, ...t.files],
    ...(rows !== undefined ? { rows } : {}),
    columns: t.manifest.columns,
  };
  await repo.meta.putMemo(repo.name, {
    fingerprint,
    createdAt: new Date(),
    data: JSON.stringify(memo),
  });
}

const bytesOf = (t: TableAtRef): number => t.files.reduce((n, f) => n + f.size, 0);

async function buildSeed(
  repo: Repository,
  project: Project,
  node: GraphNode,
  runBranch: string,
  session: SqlSession,
  tableAt: TableLookup,
  opts: BuildOptions,
): Promise<Built> {
  const base = {
    uniqueId: node.uniqueId,
    kind: 'seed' as const,
    name: node.name,
    relation: node.name,
  };
  const text = project.files.get(node.path as string) ?? '';
  const fingerprint = sha(JSON.stringify({ seed: 'v1', name: node.name, text }));
  try {
    const current = await tableAt.at(node.name);
    if (!opts.fullRefresh) {
      const reused = await reuseMemo(
        repo,
        runBranch,
        fingerprint,
        current,
        tableAt,
        node.name,
        session,
      );
      if (reused) {
        const { memo, t } = reused;
        return {
          ...base,
          status: 'reused',
          rows: memo.rows ?? 0,
          columns: memo.columns,
          bytes: bytesOf(t),
          fingerprint,
          message: 'reused: unchanged seed',
        };
      }
    }
    const res = await ingest(repo, join(project.dir, node.path as string), {
      table: node.name,
      branch: runBranch,
      mode: 'overwrite',
      session: session.duck,
    });
    tableAt.forget(node.name);
    const t = (await tableAt.at(node.name)) as TableAtRef;
    await remember(repo, fingerprint, t, res.rowsWritten);
    await session.refreshTable(runBranch, node.name, t);
    return {
      ...base,
      status: 'success',
      rows: res.rowsWritten,
      columns: t.manifest.columns,
      bytes: bytesOf(t),
      fingerprint,
    };
  } catch (err) {
    return { ...base, status: 'error', message: `${node.path}: ${errorLine(err)}` };
  }
}

/** The ephemeral models a query inlines (dependencies first), each rendered. */
export function ephemeralsOf(compiled: CompiledProject, m: CompiledModel): CompiledModel[] {
  return ephemeralsRead(compiled.models, m.refs);
}

/** The SQL a model runs: its rendered body (default the compiled one) with its ephemerals inlined. */
export function finalSql(
  compiled: CompiledProject,
  m: CompiledModel,
  body: string = m.sql,
): string {
  return withEphemerals(
    stripSemicolon(body),
    ephemeralsOf(compiled, m).map((e) => [e.file.name, e.sql]),
  );
}

/** The tables a model reads in the end (through ephemerals): refs to built models, seeds, sources. */
function tablesRead(compiled: CompiledProject, m: CompiledModel): string[] {
  const out = new Set<string>();
  for (const x of [m, ...ephemeralsOf(compiled, m)]) {
    for (const r of x.refs) {
      const dep = compiled.models.get(r);
      if (dep?.config.materialized === 'ephemeral') continue;
      out.add(dep ? dep.table : r);
    }
    for (const s of x.sources) {
      const src = compiled.project.sources.get(`${s.source}.${s.table}`);
      if (src) out.add(src.identifier);
    }
  }
  return [...out].sort();
}

/**
 * The content version of a table a model reads. A stored view holds no data: its version is its
 * definition's and the versions of what it reads (when a model of the project builds it), so a
 * change upstream of a view reaches the models downstream of it.
 */
async function inputVersion(
  compiled: CompiledProject,
  table: string,
  tableAt: TableLookup,
  seen: Set<string> = new Set(),
): Promise<string> {
  const t = await tableAt.at(table);
  if (!t?.manifest.view || seen.has(table)) return versionOf(t);
  const model = [...compiled.models.values()].find(
    (x) => x.table === table && x.config.materialized === 'view',
  );
  if (!model) return versionOf(t);
  const deps: string[] = [];
  for (const d of tablesRead(compiled, model))
    deps.push(`${d}=${await inputVersion(compiled, d, tableAt, new Set([...seen, table]))}`);
  return sha(JSON.stringify([versionOf(t), ...deps]));
}

async function buildModel(
  repo: Repository,
  compiled: CompiledProject,
  m: CompiledModel,
  node: GraphNode,
  runBranch: string,
  work: string,
  session: SqlSession,
  tableAt: TableLookup,
  opts: BuildOptions,
): Promise<Built> {
  const base = {
    uniqueId: node.uniqueId,
    kind: 'model' as const,
    name: node.name,
    relation: m.table,
  };
  const file = m.file;
  try {
    const current = await tableAt.at(m.table);
    const incremental =
      m.config.materialized === 'incremental' &&
      current !== undefined &&
      !current.manifest.view &&
      !opts.fullRefresh;
    // Rendered for this run: `is_incremental()` is only known now.
    const body = incremental
      ? renderModel(compiled.project, file, {
          relation: compiled.relation,
          isIncremental: true,
          self: relationName(m.table),
          target: {
            name: opts.branch ?? repo.defaultBranch,
            schema: 'main',
            type: 'duckdb',
            threads: opts.threads ?? 1,
          },
          runStartedAt: new Date(),
        }).sql
      : m.sql;
    const sql = finalSql(compiled, m, body);
    const inputs: Record<string, string> = {};
    for (const t of tablesRead(compiled, m)) inputs[t] = await inputVersion(compiled, t, tableAt);
    // Tables the SQL names directly (not through ref() or source()) are inputs too: a reused
    // output must never hide a change to them. (SQL DuckDB cannot parse fails below, named.)
    const named = await tablesReferenced(session.duck, sql).catch(() => [] as string[]);
    for (const t of named) {
      if (Object.keys(inputs).some((k) => k.toLowerCase() === t) || t === m.table.toLowerCase())
        continue;
      if (await tableAt.at(t)) inputs[t] = await inputVersion(compiled, t, tableAt);
    }
    const fingerprint = sha(
      JSON.stringify({
        model: 'v1',
        sql,
        config: configDigest(m),
        table: m.table,
        inputs,
        incremental: incremental ? versionOf(current) : null,
      }),
    );
    if (!opts.fullRefresh) {
      const reused = await reuseMemo(
        repo,
        runBranch,
        fingerprint,
        current,
        tableAt,
        m.table,
        session,
      );
      if (reused) {
        const { memo, t } = reused;
        return {
          ...base,
          status: 'reused',
          ...(memo.rows !== undefined ? { rows: memo.rows } : {}),
          columns: memo.columns,
          bytes: bytesOf(t),
          fingerprint,
          message: 'reused: same SQL, config and inputs as an earlier build',
        };
      }
    }

    // The query's columns (and whether it binds at all) before anything is written.
    let columns: Column[];
    try {
      columns = await session.duck.describe(`SELECT * FROM (${sql}) AS q`);
    } catch (err) {
      throw modelError(file, `SQL: ${errorLine(err)}`);
    }
    if (m.config.contractEnforced) await checkContract(compiled, m, columns, session);

    let rows: number | undefined;
    if (m.config.materialized === 'view') {
      const manifest = encodeManifest({
        format: 'sluice.table/v1',
        name: m.table,
        columns,
        view: { sql },
      });
      const old = current ? current.files.map((f) => f.path) : [];
      await repo.putObjects(
        runBranch,
        [{ path: manifestPath(m.table), body: manifest, contentType: 'application/json' }],
        { remove: old },
      );
    } else {
      // Written once, in the table's own layout, so the ingest stores these files as they are.
      const out = join(work, `${file.name}-${randomBytes(4).toString('hex')}`);
      try {
        await session.duck.run(`COPY (${sql}) TO ${sqlString(out)} (${TABLE_FILES_COPY_OPTIONS})`);
      } catch (err) {
        rmSync(out, { recursive: true, force: true });
        throw modelError(file, `SQL: ${errorLine(err)}`);
      }
      const key = m.config.uniqueKey;
      try {
        const res = await ingest(repo, out, {
          table: m.table,
          branch: runBranch,
          format: 'parquet',
          mode: incremental ? (key ? 'upsert' : 'append') : 'overwrite',
          ...(incremental && key ? { key } : {}),
          session: session.duck,
          preformatted: true,
        });
        rows = res.rowsWritten;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    tableAt.forget(m.table);
    const t = (await tableAt.at(m.table)) as TableAtRef;
    await remember(repo, fingerprint, t, rows);
    await session.refreshTable(runBranch, m.table, t);
    return {
      ...base,
      status: 'success',
      ...(rows !== undefined ? { rows } : {}),
      columns: t.manifest.columns,
      bytes: bytesOf(t),
      fingerprint,
      ...(incremental
        ? {
            message: `incremental: ${m.config.uniqueKey ? `merged on ${m.config.uniqueKey.join(', ')}` : 'appended'}`,
          }
        : {}),
    };
  } catch (err) {
    return {
      ...base,
      status: 'error',
      message: errorLine(err).startsWith(file.path)
        ? errorLine(err)
        : `${file.path}: ${errorLine(err)}`,
    };
  }
}

/** An enforced contract: the declared columns, names and types, exactly (before any write). */
async function checkContract(
  compiled: CompiledProject,
  m: CompiledModel,
  columns: Column[],
  session: SqlSession,
): Promise<void> {
  const declared = compiled.project.properties.get(m.file.name)?.columns ?? [];
  const where = compiled.project.properties.get(m.file.name);
  const fail = (reason: string): never => {
    throw modelError(
      m.file,
      `contract: ${reason}${where ? ` (declared in ${where.file}:${where.line})` : ''}`,
    );
  };
  if (declared.length === 0) fail('contract enforced but no columns declared');
  const untyped = declared.find((c) => !c.dataType);
  if (untyped) fail(`column ${untyped.name} has no data_type`);
  const canon = async (type: string): Promise<string> => {
    try {
      return String(
        (await session.duck.query(`SELECT typeof(CAST(NULL AS ${type})) AS t`)).rows[0]?.t,
      );
    } catch {
      return fail(`data_type ${JSON.stringify(type)} is not a DuckDB type`);
    }
  };
  const got = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const problems: string[] = [];
  for (const d of declared) {
    const c = got.get(d.name.toLowerCase());
    if (!c) {
      problems.push(`missing column ${d.name}`);
      continue;
    }
    const want = await canon(d.dataType as string);
    if (want !== c.type) problems.push(`column ${d.name} is ${c.type}, the contract says ${want}`);
  }
  const names = new Set(declared.map((d) => d.name.toLowerCase()));
  for (const c of columns)
    if (!names.has(c.name.toLowerCase())) problems.push(`column ${c.name} is not in the contract`);
  if (problems.length > 0) fail(problems.join('; '));
}

/** What a graph node is, for messages. */
export function describeNode(graph: ProjectGraph, id: string): string {
  const n = graph.nodes.get(id);
  return n ? `${n.kind} ${n.name}` : id;
}
