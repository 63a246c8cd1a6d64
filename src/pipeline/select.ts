// Node selection, as dbt users write it: `--select` takes selectors separated by spaces (a union;
// the option may repeat), a comma inside one selector intersects (`tag:finance,marts`).
//
//   orders           the node named orders        +orders    it and everything upstream
//   orders+          it and everything downstream 2+orders   it and two generations up
//   tag:finance      nodes with the tag           path:models/marts   nodes under the path
//   exposure:weekly  the exposure (+exposure:weekly: what it depends on)
//   state:modified   models new or changed since the state ref's last build (state:modified+)
//
// Tests follow the models they test: a test is selected with any node it tests (dbt's "eager"
// indirect selection), unless the selection names tests itself.
import { InvalidArgumentError } from '../common/errors.js';
import { childMap } from './graph.js';
import type { GraphNode, ProjectGraph } from './types.js';

export interface SelectOptions {
  select?: string[];
  exclude?: string[];
  /** Models whose compiled SQL or config differ from the state build (or are new). */
  modified?: Set<string>;
}

function walk(start: string[], next: (id: string) => string[], depth: number): Set<string> {
  const out = new Set<string>(start);
  let frontier = start;
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const nextFrontier: string[] = [];
    for (const id of frontier)
      for (const n of next(id))
        if (!out.has(n)) {
          out.add(n);
          nextFrontier.push(n);
        }
    frontier = nextFrontier;
  }
  return out;
}

function matchAtom(graph: ProjectGraph, atom: string, modified?: Set<string>): string[] {
  const nodes = [...graph.nodes.values()];
  const colon = atom.indexOf(':');
  const method = colon > 0 ? atom.slice(0, colon) : '';
  const value = colon > 0 ? atom.slice(colon + 1) : atom;
  const bad = (reason: string): never => {
    throw new InvalidArgumentError(`selector ${JSON.stringify(atom)}: ${reason}`, {
      argument: 'select',
      reason,
    });
  };
  const pick = (f: (n: GraphNode) => boolean): string[] => nodes.filter(f).map((n) => n.uniqueId);
  switch (method) {
    case '': {
      const hit = pick(
        (n) =>
          n.kind !== 'test' &&
          (n.name === value ||
            n.uniqueId === value ||
            (n.kind === 'source' && `${String(n.meta.source)}.${n.name}` === value)),
      );
      // A test by its name (`not_null(order_id)`), its id or its check's id (`orders.id.unique`).
      const tests =
        hit.length === 0
          ? pick(
              (n) =>
                n.kind === 'test' &&
                (n.name === value || n.uniqueId === value || n.meta.check === value),
            )
          : [];
      if (hit.length === 0 && tests.length === 0) bad('no node of that name');
      return [...hit, ...tests];
    }
    case 'tag':
      return pick((n) => n.tags.includes(value));
    case 'path': {
      const prefix = value.replace(/\/+$/, '');
      return pick(
        (n) => n.path !== undefined && (n.path === prefix || n.path.startsWith(`${prefix}/`)),
      );
    }
    case 'exposure':
      return pick((n) => n.kind === 'exposure' && (n.name === value || value === '*'));
    case 'source':
      return pick(
        (n) =>
          n.kind === 'source' &&
          (String(n.meta.source) === value || `${String(n.meta.source)}.${n.name}` === value),
      );
    case 'resource_type':
      return pick((n) => n.kind === value);
    case 'test_type':
      // dbt's test types: generic (from a properties file) or singular (tests/*.sql).
      if (value === 'generic' || value === 'schema')
        return pick((n) => n.kind === 'test' && n.meta.singular !== true);
      if (value === 'singular' || value === 'data')
        return pick((n) => n.kind === 'test' && n.meta.singular === true);
      if (value === 'unit') return [];
      return bad('test_type is generic or singular');
    case 'state':
      if (value !== 'modified') bad('only state:modified is known');
      if (!modified) bad('state:modified needs --state REF');
      return pick((n) => n.kind === 'model' && (modified as Set<string>).has(n.uniqueId));
    default:
      return bad(
        `unknown method ${method} (known: tag, path, exposure, source, resource_type, test_type, state)`,
      );
  }
}

/** The ids one selector names (with its graph operators). */
function matchSelector(
  graph: ProjectGraph,
  selector: string,
  parents: (id: string) => string[],
  children: (id: string) => string[],
  modified?: Set<string>,
): Set<string> {
  let out: Set<string> | undefined;
  for (const part of selector.split(',')) {
    // A depth is only a depth next to its `+`: `stg_orders_v2` is a name, `2+orders` a depth.
    const m = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/.exec(part.trim());
    if (!m?.[2])
      throw new InvalidArgumentError(`selector ${JSON.stringify(selector)} is empty`, {
        argument: 'select',
        reason: 'empty',
      });
    const [, upN, atom, downN] = m as unknown as (string | undefined)[];
    const base = matchAtom(graph, atom as string, modified);
    let ids = new Set(base);
    if (upN !== undefined)
      for (const x of walk(base, parents, upN ? Number(upN) : Infinity)) ids.add(x);
    if (downN !== undefined)
      for (const x of walk(base, children, downN ? Number(downN) : Infinity)) ids.add(x);
    if (out === undefined) out = ids;
    else {
      const prev: Set<string> = out;
      ids = new Set([...ids].filter((x) => prev.has(x)));
      out = ids;
    }
  }
  return out ?? new Set();
}

/** The nodes to run, in the graph's order. No selection selects everything. */
export function selectNodes(graph: ProjectGraph, opts: SelectOptions = {}): GraphNode[] {
  const kids = childMap(graph);
  const parents = (id: string) => graph.nodes.get(id)?.dependsOn ?? [];
  const children = (id: string) => kids.get(id) ?? [];
  const split = (xs: string[] | undefined) =>
    (xs ?? []).flatMap((x) => x.split(/\s+/)).filter((x) => x.length > 0);
  const select = split(opts.select);
  const exclude = split(opts.exclude);
  let chosen = new Set<string>();
  if (select.length === 0) chosen = new Set(graph.nodes.keys());
  else
    for (const s of select)
      for (const id of matchSelector(graph, s, parents, children, opts.modified)) chosen.add(id);
  const namesTests = select.some((s) => /^[+\d]*test_type:|^[+\d]*resource_type:test/.test(s));
  if (!namesTests) {
    for (const n of graph.nodes.values())
      if (n.kind === 'test' && n.dependsOn.some((d) => chosen.has(d))) chosen.add(n.uniqueId);
  }
  const excluded = new Set<string>();
  for (const s of exclude)
    for (const id of matchSelector(graph, s, parents, children, opts.modified)) excluded.add(id);
  // Tests of an excluded node go with it.
  for (const n of graph.nodes.values())
    if (
      n.kind === 'test' &&
      n.dependsOn.some((d) => excluded.has(d) && graph.nodes.get(d)?.kind !== 'test')
    )
      excluded.add(n.uniqueId);
  return [...graph.nodes.values()].filter(
    (n) => chosen.has(n.uniqueId) && !excluded.has(n.uniqueId),
  );
}
