// What makes a build's output the same as an earlier one: content versions of tables, and the
// fingerprints of seeds and models (memoization, build.ts step 3). A model's fingerprint covers
// its final SQL (ephemerals inlined), its config and the content version of every table it reads.
import { sha256Hex as sha } from '../../common/hash.js';
import type { DuckSession } from '../../engine/duckdb.js';
import type { TableAtRef } from '../../engine/tables.js';
import { tablesReferenced } from '../column-lineage.js';
import type { CompiledModel, CompiledProject } from '../graph.js';
import type { Project } from '../project.js';
import { tablesRead } from './model-sql.js';
import type { TableLookup } from './table-lookup.js';

/** A digest of a model's resolved config (tags in any order are the same config). */
export const configDigest = (m: CompiledModel): string =>
  sha(JSON.stringify({ ...m.config, tags: [...m.config.tags].sort() }));

/** A digest of every project file (what `code fingerprint` names in the commit). */
export function codeFingerprint(project: Project): string {
  return sha(JSON.stringify([...project.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * A table's content version: its manifest and its files' contents, by address. A file's name is
 * left out (each write names its files after its run) but not its folder, which holds the
 * partition values: a model rebuilt to the same bytes keeps its version, and what reads it is
 * reused.
 */
export const versionOf = (t: TableAtRef | undefined): string =>
  t
    ? sha(
        JSON.stringify([
          t.manifestEntry.address,
          ...t.files
            .map((f) => `${f.path.slice(0, f.path.lastIndexOf('/') + 1)}:${f.address}`)
            .sort(),
        ]),
      )
    : 'absent';

/**
 * The content version of a table a model reads. A stored view holds no data: its version is its
 * definition's and the versions of what it reads (when a model of the project builds it), so a
 * change upstream of a view reaches the models downstream of it.
 */
export async function inputVersion(
  compiled: CompiledProject,
  table: string,
  tableAt: TableLookup,
  seen: Set<string> = new Set(),
): Promise<string> {
  const t = await tableAt.at(table);
  if (!t?.manifest.view || seen.has(table)) return versionOf(t);
  const model = [...compiled.models.values()].find(
    (x) => x.table === table && x.config.materialized === 'view',
  );
  if (!model) return versionOf(t);
  const deps: string[] = [];
  for (const d of tablesRead(compiled, model))
    deps.push(`${d}=${await inputVersion(compiled, d, tableAt, new Set([...seen, table]))}`);
  return sha(JSON.stringify([versionOf(t), ...deps]));
}

/** A seed's fingerprint: its name and its file's text. */
export const seedFingerprint = (name: string, text: string): string =>
  sha(JSON.stringify({ seed: 'v1', name, text }));

/**
 * A model's fingerprint: the SQL it runs, its config and table, the content version of every
 * table it reads and, for an incremental run, of the table it adds to (`appendsTo`).
 */
export async function modelFingerprint(
  compiled: CompiledProject,
  m: CompiledModel,
  sql: string,
  ctx: { tables: TableLookup; duck: DuckSession; appendsTo?: TableAtRef | undefined },
): Promise<string> {
  const inputs: Record<string, string> = {};
  for (const t of tablesRead(compiled, m)) inputs[t] = await inputVersion(compiled, t, ctx.tables);
  // Tables the SQL names directly (not through ref() or source()) are inputs too: a reused
  // output must never hide a change to them. (SQL DuckDB cannot parse fails later, named.)
  const named = await tablesReferenced(ctx.duck, sql).catch(() => [] as string[]);
  for (const t of named) {
    if (Object.keys(inputs).some((k) => k.toLowerCase() === t) || t === m.table.toLowerCase())
      continue;
    if (await ctx.tables.at(t)) inputs[t] = await inputVersion(compiled, t, ctx.tables);
  }
  return sha(
    JSON.stringify({
      model: 'v1',
      sql,
      config: configDigest(m),
      table: m.table,
      inputs,
      incremental: ctx.appendsTo ? versionOf(ctx.appendsTo) : null,
    }),
  );
}
