// The project graph: every seed, model, test, source and exposure with what it depends on, in a
// topological order. Compiling renders each model once (ref / source / config discovered, the
// SQL as `sluice compile` prints it) and turns the properties files' tests into quality checks.
// An unknown ref, a cycle or a template error is a ProjectError before anything runs.
//
// `compileProject` runs in phases: resolve configs → render models (references resolved) →
// refuse table clashes → tests from the properties files → nodes (graph/nodes.ts) and their tests
// (graph/tests.ts) → exposures → order → singular tests.
import { ProjectError } from '../common/errors.js';
import type { CheckSpec } from '../quality/spec.js';
import { addExposureNodes, tableNodes } from './graph/nodes.js';
import {
  addPropertyTests,
  addSingularTests,
  propertyChecks,
  type RenderEnv,
} from './graph/tests.js';
import {
  folderMaterialization,
  folderModelConfig,
  type ModelConfig,
  type ModelFile,
  type Project,
  type Reference,
} from './project.js';
import { ephemeralName, relationName, renderModel } from './render.js';
import type { GraphNode, ProjectGraph } from './types.js';

export { ephemeralsRead } from './graph/ephemerals.js';
export { idOf } from './graph/ids.js';

export interface CompiledModel {
  file: ModelFile;
  config: ModelConfig;
  /** The table it writes (its alias, else its name). */
  table: string;
  /** Rendered with `is_incremental()` false: what `compile` prints and `state:modified` compares. */
  sql: string;
  refs: string[];
  sources: { source: string; table: string }[];
}

export interface CompiledProject {
  project: Project;
  graph: ProjectGraph;
  models: Map<string, CompiledModel>;
  /** Tests (quality checks) by the model or seed they test. */
  tests: Map<string, CheckSpec[]>;
  /** Every check of the properties files (also those of tables no model builds). */
  checks: CheckSpec[];
  /** How a reference renders in this project (what a re-render at build time uses). */
  relation: (ref: Reference) => string;
}

/** The resolved config of a model: folder default < properties < `{{ config() }}`. */
function resolveConfig(
  project: Project,
  file: ModelFile,
  fromCall: Partial<ModelConfig>,
): ModelConfig {
  const props = project.properties.get(file.name);
  const folder = folderModelConfig(project.config, file.folder);
  const merged = { ...(props?.config ?? {}), ...fromCall };
  return {
    materialized: merged.materialized ?? folderMaterialization(project.config, file.folder),
    tags: [
      ...new Set([
        ...folder.tags,
        ...(props?.tags ?? []),
        ...(props?.config.tags ?? []),
        ...(fromCall.tags ?? []),
      ]),
    ].sort(),
    ...(merged.uniqueKey ? { uniqueKey: merged.uniqueKey } : {}),
    contractEnforced: merged.contractEnforced ?? false,
    ...(merged.alias ? { alias: merged.alias } : {}),
    enabled: merged.enabled ?? folder.enabled ?? true,
  };
}

/** Renders every model, resolves references and orders the graph. */
export function compileProject(
  project: Project,
  opts: { target?: string; runStartedAt?: Date } = {},
): CompiledProject {
  const render: Omit<RenderEnv, 'relation'> = {
    target: { name: opts.target ?? 'main', schema: 'main', type: 'duckdb', threads: 1 },
    runStartedAt: opts.runStartedAt ?? new Date(),
  };
  const configs = resolveConfigs(project, render);
  const relation = referenceResolver(project, configs);
  const models = renderModels(project, configs, { ...render, relation });
  refuseTableClashes(project, models);
  const tests = propertyChecks(project);
  const nodes = tableNodes(project, models);
  addPropertyTests(project, models, nodes, tests);
  addExposureNodes(project, models, nodes);
  const sorted = topoSort(nodes);
  addSingularTests(project, { ...render, relation }, models, sorted, tests);
  return {
    project,
    graph: {
      project: project.config.name,
      nodes: sorted,
      ...(project.docs ? { docs: project.docs } : {}),
    },
    models,
    tests: tests.tests,
    checks: tests.checks,
    relation,
  };
}

/**
 * Pass 1: every model's config (materialization decides how a ref to a model renders: ephemerals
 * are CTEs). A model's own config() is found by rendering it with references that always resolve.
 */
function resolveConfigs(
  project: Project,
  render: Omit<RenderEnv, 'relation'>,
): Map<string, ModelConfig> {
  const first = new Map<string, Partial<ModelConfig>>();
  for (const m of project.models.values()) {
    const r = renderModel(project, m, {
      relation: (ref) => (ref.kind === 'ref' ? relationName(ref.name) : relationName(ref.table)),
      isIncremental: false,
      self: relationName(m.name),
      ...render,
    });
    first.set(m.name, r.config);
  }
  const configs = new Map<string, ModelConfig>();
  for (const m of project.models.values())
    configs.set(m.name, resolveConfig(project, m, first.get(m.name) ?? {}));
  return configs;
}

