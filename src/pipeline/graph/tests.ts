// A project's tests in the graph. The properties files' tests become quality checks (CheckSpecs)
// attached to the model, seed or source whose table they test; singular tests (`tests/*.sql`)
// become `sql` checks attached to the last-built table they read. Each is a `test` node that
// depends on its owner (and, for a relationship, the table it points at).
import {
  type CheckSpec,
  parseSpecText,
  parseThreshold,
  type Threshold,
} from '../../quality/spec.js';
import type { CompiledModel } from '../graph.js';
import type { ModelFile, Project, SourceTable } from '../project.js';
import { parseReference } from '../project.js';
import {
  modelError,
  type RenderContext,
  relationName,
  renderModel,
  stripSemicolon,
  withEphemerals,
} from '../render.js';
import type { GraphNode } from '../types.js';
import { ephemeralsRead } from './ephemerals.js';
import { idOf } from './ids.js';
import { refIdOf } from './nodes.js';

/** The tests found so far: every check, by owner, and the test ids taken. */
export interface ProjectTests {
  /** Every check of the properties files (also those of tables no model builds), then the singular tests. */
  checks: CheckSpec[];
  /** Tests (quality checks) by the model or seed they test. */
  tests: Map<string, CheckSpec[]>;
  /** Source checks → the source's node id. */
  sourceOwned: Map<CheckSpec, string>;
  ids: Set<string>;
}

/**
 * The checks of every properties file, each with an id unique in the project (`#2`, `#3` …). A
 * check names its table by the entry it sits under (`name:`), and a source table may share its
 * name with a model (source raw.orders, model orders): the check belongs to the entry of that
 * name whose start is the last one before the check in its file.
 */
export function propertyChecks(project: Project): ProjectTests {
  const p = project.config.name;
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
  const out: ProjectTests = {
    checks: [],
    tests: new Map(),
    sourceOwned: new Map(),
    ids: new Set(),
  };
  for (const f of project.propertyFiles) {
    for (const spec of parseSpecText(project.files.get(f) ?? '', f)) {
      let id = spec.id;
      for (let i = 2; out.ids.has(id); i++) id = `${spec.id}#${i}`;
      out.ids.add(id);
      const src = sourceOf(spec);
      // A source's check reads the source's table (its identifier).
      const check = { ...spec, id, ...(src ? { table: src.identifier } : {}) };
      if (src) out.sourceOwned.set(check, idOf.source(p, src.source, src.name));
      out.checks.push(check);
    }
  }
  return out;
}

/** Table name → the node id of what writes (or, for a source, reads) it. */
function nodeByTable(project: Project, models: Map<string, CompiledModel>): Map<string, string> {
  const p = project.config.name;
  const byTable = new Map<string, string>();
  for (const s of project.seeds.values()) byTable.set(s.name, idOf.seed(p, s.name));
  for (const m of models.values())
    if (m.config.materialized !== 'ephemeral') byTable.set(m.table, idOf.model(p, m.file.name));
  for (const m of models.values()) byTable.set(m.file.name, idOf.model(p, m.file.name));
  for (const s of project.sources.values())
    byTable.set(s.identifier, byTable.get(s.identifier) ?? idOf.source(p, s.source, s.name));
  return byTable;
}

/** A test node per property check whose table is in the graph, attached to its owner. */
export function addPropertyTests(
  project: Project,
  models: Map<string, CompiledModel>,
  nodes: Map<string, GraphNode>,
  t: ProjectTests,
): void {
  const p = project.config.name;
  const byTable = nodeByTable(project, models);
  for (const c of t.checks) {
    const owner = t.sourceOwned.get(c) ?? byTable.get(c.table);
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
    t.tests.set(owner, [...(t.tests.get(owner) ?? []), c]);
  }
}

/** What every render of one compile shares: references, target and start time (`is_incremental()` is false). */
export type RenderEnv = Pick<RenderContext, 'relation' | 'target' | 'runStartedAt'>;

/**
 * Adds the singular tests to the sorted graph. Each runs with the tests of the last table it
 * reads to be built (sources last: a build runs no source's tests), so every table it reads is
 * there.
 */
export function addSingularTests(
  project: Project,
  render: RenderEnv,
  models: Map<string, CompiledModel>,
  sorted: Map<string, GraphNode>,
  t: ProjectTests,
): void {
  const p = project.config.name;
  for (const file of project.singularTests.values()) {
    const test = singularTest(project, file, { ...render, models, ids: t.ids });
    if (!test) continue;
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
      name: file.name,
      path: file.path,
      dependsOn: [owner, ...test.dependsOn.filter((d) => d !== owner)],
      tags: test.tags,
      columns: [],
      rawCode: file.sql,
      compiledCode: String(spec.params.query),
      meta: { check: spec.id, severity: spec.severity, type: 'sql', singular: true },
    });
    t.checks.push(spec);
    t.tests.set(owner, [...(t.tests.get(owner) ?? []), spec]);
  }
}

/**
 * A singular data test (`tests/*.sql`, as in dbt): its rendered query fails the test with every
 * row it returns — a quality `sql` check. `config(severity=…, warn_if=…, error_if=…, tags=…,
 * enabled=…)` is read as dbt reads it. Undefined when disabled.
 */
function singularTest(
  project: Project,
  t: ModelFile,
  ctx: RenderEnv & { models: Map<string, CompiledModel>; ids: Set<string> },
):
  | { spec: Omit<CheckSpec, 'table'>; dependsOn: string[]; owners: string[]; tags: string[] }
  | undefined {
  const p = project.config.name;
  const refId = refIdOf(project);
  const r = renderModel(project, t, {
    relation: ctx.relation,
    isIncremental: false,
    self: relationName(t.name),
    target: ctx.target,
    runStartedAt: ctx.runStartedAt,
  });
  const given = r.given;
  if (given.enabled === false) return undefined;
  const { severity, warnIf, errorIf } = testConfig(t, given);
  const tags = given.tags === undefined ? [] : [given.tags].flat().map(String);
  const refs = [...new Set(r.refs)];
  const ephemerals = ephemeralsRead(ctx.models, refs);
  const dependsOn = [
    ...new Set([...refs.map(refId), ...r.sources.map((s) => idOf.source(p, s.source, s.table))]),
  ];
  // The tables it reads in the end: an ephemeral model is inlined, its own inputs are read.
  const owners = [
    ...new Set([
      ...[...refs, ...ephemerals.flatMap((e) => e.refs)]
        .filter((x) => ctx.models.get(x)?.config.materialized !== 'ephemeral')
        .map(refId),
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

/** A singular test's `config(severity=…, warn_if=…, error_if=…)`; a bad value names the line. */
function testConfig(
  t: ModelFile,
  given: Record<string, unknown>,
): { severity: 'warn' | 'error'; warnIf?: Threshold; errorIf?: Threshold } {
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
  return { severity, ...(warnIf ? { warnIf } : {}), ...(errorIf ? { errorIf } : {}) };
}
