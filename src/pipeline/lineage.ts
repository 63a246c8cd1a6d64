// Lineage and impact.
//
// Lineage: sources and seeds → models → exposures, from the compiled graph; per model, column by
// column where DuckDB's parser lets us trace it (column-lineage.ts), with the input tables'
// columns taken from the ref the project was built on.
//
// Impact of a branch against a base ref: the models whose SQL or config changed (the build states
// recorded by the last build on each ref) or whose output columns changed, everything downstream,
// the exposures that depend on any of it, and the breaking changes — a column removed or retyped
// in a changed model's table that a downstream model reads (by column lineage) or that an exposure
// depends on (an exposure depends on every column of the models it names).

import { errorLine } from '../common/error-line.js';
import type { Repository } from '../core/repository.js';
import type { DuckSession } from '../engine/duckdb.js';
import { type Column, listTables, type TableAtRef } from '../engine/tables.js';
import { finalSql } from './build/model-sql.js';
import { type BuildState, readBuildState } from './build/state.js';
import { type ColumnSource, columnLineage } from './column-lineage.js';
import { type CompiledModel, type CompiledProject, childMap, idOf } from './graph.js';
import type { GraphNode, ProjectGraph } from './types.js';

export interface ModelLineage {
  /** Output column → the input columns it is computed from. */
  columns: Record<string, ColumnSource[]>;
  /** Every input column the model reads anywhere (joins, filters, grouping too). */
  used: ColumnSource[];
  unresolved: { column: string; reason: string }[];
}

export interface Lineage {
  nodes: { id: string; kind: GraphNode['kind']; name: string; relation?: string }[];
  /** [from, to]: `to` reads `from`. */
  edges: [string, string][];
  /** Column-level lineage by model id (models whose SQL could be traced). */
  columns: Record<string, ModelLineage>;
}

/**
 * The project's lineage. `tables`: the tables at the ref the project runs on (their columns feed
 * column-level lineage); models not built there get their columns from their own lineage.
 */
export async function projectLineage(
  compiled: CompiledProject,
  duck: DuckSession,
  tables: Map<string, TableAtRef>,
  opts: { columns?: boolean; only?: Set<string> } = {},
): Promise<Lineage> {
  const { graph } = compiled;
  const nodes = [...graph.nodes.values()]
    .filter((n) => n.kind !== 'test')
    .map((n) => ({
      id: n.uniqueId,
      kind: n.kind,
      name: n.name,
      ...(n.relation ? { relation: n.relation } : {}),
    }));
  const edges: [string, string][] = [];
  for (const n of graph.nodes.values()) {
    if (n.kind === 'test') continue;
    for (const d of n.dependsOn) edges.push([d, n.uniqueId]);
  }
  const columns: Record<string, ModelLineage> = {};
  if (opts.columns !== false) {
    const known = new Map<string, string[]>();
    for (const t of tables.values())
      known.set(
        t.name,
        t.manifest.columns.map((c) => c.name),
      );
    for (const n of graph.nodes.values()) {
      if (n.kind !== 'model' || n.materialized === 'ephemeral') continue;
      if (opts.only && !opts.only.has(n.uniqueId)) continue;
      const m = compiled.models.get(n.name) as CompiledModel;
      try {
        const l = await columnLineage(duck, finalSql(compiled, m), known);
        columns[n.uniqueId] = {
          columns: Object.fromEntries(l.columns),
          used: l.used,
          unresolved: l.unresolved,
        };
        if (!known.has(m.table)) known.set(m.table, [...l.columns.keys()]);
      } catch (err) {
        columns[n.uniqueId] = {
          columns: {},
          used: [],
          unresolved: [{ column: '*', reason: errorLine(err) }],
        };
      }
    }
  }
  return { nodes, edges, columns };
}

export interface ColumnChange {
  table: string;
  column: string;
  change: 'removed' | 'retyped' | 'added';
  before?: string;
  after?: string;
}

