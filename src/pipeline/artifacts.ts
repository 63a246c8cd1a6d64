// The run artifacts a build leaves in `target/`, shaped like dbt's (v1.7+) so the habits and
// tools people have for dbt's carry over: `run_results.json` (what each node of the build did)
// and `manifest.json` (the project graph). Sluice's own facts (run id, branches, commit) ride
// along in a top-level `sluice` object that dbt tooling ignores.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { InvalidArgumentError } from '../common/errors.js';
import type {
  BuildRun,
  ColumnDoc,
  GraphNode,
  NodeResult,
  NodeStatus,
  ProjectGraph,
} from './types.js';

export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
export const MANIFEST_SCHEMA = 'https://schemas.getdbt.com/dbt/manifest/v11.json';
/** What `dbt_version` says in both artifacts. */
export const DBT_VERSION = 'sluice';
/** The directory under the project root the artifacts are written to. */
export const TARGET_DIR = 'target';

// ---- run_results.json -------------------------------------------------------------------------

/** dbt's statuses: RunStatus for models and seeds, TestStatus for tests. */
export type DbtStatus = 'success' | 'error' | 'skipped' | 'pass' | 'warn' | 'fail';

export interface RunResultEntry {
  unique_id: string;
  status: DbtStatus;
  timing: { name: 'execute'; started_at: string; completed_at: string }[];
  thread_id: string;
  /** Seconds. */
  execution_time: number;
  adapter_response: { rows_affected?: number; bytes?: number; reused?: true };
  message: string | null;
  /** Tests: failing rows; null for models and seeds. */
  failures: number | null;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
}

export interface RunResultsArtifact {
  metadata: {
    dbt_schema_version: string;
    dbt_version: string;
    generated_at: string;
    invocation_id: string;
    env: Record<string, string>;
  };
  results: RunResultEntry[];
  /** Seconds. */
  elapsed_time: number;
  args: { which: string; select: string[]; exclude: string[]; full_refresh: boolean };
  sluice: {
    run_id: string;
    branch: string;
    run_branch: string;
    commit: string | null;
    status: BuildRun['status'];
  };
}

/** dbt runs nodes on named threads; a Sluice build reports one. */
const THREAD_ID = 'Thread-1';

/** The run's results as dbt's `run_results.json`. */
export function runResultsJson(run: BuildRun, graph: ProjectGraph): RunResultsArtifact {
  return {
    metadata: {
      dbt_schema_version: RUN_RESULTS_SCHEMA,
      dbt_version: DBT_VERSION,
      generated_at: iso(run.completedAt, 'run.completedAt'),
      invocation_id: run.id,
      env: {},
    },
    results: run.results.map((r) => resultEntry(r, graph.nodes.get(r.uniqueId))),
    elapsed_time: seconds(run.startedAt, run.completedAt, 'run'),
    args: {
      which: run.args.command.trim().split(/\s+/)[0] ?? run.args.command,
      select: [...run.args.select],
      exclude: [...run.args.exclude],
      full_refresh: run.args.fullRefresh,
    },
    sluice: {
      run_id: run.id,
      branch: run.branch,
      run_branch: run.runBranch,
      commit: run.commit ?? null,
      status: run.status,
    },
  };
}

function resultEntry(r: NodeResult, node: GraphNode | undefined): RunResultEntry {
  const where = `result ${r.uniqueId}`;
  const isTest = r.kind === 'test';
  const reused = r.status === 'reused';
  const adapter: RunResultEntry['adapter_response'] = {};
  if (r.rows !== undefined) adapter.rows_affected = r.rows;
  if (r.bytes !== undefined) adapter.bytes = r.bytes;
  if (reused) adapter.reused = true;
  const ephemeral = node?.materialized === 'ephemeral';
  const compiledCode = r.kind === 'seed' ? undefined : node?.compiledCode;
  return {
    unique_id: r.uniqueId,
    status: dbtStatus(r.status),
    timing: [
      {
        name: 'execute',
        started_at: iso(r.startedAt, `${where} startedAt`),
        completed_at: iso(r.completedAt, `${where} completedAt`),
      },
    ],
    thread_id: THREAD_ID,
    execution_time: seconds(r.startedAt, r.completedAt, where),
    adapter_response: adapter,
    message: resultMessage(r),
    failures: isTest ? (r.failures ?? r.rows ?? (r.status === 'pass' ? 0 : null)) : null,
    compiled: compiledCode !== undefined,
    compiled_code: compiledCode ?? null,
    relation_name: isTest || ephemeral ? null : (r.relation ?? node?.relation ?? null),
  };
}