/** The table a model writes: its alias, else its name. */
const tableOf = (configs: Map<string, ModelConfig>, name: string): string =>
  configs.get(name)?.alias ?? name;

/**
 * How a reference renders in this project: a seed or a model by its table (an ephemeral by its
 * CTE), a source by its identifier; an unknown or disabled one is a ProjectError.
 */
function referenceResolver(
  project: Project,
  configs: Map<string, ModelConfig>,
): (ref: Reference) => string {
  return (ref) => {
    if (ref.kind === 'ref') {
      if (project.seeds.has(ref.name)) return relationName(ref.name);
      const c = configs.get(ref.name);
      if (!c)
        throw new ProjectError(`ref to unknown model ${JSON.stringify(ref.name)}`, {
          file: '',
          reason: `ref to unknown model ${JSON.stringify(ref.name)} (models: ${[...project.models.keys()].sort().join(', ')}; seeds: ${[...project.seeds.keys()].sort().join(', ') || 'none'})`,
        });
      if (!c.enabled)
        throw new ProjectError(`ref to disabled model ${ref.name}`, {
          file: '',
          reason: `ref to model ${ref.name}, which is disabled (enabled: false)`,
        });
      return c.materialized === 'ephemeral'
        ? relationName(ephemeralName(ref.name))
        : relationName(tableOf(configs, ref.name));
    }
    const s = project.sources.get(`${ref.source}.${ref.table}`);
    if (!s)
      throw new ProjectError(`unknown source ${ref.source}.${ref.table}`, {
        file: '',
        reason: `source(${JSON.stringify(ref.source)}, ${JSON.stringify(ref.table)}) is not declared in any properties file (sources: ${[...project.sources.keys()].sort().join(', ') || 'none'})`,
      });
    return relationName(s.identifier);
  };
}

/** Pass 2: each enabled model's SQL with its references resolved, and what it reads. */
function renderModels(
  project: Project,
  configs: Map<string, ModelConfig>,
  render: RenderEnv,
): Map<string, CompiledModel> {
  const models = new Map<string, CompiledModel>();
  for (const m of project.models.values()) {
    if (configs.get(m.name)?.enabled === false) continue;
    const config = configs.get(m.name) as ModelConfig;
    const r = renderModel(project, m, {
      ...render,
      isIncremental: false,
      self: relationName(tableOf(configs, m.name)),
    });
    models.set(m.name, {
      file: m,
      config,
      table: tableOf(configs, m.name),
      sql: r.sql,
      refs: [...new Set(r.refs)],
      sources: r.sources.filter(
        (s, i, all) => all.findIndex((x) => x.source === s.source && x.table === s.table) === i,
      ),
    });
  }
  return models;
}

/**
 * Tables written by two models (an alias clash), or by a model and a seed, cannot both land — nor
 * two whose names differ only in case (`Orders` and `orders`), which SQL reads as one name.
 */
function refuseTableClashes(project: Project, models: Map<string, CompiledModel>): void {
  const writers = new Map<string, string>();
  const claim = (table: string, writer: string, file: string): void => {
    const other = writers.get(table.toLowerCase());
    if (other) {
      const reason = `table ${table} is also written by ${other}`;
      throw new ProjectError(`${file}: ${reason}`, { file, reason });
    }
    writers.set(table.toLowerCase(), writer);
  };
  for (const s of project.seeds.values()) claim(s.name, `seed ${s.name}`, s.path);
  for (const m of models.values()) {
    if (m.config.materialized === 'ephemeral') continue;
    claim(m.table, `model ${m.file.name}`, m.file.path);
  }
}

/** The nodes in a topological order (stable: by id among the ready); a cycle is a ProjectError. */
export function topoSort(nodes: Map<string, GraphNode>): Map<string, GraphNode> {
  const state = new Map<string, 'visiting' | 'done'>();
  const out = new Map<string, GraphNode>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      const names = cycle.map((x) => nodes.get(x)?.name ?? x);
      const files = [...new Set(cycle.map((x) => nodes.get(x)?.path).filter(Boolean))] as string[];
      const first = files[0] ?? '';
      throw new ProjectError(
        `${first}: dependency cycle: ${names.join(' → ')} (${files.join(', ')})`,
        {
          file: first,
          reason: `dependency cycle: ${names.join(' → ')}`,
        },
      );
    }
    state.set(id, 'visiting');
    stack.push(id);
    const node = nodes.get(id);
    for (const d of [...(node?.dependsOn ?? [])].sort()) if (nodes.has(d)) visit(d);
    stack.pop();
    state.set(id, 'done');
    if (node) out.set(id, node);
  };
  for (const id of [...nodes.keys()].sort()) visit(id);
  return out;
}

/** Children of each node (the reverse of dependsOn). */
export function childMap(graph: ProjectGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of graph.nodes.keys()) out.set(id, []);
  for (const n of graph.nodes.values()) for (const d of n.dependsOn) out.get(d)?.push(n.uniqueId);
  return out;
}
