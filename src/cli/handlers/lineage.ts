// `sluice lineage [NODE] [--ref REF] [--json | --dot] [--project DIR]`: sources and seeds → models
// → exposures, and per model the input columns each output column comes from (where DuckDB's
// parser lets us trace it). With NODE: only what it depends on and what depends on it. The
// printing is shared with the remote command (remote/lineage.ts).
import { resolve } from 'node:path';
import { findRepoDir, listTables, withDuck } from '../../index.js';
import { type LineageJson, lineageFromJson, lineageJson } from '../../internal.js';
import {
  compileProject,
  type Lineage,
  loadProject,
  projectLineage,
  selectNodes,
} from '../../pipeline/index.js';
import type { CommandContext } from '../runner.js';

export interface LineageCliOptions {
  ref?: string;
  dot?: boolean;
  project?: string;
}

function toDot(l: Lineage): string {
  const shape: Record<string, string> = {
    source: 'cylinder',
    seed: 'cylinder',
    model: 'box',
    exposure: 'hexagon',
  };
  const q = (s: string) => JSON.stringify(s);
  return [
    'digraph lineage {',
    '  rankdir=LR;',
    ...l.nodes.map((n) => `  ${q(n.id)} [label=${q(n.name)}, shape=${shape[n.kind] ?? 'box'}];`),
    ...l.edges.map(([a, b]) => `  ${q(a)} -> ${q(b)};`),
    '}',
  ].join('\n');
}

export async function run(
  ctx: CommandContext,
  node: string | undefined,
  opts: LineageCliOptions,
): Promise<number> {
  const dir = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const compiled = compileProject(loadProject(dir));
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const tables = await listTables(repo, ref);
  const only = node
    ? new Set(selectNodes(compiled.graph, { select: [`+${node}+`] }).map((n) => n.uniqueId))
    : undefined;
  let lineage = await withDuck({}, (duck) => projectLineage(compiled, duck, tables));
  if (only) {
    lineage = {
      nodes: lineage.nodes.filter((n) => only.has(n.id)),
      edges: lineage.edges.filter(([a, b]) => only.has(a) && only.has(b)),
      columns: Object.fromEntries(Object.entries(lineage.columns).filter(([id]) => only.has(id))),
    };
  }
  printLineage(ctx, lineageJson(ref, lineage), opts.dot);
  return 0;
}

/** What both the local and the remote command print (remote/lineage.ts). */
export function printLineage(
  ctx: CommandContext,
  doc: LineageJson,
  dot: boolean | undefined,
): void {
  const { lineage } = lineageFromJson(doc);
  if (dot && !ctx.globals.json) {
    ctx.out.block(toDot(lineage));
    return;
  }
  ctx.out.result(doc, () => {
    const name = new Map(lineage.nodes.map((n) => [n.id, `${n.kind} ${n.name}`]));
    for (const n of lineage.nodes) {
      const from = lineage.edges.filter(([, b]) => b === n.id).map(([a]) => name.get(a) ?? a);
      ctx.out.line(`${n.kind} ${n.name}${from.length ? `  ← ${from.join(', ')}` : ''}`);
      const cols = lineage.columns[n.id];
      if (!cols) continue;
      for (const [col, srcs] of Object.entries(cols.columns))
        ctx.out.line(
          `    ${col}  ← ${srcs.length ? srcs.map((s) => `${s.relation}.${s.column}`).join(', ') : '(computed)'}`,
        );
      for (const u of cols.unresolved) ctx.out.line(`    ${u.column}  ? ${u.reason}`);
    }
  });
}
