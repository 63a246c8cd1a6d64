// The project graph: every seed, model, test, source and exposure with what it depends on, in a
// topological order. Compiling renders each model once (ref / source / config discovered, the
// SQL as `sluice compile` prints it) and turns the properties files' tests into quality checks.
// An unknown ref, a cycle or a template error is a ProjectError before anything runs.
import { createHash } from 'node:crypto';
import { ProjectError } from '../common/errors.js';
import { type CheckSpec, parseSpecText, parseThreshold, type Threshold } from '../quality/spec.js';
import {
  folderMaterialization,
  folderModelConfig,
  type ModelConfig,
  type ModelFile,
  type Project,
  parseReference,
  type Reference,
  type SourceTable,
} from './project.js';
import {
  ephemeralName,
  modelError,
  relationName,
  renderModel,
  stripSemicolon,
  withEphemerals,
} from './render.js';
import type { GraphNode, ProjectGraph } from './types.js';

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

export const idOf = {
  model: (p: string, n: string) => `model.${p}.${n}`,
  seed: (p: string, n: string) => `seed.${p}.${n}`,
  test: (p: string, id: string) => `test.${p}.${id}`,
  source: (p: string, s: string, t: string) => `source.${p}.${s}.${t}`,
  exposure: (p: string, n: string) => `exposure.${p}.${n}`,
};

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

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
  const p = project.config.name;
  const target = {
    name: opts.target ?? 'main',
    schema: 'main',
    type: 'duckdb' as const,
    threads: 1,
  };
  const runStartedAt = opts.runStartedAt ?? new Date();

  // Pass 1: configs (materialization decides how a ref to a model renders: ephemerals are CTEs).
  // A model's own config() is found by rendering it with references that always resolve.
  const first = new Map<string, Partial<ModelConfig>>();
  for (const m of project.models.values()) {
    const r = renderModel(project, m, {
      relation: (ref) => (ref.kind === 'ref' ? relationName(ref.name) : relationName(ref.table)),
      isIncremental: false,
      self: relationName(m.name),
      target,
      runStartedAt,
    });
    first.set(m.name, r.config);
  }
  const configs = new Map<string, ModelConfig>();
  for (const m of project.models.values())
    configs.set(m.name, resolveConfig(project, m, first.get(m.name) ?? {}));
  const enabled = (name: string) => configs.get(name)?.enabled !== false;
  const tableOf = (name: string): string => configs.get(name)?.alias ?? name;

  const relation = (ref: Reference): string => {
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
        : relationName(tableOf(ref.name));
    }
    const s = project.sources.get(`${ref.source}.${ref.table}`);
    if (!s)
      throw new ProjectError(`unknown source ${ref.source}.${ref.table}`, {
        file: '',
        reason: `source(${JSON.stringify(ref.source)}, ${JSON.stringify(ref.table)}) is not declared in any properties file (sources: ${[...project.sources.keys()].sort().join(', ') || 'none'})`,
      });
    return relationName(s.identifier);
  };

  // Pass 2: the SQL with references resolved.
  const models = new Map<string, CompiledModel>();
  for (const m of project.models.values()) {
    if (!enabled(m.name)) continue;
    const config = configs.get(m.name) as ModelConfig;
    const r = renderModel(project, m, {
      relation,
      isIncremental: false,
      self: relationName(tableOf(m.name)),
      target,
      runStartedAt,
    });
    models.set(m.name, {
      file: m,
      config,
      table: tableOf(m.name),
      sql: r.sql,
      refs: [...new Set(r.refs)],
      sources: r.sources.filter(
        (s, i, all) => all.findIndex((x) => x.source === s.source && x.table === s.table) === i,
      ),
    });
  }

  // Tables written by two models (an alias clash) cannot both land.
  const writers = new Map<string, string>();
  for (const m of models.values()) {
    if (m.config.materialized === 'ephemeral') continue;
    const other =
      writers.get(m.table) ?? (project.seeds.has(m.table) ? `seed ${m.table}` : undefined);
    if (other)
      throw new ProjectError(`${m.file.path}: table ${m.table} is also written by ${other}`, {
        file: m.file.path,
        reason: `table ${m.table} is also written by ${other}`,
      });
    writers.set(m.table, `model ${m.file.name}`);
  }

  // Checks from the properties files, attached to the model, seed or source whose table they
  // test. A check names its table by the entry it sits under (`name:`), and a source table may
  // share its name with a model (source raw.orders, model orders): the check belongs to the
  // entry of that name whose start is the last one before the check in its file.
  const sourceOf = (spec: CheckSpec) => {
    const entry = project.properties.get(spec.table);
    let best: { line: number; source?: SourceTable } =
      entry && entry.file === spec.source.file && entry.line <= spec.source.line
        ? { line: entry.line }
        : { line: 0 };
    for (const s of project.sources.values())
      if (
        s.name === spec.table &&
        s.file === spec.source.file &&
        s.line <= spec.source.line &&
        s.line > best.line
      )
        best = { line: s.line, source: s };
    return best.source;
  };
  const checks: CheckSpec[] = [];
  const checkOwner = new Map<CheckSpec, string>(); // source checks → the source's node id
  const ids = new Set<string>();
  for (const f of project.propertyFiles) {
    for (const spec of parseSpecText(project.files.get(f) ?? '', f)) {
      let id = spec.id;
      for (let i = 2; ids.has(id); i++) id = `${spec.id}#${i}`;
      ids.add(id);
      const src = sourceOf(spec);
      // A source's check reads the source's table (its identifier).
      const check = { ...spec, id, ...(src ? { table: src.identifier } : {}) };
      if (src) checkOwner.set(check, idOf.source(p, src.source, src.name));
      checks.push(check);
    }
  }
  const byTable = new Map<string, string>(); // table → node id
  for (const s of project.seeds.values()) byTable.set(s.name, idOf.seed(p, s.name));
  for (const m of models.values())
    if (m.config.materialized !== 'ephemeral') byTable.set(m.table, idOf.model(p, m.file.name));
  for (const m of models.values()) byTable.set(m.file.name, idOf.model(p, m.file.name));
  for (const s of project.sources.values())
    byTable.set(s.identifier, byTable.get(s.identifier) ?? idOf.source(p, s.source, s.name));
  const tests = new Map<string, CheckSpec[]>();

  // The nodes.
  const nodes = new Map<string, GraphNode>();
  for (const s of project.sources.values()) {
    nodes.set(idOf.source(p, s.source, s.name), {
      uniqueId: idOf.source(p, s.source, s.name),
      kind: 'source',
      name: s.name,
      path: s.file,
      dependsOn: [],
      tags: [],
      ...(s.description !== undefined ? { description: s.description } : {}),
      relation: s.identifier,
      columns: s.columns,
      meta: {
        source: s.source,
        ...(s.loadedAtField ? { loaded_at_field: s.loadedAtField } : {}),
        ...(s.freshness ? { freshness: s.freshness } : {}),
      },
    });
  }
  for (const s of project.seeds.values()) {
    const props = project.properties.get(s.name);
    nodes.set(idOf.seed(p, s.name), {
      uniqueId: idOf.seed(p, s.name),
      kind: 'seed',
      name: s.name,
      path: s.path,
      dependsOn: [],
      tags: props?.tags ?? [],
      ...(props?.description !== undefined ? { description: props.description } : {}),
      materialized: 'table',
      relation: s.name,
      columns: props?.columns ?? [],
      meta: {},
    });
  }
  const refId = (name: string): string =>
    project.seeds.has(name) ? idOf.seed(p, name) : idOf.model(p, name);
  for (const m of models.values()) {
    const props = project.properties.get(m.file.name);
    nodes.set(idOf.model(p, m.file.name), {
      uniqueId: idOf.model(p, m.file.name),
      kind: 'model',
      name: m.file.name,
      path: m.file.path,
      dependsOn: [
        ...m.refs.map(refId),
        ...m.sources.map((s) => idOf.source(p, s.source, s.table)),
      ].filter((x, i, all) => all.indexOf(x) === i),
      tags: m.config.tags,
      ...(props?.description !== undefined ? { description: props.description } : {}),
      materialized: m.config.materialized,
      relation: m.table,
      columns: props?.columns ?? [],
      rawCode: m.file.sql,
      compiledCode: m.sql,
      meta: { fingerprint_sql: sha(m.sql) },
    });
  }
  for (const c of checks) {
    const owner = checkOwner.get(c) ?? byTable.get(c.table);
    if (owner === undefined || !nodes.has(owner)) continue; // a table no model builds
    const deps = [owner];
    if (c.type === 'relationships') {
      const to = parseReference(String(c.params.to));
      const other = !to
        ? byTable.get(String(c.params.to))
        : to.kind === 'ref'
          ? byTable.get(to.name)
          : idOf.source(p, to.source, to.table); // by the source's name, not its identifier
      if (other && other !== owner && nodes.has(other)) deps.push(other);
    }
    const id = idOf.test(p, c.id);
    nodes.set(id, {
      uniqueId: id,
      kind: 'test',
      name: c.name,
      path: c.source.file,
      dependsOn: deps,
      tags: nodes.get(owner)?.tags ?? [],
      columns: [],
      meta: {
        check: c.id,
        severity: c.severity,
        type: c.type,
        ...(c.column ? { column: c.column } : {}),
      },
    });
    tests.set(owner, [...(tests.get(owner) ?? []), c]);
  }
  for (const e of project.exposures.values()) {
    const deps = e.dependsOn.map((d) => {
      if (d.kind === 'ref') {
        if (!models.has(d.name) && !project.seeds.has(d.name))
          throw new ProjectError(
            `${e.file}:${e.line}: exposure ${e.name} depends on unknown model ${d.name}`,
            {
              file: e.file,
              line: e.line,
              reason: `exposure ${e.name} depends on unknown model ${d.name}`,
            },
          );
        return refId(d.name);
      }
      const id = idOf.source(p, d.source, d.table);
      if (!nodes.has(id))
        throw new ProjectError(
          `${e.file}:${e.line}: exposure ${e.name} depends on unknown source ${d.source}.${d.table}`,
          {
            file: e.file,
            line: e.line,
            reason: `exposure ${e.name} depends on unknown source ${d.source}.${d.table}`,
          },
        );
      return id;
    });
    nodes.set(idOf.exposure(p, e.name), {
      uniqueId: idOf.exposure(p, e.name),
      kind: 'exposure',
      name: e.name,
      path: e.file,
      dependsOn: deps,
      tags: [],
      ...(e.description !== undefined ? { description: e.description } : {}),
      columns: [],
      meta: {
        type: e.type,
        owner: e.owner,
        ...(e.url ? { url: e.url } : {}),
        ...(e.maturity ? { maturity: e.maturity } : {}),
        ...(e.label ? { label: e.label } : {}),
      },
    });
  }
  const sorted = topoSort(nodes);
  for (const t of project.singularTests.values()) {
    const test = singularTest(project, t, { relation, target, runStartedAt, models, refId, ids });
    if (!test) continue;
    // It runs with the tests of the last table it reads to be built (sources last: a build
    // runs no source's tests), so every table it reads is there.
    const order = [...sorted.keys()];
    const rank = (id: string) =>
      (sorted.get(id)?.kind === 'source' ? 0 : order.length) + order.indexOf(id);
    const owner = [...test.owners].sort((a, b) => rank(b) - rank(a))[0] as string;
    const ownerNode = sorted.get(owner) as GraphNode;
    const spec: CheckSpec = { ...test.spec, table: ownerNode.relation ?? ownerNode.name };
    const id = idOf.test(p, spec.id);
    sorted.set(id, {
      uniqueId: id,
      kind: 'test',
      name: t.name,
      path: t.path,
      dependsOn: [owner, ...test.dependsOn.filter((d) => d !== owner)],
      tags: test.tags,
      columns: [],
      rawCode: t.sql,
      compiledCode: String(spec.params.query),
      meta: { check: spec.id, severity: spec.severity, type: 'sql', singular: true },
    });
    checks.push(spec);
    tests.set(owner, [...(tests.get(owner) ?? []), spec]);
  }
  return {
    project,
    graph: { project: p, nodes: sorted, ...(project.docs ? { docs: project.docs } : {}) },
    models,
    tests,
    checks,
    relation,
  };
}

