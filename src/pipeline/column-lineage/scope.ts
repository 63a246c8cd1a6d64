// What the lineage walk knows about columns: a column and the input columns it comes from, the
// relations of a FROM clause as a query sees them, scopes (correlated subqueries see their
// enclosing query's), CTEs, and resolving a column reference the way DuckDB's binder does —
// case-insensitively, innermost scope first, USING columns merged.
import type { ColumnSource } from '../column-lineage.js';
import { lower } from './parse-tree.js';

/** A column of some relation or query output: where its values come from, and what could not be traced. */
export interface Col {
  name: string;
  /** `relation \0 column` → the input column. */
  src: ReadonlyMap<string, ColumnSource>;
  /** Why some of its sources are unknown (empty when fully traced). */
  why: ReadonlySet<string>;
}

/** Sources and reasons being gathered for one expression (or one subquery). */
export interface Acc {
  src: Map<string, ColumnSource>;
  why: Set<string>;
}

export interface Unresolved {
  column: string;
  reason: string;
}

/** What a query produces: its columns in order, and stars whose columns are unknown. */
export interface QueryOutput {
  cols: Col[];
  opaque: Unresolved[];
}

/** A relation in a FROM clause, as the query sees it. */
export interface Binding {
  /** What qualifies its columns: the alias, else the table (CTE, function) name. */
  name: string;
  /** For a table named with a schema (`main.t`): `main`. */
  schema: string;
  cols: Col[];
  /** Set when the relation's columns are not (all) known: why. */
  opaque?: string;
}

/** A column merged by JOIN … USING or NATURAL JOIN: one column, from every side. */
export interface UsingGroup {
  name: string;
  col: Col;
  members: { binding: Binding; index: number }[];
}

export interface Scope {
  bindings: Binding[];
  using: UsingGroup[];
  /** The enclosing query's scope (correlated subqueries) or, for a derived table, the FROM items to its left. */
  parent: Scope | undefined;
  /** Select-list aliases, usable by later select items, WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY. */
  aliases: Col[];
}

export class CteEnv {
  private readonly ctes = new Map<string, QueryOutput>();
  constructor(private readonly parent: CteEnv | undefined) {}
  get(name: string): QueryOutput | undefined {
    return this.ctes.get(lower(name)) ?? this.parent?.get(name);
  }
  set(name: string, out: QueryOutput): void {
    this.ctes.set(lower(name), out);
  }
}

export const sourceKey = (s: ColumnSource): string => `${s.relation}\u0000${s.column}`;