export interface Breaking {
  /** The changed model's table and column. */
  table: string;
  column: string;
  change: 'removed' | 'retyped';
  /** The node that reads it: a model (by column lineage) or an exposure. */
  consumer: string;
  consumerKind: 'model' | 'exposure';
}

export interface Impact {
  base: string;
  branch: string;
  changed: string[];
  downstream: string[];
  exposures: string[];
  columnChanges: ColumnChange[];
  breaking: Breaking[];
  /** Exposures with at least one breaking change. */
  brokenExposures: string[];
}

function columnDiff(table: string, before: Column[], after: Column[]): ColumnChange[] {
  const out: ColumnChange[] = [];
  const a = new Map(after.map((c) => [c.name.toLowerCase(), c]));
  const b = new Map(before.map((c) => [c.name.toLowerCase(), c]));
  for (const c of before) {
    const now = a.get(c.name.toLowerCase());
    if (!now) out.push({ table, column: c.name, change: 'removed', before: c.type });
    else if (now.type !== c.type)
      out.push({ table, column: c.name, change: 'retyped', before: c.type, after: now.type });
  }
  for (const c of after)
    if (!b.has(c.name.toLowerCase()))
      out.push({ table, column: c.name, change: 'added', after: c.type });
  return out;
}

/** What a branch changes against a base ref, for the compiled project. */
export async function impactOf(
  repo: Repository,
  compiled: CompiledProject,
  duck: DuckSession,
  base: string,
  branch: string,
): Promise<Impact> {
  const { graph } = compiled;
  const baseTables = await listTables(repo, base);
  const branchTables = await listTables(repo, branch);
  const { changed, columnChanges } = changedModels(compiled, {
    baseTables,
    branchTables,
    baseState: await readBuildState(repo, base),
    branchState: await readBuildState(repo, branch),
  });
  const kids = childMap(graph);
  const downstream = downstreamOf(graph, kids, changed);
  const exposures = [...downstream].filter((id) => graph.nodes.get(id)?.kind === 'exposure');
  const lost = columnChanges.filter((c) => c.change !== 'added');
  const breaking =
    lost.length > 0 ? await breakingChanges(compiled, duck, baseTables, kids, changed, lost) : [];
  const name = (id: string) => graph.nodes.get(id)?.name ?? id;
  return {
    base,
    branch,
    changed: [...changed].map(name).sort(),
    downstream: [...downstream]
      .filter((id) => graph.nodes.get(id)?.kind === 'model')
      .map(name)
      .sort(),
    exposures: exposures.map(name).sort(),
    columnChanges,
    breaking,
    brokenExposures: [
      ...new Set(breaking.filter((b) => b.consumerKind === 'exposure').map((b) => b.consumer)),
    ].sort(),
  };
}

/**
 * The models changed on the branch: their SQL or config differ in the two refs' build states,
 * or their table's columns differ (or the table is gone); and every column change of a table
 * the base has.
 */
function changedModels(
  compiled: CompiledProject,
  refs: {
    baseTables: Map<string, TableAtRef>;
    branchTables: Map<string, TableAtRef>;
    baseState: BuildState | undefined;
    branchState: BuildState | undefined;
  },
): { changed: Set<string>; columnChanges: ColumnChange[] } {
  const p = compiled.graph.project;
  const changed = new Set<string>();
  const columnChanges: ColumnChange[] = [];
  for (const [name, m] of compiled.models) {
    if (m.config.materialized === 'ephemeral') continue;
    const id = idOf.model(p, name);
    const a = refs.baseState?.models[name];
    const b = refs.branchState?.models[name];
    if ((a || b) && (a?.sql !== b?.sql || a?.config !== b?.config)) changed.add(id);
    const before = refs.baseTables.get(m.table);
    const after = refs.branchTables.get(m.table);
    if (before || after) {
      const diff = columnDiff(
        m.table,
        before?.manifest.columns ?? [],
        after?.manifest.columns ?? [],
      );
      if (before && after && diff.length > 0) changed.add(id);
      if (before && !after) changed.add(id);
      columnChanges.push(...diff.filter(() => before !== undefined));
    }
  }
  return { changed, columnChanges };
}