/** Ours to dbt's: `reused` is a success that computed nothing (flagged in adapter_response). */
export function dbtStatus(status: NodeStatus): DbtStatus {
  return status === 'reused' ? 'success' : status;
}

function resultMessage(r: NodeResult): string | null {
  switch (r.status) {
    case 'reused': {
      if (r.message?.startsWith('reused')) return r.message;
      const fp = r.fingerprint ? ` (fingerprint ${r.fingerprint.slice(0, 12)})` : '';
      const base = `reused ${r.relation ?? r.name}${fp}, nothing computed`;
      return r.message ? `${base}: ${r.message}` : base;
    }
    case 'success':
      return r.message ?? 'OK';
    case 'fail':
    case 'warn': {
      if (r.message !== undefined) return r.message;
      const n = r.failures ?? r.rows;
      return n === undefined
        ? null
        : `Got ${n} result${n === 1 ? '' : 's'}, configured to ${r.status} if != 0`;
    }
    default:
      return r.message ?? null;
  }
}

// ---- manifest.json ----------------------------------------------------------------------------

export interface ManifestColumn {
  name: string;
  description: string;
  data_type: string | null;
  meta: Record<string, unknown>;
  tags: string[];
}

/** Fields every manifest entry (node, source, exposure) has. */
interface ManifestEntryBase {
  name: string;
  resource_type: string;
  package_name: string;
  /** Relative to the resource's directory (`stg/orders.sql` for `models/stg/orders.sql`). */
  path: string;
  /** Relative to the project root. */
  original_file_path: string;
  unique_id: string;
  fqn: string[];
  tags: string[];
  description: string;
  meta: Record<string, unknown>;
}

export interface ManifestNode extends ManifestEntryBase {
  resource_type: 'model' | 'seed' | 'test';
  alias: string;
  language: 'sql';
  columns: Record<string, ManifestColumn>;
  config: {
    enabled: true;
    materialized: string;
    tags: string[];
    severity?: string;
  };
  depends_on: { macros: string[]; nodes: string[] };
  raw_code: string;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
  /** Tests: the column tested (if any) and the model or seed the test belongs to. */
  column_name?: string | null;
  attached_node?: string | null;
}

export interface ManifestSource extends ManifestEntryBase {
  resource_type: 'source';
  source_name: string;
  source_description: string;
  loader: string;
  identifier: string;
  relation_name: string | null;
  columns: Record<string, ManifestColumn>;
  config: { enabled: true };
}

export interface ManifestExposure extends ManifestEntryBase {
  resource_type: 'exposure';
  type: string;
  owner: { name?: string; email?: string };
  url?: string;
  label?: string;
  maturity?: string;
  config: { enabled: true };
  depends_on: { macros: string[]; nodes: string[] };
}

/** A docs block, as dbt lists it (`doc.<project>.<name>`). */
export interface ManifestDoc {
  name: string;
  resource_type: 'doc';
  package_name: string;
  path: string;
  original_file_path: string;
  unique_id: string;
  block_contents: string;
}

export interface ManifestArtifact {
  metadata: {
    dbt_schema_version: string;
    dbt_version: string;
    generated_at: string;
    invocation_id: string;
    env: Record<string, string>;
    project_name: string;
  };
  nodes: Record<string, ManifestNode>;
  sources: Record<string, ManifestSource>;
  exposures: Record<string, ManifestExposure>;
  macros: Record<string, never>;
  docs: Record<string, ManifestDoc>;
  metrics: Record<string, never>;
  groups: Record<string, never>;
  selectors: Record<string, never>;
  disabled: Record<string, never>;
  semantic_models: Record<string, never>;
  /** Every node, source and exposure, with the ids it depends on (sorted). */
  parent_map: Record<string, string[]>;
  /** Every node, source and exposure, with the ids that depend on it (sorted). */
  child_map: Record<string, string[]>;
  group_map: Record<string, never>;
}

/**
 * The project graph as dbt's `manifest.json`. Refuses a graph whose edges name a node it does
 * not hold (InvalidArgumentError): the parent and child maps would lie.
 */
