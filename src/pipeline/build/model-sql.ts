// The SQL a model runs in the end and the tables it reads: its ephemeral models inlined as CTEs,
// so what a model reads through an ephemeral is its own input (fingerprints, lineage).
import type { CompiledModel, CompiledProject } from '../graph.js';
import { ephemeralsRead } from '../graph.js';
import { stripSemicolon, withEphemerals } from '../render.js';

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
export function tablesRead(compiled: CompiledProject, m: CompiledModel): string[] {
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