/** Every node downstream of the changed ones (tests aside), the changed ones excluded. */
function downstreamOf(
  graph: ProjectGraph,
  kids: Map<string, string[]>,
  changed: Set<string>,
): Set<string> {
  const downstream = new Set<string>();
  const stack = [...changed];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const k of kids.get(id) ?? []) {
      if (graph.nodes.get(k)?.kind === 'test' || downstream.has(k) || changed.has(k)) continue;
      downstream.add(k);
      stack.push(k);
    }
  }
  return downstream;
}

/**
 * Removed or retyped columns of changed tables, and who reads them: a model directly downstream
 * that uses the column (by column lineage, its SQL read against the base, where the columns
 * still exist), an exposure directly downstream, and an exposure downstream of a broken model.
 */
async function breakingChanges(
  compiled: CompiledProject,
  duck: DuckSession,
  baseTables: Map<string, TableAtRef>,
  kids: Map<string, string[]>,
  changed: Set<string>,
  lost: ColumnChange[],
): Promise<Breaking[]> {
  const { graph } = compiled;
  const readers = new Set<string>();
  for (const id of changed)
    for (const k of kids.get(id) ?? []) if (graph.nodes.get(k)?.kind === 'model') readers.add(k);
  const lineage = await projectLineage(compiled, duck, baseTables, { only: readers });
  const tableOfId = new Map<string, string>();
  for (const id of changed) tableOfId.set(id, graph.nodes.get(id)?.relation ?? '');
  const breaking: Breaking[] = [];
  for (const c of lost) {
    const owner = [...changed].find((id) => tableOfId.get(id) === c.table);
    if (!owner) continue;
    const change = c.change as 'removed' | 'retyped';
    for (const k of kids.get(owner) ?? []) {
      const node = graph.nodes.get(k);
      if (node?.kind === 'model') {
        const used = lineage.columns[k]?.used ?? [];
        if (
          used.some(
            (u) =>
              u.relation.toLowerCase() === c.table.toLowerCase() &&
              u.column.toLowerCase() === c.column.toLowerCase(),
          )
        )
          breaking.push({
            table: c.table,
            column: c.column,
            change,
            consumer: node.name,
            consumerKind: 'model',
          });
      } else if (node?.kind === 'exposure') {
        breaking.push({
          table: c.table,
          column: c.column,
          change,
          consumer: node.name,
          consumerKind: 'exposure',
        });
      }
    }
  }
  addBrokenExposures(graph, kids, breaking);
  return breaking;
}

/** An exposure downstream of a broken model is broken too (once). */
function addBrokenExposures(
  graph: ProjectGraph,
  kids: Map<string, string[]>,
  breaking: Breaking[],
): void {
  const brokenModels = new Set(
    breaking
      .filter((b) => b.consumerKind === 'model')
      .map((b) => idOf.model(graph.project, b.consumer)),
  );
  const seen = new Set<string>();
  const walk = [...brokenModels];
  while (walk.length > 0) {
    const id = walk.pop() as string;
    for (const k of kids.get(id) ?? []) {
      if (seen.has(k)) continue;
      seen.add(k);
      const node = graph.nodes.get(k);
      if (
        node?.kind === 'exposure' &&
        !breaking.some((b) => b.consumer === node.name && b.consumerKind === 'exposure')
      )
        breaking.push({
          table: graph.nodes.get(id)?.relation ?? id,
          column: '*',
          change: 'removed',
          consumer: node.name,
          consumerKind: 'exposure',
        });
      if (node?.kind === 'model') walk.push(k);
    }
  }
}