export function manifestJson(
  graph: ProjectGraph,
  opts: { generatedAt: Date; invocationId: string; projectDir?: string },
): ManifestArtifact {
  const nodes: Record<string, ManifestNode> = {};
  const sources: Record<string, ManifestSource> = {};
  const exposures: Record<string, ManifestExposure> = {};
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};

  for (const [id, node] of graph.nodes) {
    if (id !== node.uniqueId) {
      throw graphError(`the graph holds node ${node.uniqueId} under the key ${id}`);
    }
    parentMap[id] = [];
    childMap[id] = [];
  }
  for (const [id, node] of graph.nodes) {
    const parents = unique(node.dependsOn);
    for (const dep of parents) {
      const children = childMap[dep];
      if (children === undefined) throw graphError(`${id} depends on ${dep}, not in the graph`);
      children.push(id);
    }
    parentMap[id] = [...parents].sort();
  }
  for (const list of Object.values(childMap)) list.sort();

  for (const [id, node] of graph.nodes) {
    const common = entryBase(graph.project, node, opts.projectDir);
    switch (node.kind) {
      case 'model':
      case 'seed':
      case 'test':
        nodes[id] = manifestNode(graph, node, common);
        break;
      case 'source':
        sources[id] = manifestSource(node, common);
        break;
      case 'exposure':
        exposures[id] = manifestExposure(node, common);
        break;
    }
  }

  return {
    metadata: {
      dbt_schema_version: MANIFEST_SCHEMA,
      dbt_version: DBT_VERSION,
      generated_at: iso(opts.generatedAt, 'generatedAt'),
      invocation_id: opts.invocationId,
      env: {},
      project_name: graph.project,
    },
    nodes,
    sources,
    exposures,
    macros: {},
    docs: Object.fromEntries(
      [...(graph.docs ?? [])]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, d]) => {
          const id = `doc.${graph.project}.${name}`;
          const doc: ManifestDoc = {
            name,
            resource_type: 'doc',
            package_name: graph.project,
            path: d.path,
            original_file_path: d.file,
            unique_id: id,
            block_contents: d.text,
          };
          return [id, doc];
        }),
    ),
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    semantic_models: {},
    parent_map: parentMap,
    child_map: childMap,
    group_map: {},
  };
}

interface EntryCommon {
  base: ManifestEntryBase;
  /** Directories between the resource directory and the file (for fqn). */
  dirs: string[];
}

function entryBase(project: string, node: GraphNode, projectDir?: string): EntryCommon {
  const original = projectPath(node.path, projectDir);
  const segments = original === '' ? [] : original.split('/');
  // dbt's `path` is relative to the resource directory (models/, seeds/, tests/, …).
  const inResourceDir = segments.length > 1 ? segments.slice(1) : segments;
  const dirs = inResourceDir.slice(0, -1);
  return {
    base: {
      name: node.name,
      resource_type: node.kind,
      package_name: project,
      path: inResourceDir.join('/'),
      original_file_path: original,
      unique_id: node.uniqueId,
      fqn: [project, ...dirs, node.name],
      tags: [...node.tags],
      description: node.description ?? '',
      meta: { ...node.meta },
    },
    dirs,
  };
}

/** A node's file relative to the project root, with `/` separators. */
function projectPath(path: string | undefined, projectDir: string | undefined): string {
  if (path === undefined || path === '') return '';
  let p = path;
  if (projectDir !== undefined && isAbsolute(p)) {
    const rel = relative(projectDir, p);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) p = rel;
  }
  return p.replaceAll('\\', '/');
}

function manifestNode(graph: ProjectGraph, node: GraphNode, c: EntryCommon): ManifestNode {
  const kind = node.kind as ManifestNode['resource_type'];
  const materialized =
    kind === 'seed' ? 'seed' : kind === 'test' ? 'test' : (node.materialized ?? 'table');
  const config: ManifestNode['config'] = { enabled: true, materialized, tags: [...node.tags] };
  const compiledCode = kind === 'seed' ? undefined : node.compiledCode;
  const entry: ManifestNode = {
    ...c.base,
    resource_type: kind,
    alias: kind === 'model' || kind === 'seed' ? (node.relation ?? node.name) : node.name,
    language: 'sql',
    columns: manifestColumns(node.columns),
    config,
    depends_on: { macros: [], nodes: unique(node.dependsOn) },
    raw_code: node.rawCode ?? '',
    compiled: compiledCode !== undefined,
    compiled_code: compiledCode ?? null,
    relation_name:
      kind === 'test' || node.materialized === 'ephemeral' ? null : (node.relation ?? node.name),
  };
  if (kind === 'test') {
    const severity = stringMeta(node.meta, 'severity');
    if (severity !== undefined) config.severity = severity.toUpperCase();
    entry.column_name =
      stringMeta(node.meta, 'column_name') ?? stringMeta(node.meta, 'column') ?? null;
    // A singular test belongs to no one node (dbt leaves it unattached).
    entry.attached_node =
      node.meta.singular === true
        ? null
        : (node.dependsOn.find((d) => {
            const k = graph.nodes.get(d)?.kind;
            return k === 'model' || k === 'seed';
          }) ?? null);
  }
  return entry;
}

