// Ephemeral models are never written: a query that reads one gets it inlined as a CTE, with the
// ephemerals it reads in turn.
import type { CompiledModel } from '../graph.js';

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
