// The graph's nodes for what a project declares and builds: sources, seeds, models (what they
// depend on from their refs and sources) and exposures (their `depends_on`, which must name
// something the project has). Tests are attached in tests.ts.
import { ProjectError } from '../../common/errors.js';
import { sha256Hex as sha } from '../../common/hash.js';
import type { CompiledModel } from '../graph.js';
import type { Project } from '../project.js';
import type { GraphNode } from '../types.js';
import { idOf } from './ids.js';

/** The node id a `ref()` names: a seed's, else a model's. */
export const refIdOf =
  (project: Project) =>
  (name: string): string =>
    project.seeds.has(name)
      ? idOf.seed(project.config.name, name)
      : idOf.model(project.config.name, name);

/** Sources, seeds and the enabled models, by id. */
export function tableNodes(
  project: Project,
  models: Map<string, CompiledModel>,
): Map<string, GraphNode> {
  const p = project.config.name;
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
  const refId = refIdOf(project);
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
  return nodes;
}

/** Adds the exposures; one that depends on an unknown model or source is a ProjectError. */
export function addExposureNodes(
  project: Project,
  models: Map<string, CompiledModel>,
  nodes: Map<string, GraphNode>,
): void {
  const p = project.config.name;
  const refId = refIdOf(project);
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
}