function manifestSource(node: GraphNode, c: EntryCommon): ManifestSource {
  // Ids are `source.<project>.<source>.<table>`; meta may name the source too.
  const parts = node.uniqueId.split('.');
  const sourceName =
    stringMeta(node.meta, 'source_name') ??
    stringMeta(node.meta, 'sourceName') ??
    stringMeta(node.meta, 'source') ??
    (parts.length >= 4 ? parts[parts.length - 2] : undefined) ??
    node.name;
  const identifier = node.relation ?? node.name;
  return {
    ...c.base,
    resource_type: 'source',
    fqn: [c.base.package_name, ...c.dirs, sourceName, node.name],
    source_name: sourceName,
    source_description: '',
    loader: '',
    identifier,
    relation_name: identifier,
    columns: manifestColumns(node.columns),
    config: { enabled: true },
  };
}

const EXPOSURE_KEYS = new Set(['type', 'owner', 'url', 'label', 'maturity']);

function manifestExposure(node: GraphNode, c: EntryCommon): ManifestExposure {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.meta)) if (!EXPOSURE_KEYS.has(k)) meta[k] = v;
  const entry: ManifestExposure = {
    ...c.base,
    resource_type: 'exposure',
    meta,
    type: stringMeta(node.meta, 'type') ?? 'application',
    owner: exposureOwner(node.meta.owner),
    config: { enabled: true },
    depends_on: { macros: [], nodes: unique(node.dependsOn) },
  };
  const url = stringMeta(node.meta, 'url');
  if (url !== undefined) entry.url = url;
  const label = stringMeta(node.meta, 'label');
  if (label !== undefined) entry.label = label;
  const maturity = stringMeta(node.meta, 'maturity');
  if (maturity !== undefined) entry.maturity = maturity;
  return entry;
}

/** dbt's owner is `{name?, email?}`; a bare string is an email if it looks like one. */
function exposureOwner(owner: unknown): ManifestExposure['owner'] {
  if (typeof owner === 'string') return owner.includes('@') ? { email: owner } : { name: owner };
  if (owner === null || typeof owner !== 'object') return {};
  const o = owner as Record<string, unknown>;
  const out: ManifestExposure['owner'] = {};
  if (typeof o.name === 'string') out.name = o.name;
  if (typeof o.email === 'string') out.email = o.email;
  return out;
}

function manifestColumns(columns: ColumnDoc[]): Record<string, ManifestColumn> {
  const out: Record<string, ManifestColumn> = {};
  for (const col of columns) {
    out[col.name] = {
      name: col.name,
      description: col.description ?? '',
      data_type: col.dataType ?? null,
      meta: {},
      tags: [],
    };
  }
  return out;
}

// ---- writing ----------------------------------------------------------------------------------

/**
 * Writes `target/run_results.json` and `target/manifest.json` under `dir` (the project root;
 * `target/` is created if missing) and returns their paths. Each file is written to a temp file
 * beside it and renamed into place, so a reader never sees half a document. The manifest is
 * written first, so a run_results.json that is there always has its manifest.
 */
export async function writeArtifacts(
  dir: string,
  run: BuildRun,
  graph: ProjectGraph,
): Promise<{ runResults: string; manifest: string }> {
  // Both documents are built before anything is written: a bad graph writes nothing.
  const manifest = manifestJson(graph, {
    generatedAt: run.completedAt,
    invocationId: run.id,
    projectDir: dir,
  });
  const runResults = runResultsJson(run, graph);
  const target = join(dir, TARGET_DIR);
  await mkdir(target, { recursive: true });
  const paths = {
    runResults: join(target, 'run_results.json'),
    manifest: join(target, 'manifest.json'),
  };
  await writeJsonAtomic(paths.manifest, manifest);
  await writeJsonAtomic(paths.runResults, runResults);
  return paths;
}

/** Writes `doc` as JSON to a temp file beside `path`, then renames it into place. */
export async function writeJsonAtomic(path: string, doc: unknown): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(doc, null, 2)}\n`);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

// ---- helpers ----------------------------------------------------------------------------------

/** An ISO-8601 UTC timestamp (`…Z`); refuses an invalid Date. */
export function iso(d: Date, what: string): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError(`${what} is not a valid date`, {
      argument: what,
      reason: 'invalid date',
    });
  }
  return d.toISOString();
}

function seconds(start: Date, end: Date, what: string): number {
  iso(start, `${what} startedAt`);
  iso(end, `${what} completedAt`);
  return (end.getTime() - start.getTime()) / 1000;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function stringMeta(meta: Record<string, unknown>, key: string): string | undefined {
  const v = meta[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function graphError(reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid project graph: ${reason}`, {
    argument: 'graph',
    reason,
  });
}
