// What a table is in a repository, as far as reading goes: the Parquet files under
// `tables/<name>/` at a ref, plus the table manifest `tables/<name>/_sluice_table.json` (columns,
// primary key, partitioning) stored in the same commit. The manifest makes a table a table: a
// folder of Parquet files without one is just files. Files whose name starts with `_` or `.` are
// not data (the Hive/Spark convention), so any Parquet engine can read the folder as it is.
import * as z from 'zod';
import {
  IntegrityError,
  InvalidNameError,
  PathNotFoundError,
  TableNameConflictError,
  TableNotFoundError,
} from '../common/errors.js';
import type { TreeEntry } from '../core/entry.js';
import type { Repository } from '../core/repository.js';

export const TABLES_PREFIX = 'tables/';
export const MANIFEST_FILE = '_sluice_table.json';
/** Entry metadata holding a data file's row count. */
export const ROWS_METADATA = 'sluice.rows';

export const tablePrefix = (name: string): string => `${TABLES_PREFIX}${name}/`;

/** The table a repository path lies in (`tables/<name>/…`), or undefined outside any table. */
export function tableNameOf(path: string): string | undefined {
  if (!path.startsWith(TABLES_PREFIX)) return undefined;
  const rest = path.slice(TABLES_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : undefined;
}
export const manifestPath = (name: string): string => `${tablePrefix(name)}${MANIFEST_FILE}`;

/** The table whose manifest `path` is (`tables/<name>/_sluice_table.json`), else undefined. */
export function manifestTableOf(path: string): string | undefined {
  const name = tableNameOf(path);
  return name !== undefined && path === manifestPath(name) ? name : undefined;
}

/** Table names are SQL identifiers, so that `SELECT * FROM orders` works without quoting. */
export function parseTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    throw new InvalidNameError(
      `invalid table name ${JSON.stringify(name)}: use letters, digits and _ (not first a digit), at most 128`,
      { name, kind: 'table', reason: 'not an identifier' },
    );
  }
  return name;
}

/**
 * Refuses to create table `name` at `ref` (a branch: its staged writes count) when a table of
 * another spelling of it is there — `Orders` where `orders` is: table names are unique regardless
 * of case, as SQL identifiers are. TableNameConflictError names both spellings. Looks at the
 * folders under `tables/` (one listing of names, not of files) and their manifests only.
 */
export async function checkTableNameFree(
  repo: Repository,
  ref: string,
  name: string,
): Promise<void> {
  const key = name.toLowerCase();
  for await (const item of repo.list(ref, { prefix: TABLES_PREFIX, delimiter: '/' })) {
    if (item.type !== 'prefix') continue;
    const other = item.path.slice(TABLES_PREFIX.length, -1);
    if (other === name || other.toLowerCase() !== key) continue;
    try {
      await repo.stat(ref, manifestPath(other));
    } catch (err) {
      if (err instanceof PathNotFoundError) continue; // files, not a table
      throw err;
    }
    throw new TableNameConflictError(
      `table ${name} would clash with table ${other} on ${ref}: table names are unique regardless of case (SQL reads both as ${key}) — write to ${other}, or choose another name`,
      { table: name, existing: other, ref },
    );
  }
}

export const ColumnSchema = z.object({ name: z.string().min(1), type: z.string().min(1) });
export type Column = z.infer<typeof ColumnSchema>;

export const TableManifestSchema = z
  .object({
    format: z.literal('sluice.table/v1'),
    name: z.string(),
    columns: z.array(ColumnSchema),
    primaryKey: z.array(z.string()).optional(),
    partitionBy: z.array(z.string()).optional(),
    /**
     * A stored view (a pipeline's `view` model): no files, the query every SQL surface runs in
     * the table's place. Relations in it are bare names, resolved in the ref it is read at.
     */
    view: z
      .object({ sql: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type TableManifest = z.infer<typeof TableManifestSchema>;

export function encodeManifest(m: TableManifest): Uint8Array {
  const ordered: TableManifest = {
    format: m.format,
    name: m.name,
    columns: m.columns.map((c) => ({ name: c.name, type: c.type })),
    ...(m.primaryKey?.length ? { primaryKey: m.primaryKey } : {}),
    ...(m.partitionBy?.length ? { partitionBy: m.partitionBy } : {}),
    ...(m.view ? { view: { sql: m.view.sql } } : {}),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`);
}

export function decodeManifest(bytes: Uint8Array, where: string): TableManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new IntegrityError(`table manifest ${where} is not JSON: ${(err as Error).message}`, {
      path: where,
    });
  }
  const r = TableManifestSchema.safeParse(parsed);
  if (!r.success) {
    throw new IntegrityError(`table manifest ${where} is invalid: ${r.error.issues[0]?.message}`, {
      path: where,
    });
  }
  return r.data;
}

/** A table at a ref: its manifest and its data files in path order. */
export interface TableAtRef {
  name: string;
  manifest: TableManifest;
  manifestEntry: TreeEntry;
  files: TreeEntry[];
}

const isDataFile = (path: string): boolean => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return !base.startsWith('_') && !base.startsWith('.') && base.endsWith('.parquet');
};

export function fileRows(e: TreeEntry): number | undefined {
  const v = e.metadata[ROWS_METADATA];
  return v === undefined ? undefined : Number(v);
}

/** Every table at a ref, by name (one scan of `tables/`). */
export async function listTables(repo: Repository, ref: string): Promise<Map<string, TableAtRef>> {
  const byName = new Map<string, { manifest?: TreeEntry; files: TreeEntry[] }>();
  for await (const item of repo.list(ref, { prefix: TABLES_PREFIX })) {
    if (item.type !== 'object') continue;
    const name = tableNameOf(item.entry.path);
    if (name === undefined) continue;
    let t = byName.get(name);
    if (!t) {
      t = { files: [] };
      byName.set(name, t);
    }
    if (item.entry.path === manifestPath(name)) t.manifest = item.entry;
    else if (isDataFile(item.entry.path)) t.files.push(item.entry);
  }
  const out = new Map<string, TableAtRef>();
  for (const [name, t] of byName) {
    if (!t.manifest) continue;
    const manifest = decodeManifest(await repo.getObject(ref, t.manifest.path), t.manifest.path);
    out.set(name, { name, manifest, manifestEntry: t.manifest, files: t.files });
  }
  return out;
}

/** One table at a ref; TableNotFoundError when the ref has no such table. */
export async function getTable(repo: Repository, ref: string, name: string): Promise<TableAtRef> {
  parseTableName(name);
  const prefix = tablePrefix(name);
  let manifestEntry: TreeEntry | undefined;
  const files: TreeEntry[] = [];
  for await (const item of repo.list(ref, { prefix })) {
    if (item.type !== 'object') continue;
    if (item.entry.path === manifestPath(name)) manifestEntry = item.entry;
    else if (isDataFile(item.entry.path)) files.push(item.entry);
  }
  if (!manifestEntry) {
    throw new TableNotFoundError(`table ${name} not found at ${ref}`, { table: name, ref });
  }
  const manifest = decodeManifest(
    await repo.getObject(ref, manifestEntry.path),
    manifestEntry.path,
  );
  return { name, manifest, manifestEntry, files };
}