export function sortedSources(src: ReadonlyMap<string, ColumnSource>): ColumnSource[] {
  return [...src.values()].sort((a, b) =>
    a.relation === b.relation ? compare(a.column, b.column) : compare(a.relation, b.relation),
  );
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const newAcc = (): Acc => ({ src: new Map(), why: new Set() });

export function mergeInto(
  acc: Acc,
  col: { src: ReadonlyMap<string, ColumnSource>; why: ReadonlySet<string> },
): void {
  for (const [k, v] of col.src) acc.src.set(k, v);
  for (const w of col.why) acc.why.add(w);
}

export function merged(name: string, cols: readonly Col[], extraWhy?: string): Col {
  const acc = newAcc();
  for (const c of cols) mergeInto(acc, c);
  if (extraWhy !== undefined) acc.why.add(extraWhy);
  return { name, src: acc.src, why: acc.why };
}

export const unknownCol = (name: string, why: string): Col => ({
  name,
  src: new Map(),
  why: new Set([why]),
});

/** DuckDB's names for duplicate columns of a table or subquery: `a`, `a_1`, `a_2` (case-insensitive). */
export function dedupeNames(cols: readonly Col[]): Col[] {
  const taken = new Set<string>();
  return cols.map((col) => {
    let name = col.name;
    for (let k = 1; taken.has(lower(name)); k++) name = `${col.name}_${k}`;
    taken.add(lower(name));
    return name === col.name ? col : { ...col, name };
  });
}

/** `from t as x(p, q)`: renames the first columns. */
export function renameColumns(cols: readonly Col[], aliases: readonly string[]): Col[] {
  return cols.map((col, i) => {
    const alias = aliases[i];
    return alias !== undefined && alias !== '' ? { ...col, name: alias } : col;
  });
}

const refText = (parts: readonly string[]): string => parts.join('.');

/** The column names an unqualified `*` over these relations shows (USING columns once). */
export function visibleNames(bindings: readonly Binding[], scope: Scope): string[] {
  return expandStar(bindings, scope).map((c) => c.name);
}

/** `*` over these relations, in order; a USING column where its first side has it. */
export function expandStar(bindings: readonly Binding[], scope: Scope): Col[] {
  const out: Col[] = [];
  for (const binding of bindings) {
    binding.cols.forEach((col, index) => {
      const group = scope.using.find((g) =>
        g.members.some((m) => m.binding === binding && m.index === index),
      );
      if (group === undefined) out.push(col);
      else if (group.members[0]?.binding === binding && group.members[0].index === index) {
        out.push(group.col);
      }
    });
  }
  return out;
}

/**
 * A column ref, resolved as DuckDB's binder would: the relations of this scope (USING columns
 * first), select-list aliases, then enclosing scopes; `a.b` is relation a's column b, else
 * column a's struct field b. Returns the column and the name DuckDB gives the ref as a select item.
 */
export function resolveColumn(
  parts: readonly string[],
  scope: Scope,
  preferAliases: boolean,
): { col: Col; name: string } {
  const text = refText(parts);
  const last = parts[parts.length - 1] ?? '';
  const head = parts[0] ?? '';
  if (preferAliases && parts.length === 1) {
    const alias = scope.aliases.find((c) => lower(c.name) === lower(head));
    if (alias !== undefined) return { col: alias, name: alias.name };
  }
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    // Qualified: [schema.]relation.column[.field…]
    for (let k = 1; k < parts.length && k <= 3; k++) {
      const relation = lower(parts[k - 1] as string);
      const schema = k >= 2 ? lower(parts[k - 2] as string) : '';
      const binding = s.bindings.find(
        (b) =>
          lower(b.name) === relation &&
          (schema === '' || b.schema === '' || lower(b.schema) === schema),
      );
      if (binding === undefined) continue;
      const column = parts[k] as string;
      const col = binding.cols.find((c) => lower(c.name) === lower(column));
      if (col !== undefined) {
        return { col, name: k + 1 === parts.length ? col.name : last };
      }
      const why =
        binding.opaque !== undefined
          ? `${text}: ${binding.opaque}`
          : `${text}: "${binding.name}" has no column "${column}"`;
      return { col: unknownCol(last, why), name: last };
    }
    // Unqualified, or a struct field of an unqualified column.
    const found = unqualified(head, s, s === scope && !preferAliases);
    if (found !== undefined) {
      return { col: found, name: parts.length === 1 ? found.name : last };
    }
    const opaque = s.bindings.filter((b) => b.opaque !== undefined);
    if (opaque.length > 0) {
      const why = opaque.map((b) => `${b.name}: ${b.opaque}`).join('; ');
      return { col: unknownCol(last, `${text} may come from ${why}`), name: last };
    }
  }
  return { col: unknownCol(last, `${text}: no such column in scope`), name: last };
}

function unqualified(name: string, scope: Scope, withAliases: boolean): Col | undefined {
  const key = lower(name);
  const group = scope.using.find((g) => lower(g.name) === key);
  if (group !== undefined) return group.col;
  const matches: { binding: Binding; col: Col }[] = [];
  for (const binding of scope.bindings) {
    for (const col of binding.cols) {
      if (lower(col.name) === key) matches.push({ binding, col });
    }
  }
  const only = matches[0];
  if (matches.length === 1 && only !== undefined) return only.col;
  if (matches.length > 1) {
    const from = matches.map((m) => m.binding.name).join(', ');
    return merged(
      only?.col.name ?? name,
      matches.map((m) => m.col),
      `${name} is ambiguous (${from})`,
    );
  }
  if (withAliases) return scope.aliases.find((c) => lower(c.name) === key);
  return undefined;
}