/** The ephemeral models a query reads through `refs`, dependencies first (its CTEs). */
export function ephemeralsRead(
  models: Map<string, CompiledModel>,
  refs: string[],
): CompiledModel[] {
  const out: CompiledModel[] = [];
  const seen = new Set<string>();
  const visit = (xs: string[]): void => {
    for (const r of xs) {
      const dep = models.get(r);
      if (dep?.config.materialized !== 'ephemeral' || seen.has(r)) continue;
      seen.add(r);
      visit(dep.refs);
      out.push(dep);
    }
  };
  visit(refs);
  return out;
}

/**
 * A singular data test (`tests/*.sql`, as in dbt): its rendered query fails the test with every
 * row it returns — a quality `sql` check. `config(severity=…, warn_if=…, error_if=…, tags=…,
 * enabled=…)` is read as dbt reads it. Undefined when disabled.
 */
function singularTest(
  project: Project,
  t: ModelFile,
  ctx: {
    relation: (ref: Reference) => string;
    target: { name: string; schema: string; type: 'duckdb'; threads: number };
    runStartedAt: Date;
    models: Map<string, CompiledModel>;
    refId: (name: string) => string;
    ids: Set<string>;
  },
):
  | { spec: Omit<CheckSpec, 'table'>; dependsOn: string[]; owners: string[]; tags: string[] }
  | undefined {
  const p = project.config.name;
  const r = renderModel(project, t, {
    relation: ctx.relation,
    isIncremental: false,
    self: relationName(t.name),
    target: ctx.target,
    runStartedAt: ctx.runStartedAt,
  });
  const given = r.given;
  if (given.enabled === false) return undefined;
  const configLine = t.sql.slice(0, Math.max(0, t.sql.search(/config\s*\(/))).split('\n').length;
  const severity = String(given.severity ?? 'error').toLowerCase();
  if (severity !== 'warn' && severity !== 'error')
    throw modelError(
      t,
      `config(severity=…): warn or error, not ${String(given.severity)}`,
      configLine,
    );
  const threshold = (key: 'warn_if' | 'error_if'): Threshold | undefined => {
    if (given[key] === undefined) return undefined;
    const th = parseThreshold(String(given[key]));
    if (!th || th.percent)
      throw modelError(
        t,
        `config(${key}=…): a comparison with a row count, such as '>10'`,
        configLine,
      );
    return th;
  };
  const warnIf = threshold('warn_if');
  const errorIf = threshold('error_if');
  const tags = given.tags === undefined ? [] : [given.tags].flat().map(String);
  const refs = [...new Set(r.refs)];
  const ephemerals = ephemeralsRead(ctx.models, refs);
  const dependsOn = [
    ...new Set([
      ...refs.map(ctx.refId),
      ...r.sources.map((s) => idOf.source(p, s.source, s.table)),
    ]),
  ];
  // The tables it reads in the end: an ephemeral model is inlined, its own inputs are read.
  const owners = [
    ...new Set([
      ...[...refs, ...ephemerals.flatMap((e) => e.refs)]
        .filter((x) => ctx.models.get(x)?.config.materialized !== 'ephemeral')
        .map(ctx.refId),
      ...[r, ...ephemerals.map((e) => ({ sources: e.sources }))].flatMap((x) =>
        x.sources.map((s) => idOf.source(p, s.source, s.table)),
      ),
    ]),
  ];
  if (owners.length === 0)
    throw modelError(
      t,
      'a singular test reads no model, seed or source: name the tables it checks with ref() or source()',
    );
  let id = t.name;
  for (let i = 2; ctx.ids.has(id); i++) id = `${t.name}#${i}`;
  ctx.ids.add(id);
  return {
    spec: {
      id,
      name: t.name,
      type: 'sql',
      params: {
        query: withEphemerals(
          stripSemicolon(r.sql),
          ephemerals.map((e) => [e.file.name, e.sql]),
        ),
      },
      severity,
      ...(warnIf ? { warnIf } : {}),
      ...(errorIf ? { errorIf } : {}),
      source: { file: t.path, line: 1 },
    },
    dependsOn,
    owners,
    tags,
  };
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
