// What a write replaces: an overwrite, every file of the table; an upsert, the existing files that
// hold one of the input's keys, rewritten without those rows.
import { join } from 'node:path';
import type { TreeEntry } from '../../core/entry.js';
import { type DuckSession, sqlIdent, sqlList, sqlString } from '../../engine/duckdb.js';
import type { ObjectCache } from '../../engine/object-cache.js';
import { type Column, ROWS_METADATA, tablePrefix } from '../../engine/tables.js';
import { findColumn } from '../schema.js';
import { cacheOf, type IngestState } from './state.js';
import type { Output } from './table-files.js';

/** The files the write removes, and the rewritten files an upsert adds to the outputs. */
export async function planReplacement(s: IngestState): Promise<void> {
  const { existing, opts } = s;
  if (existing && s.mode === 'overwrite') {
    s.remove.push(...existing.files.map((f) => f.path));
    s.rowsReplaced = existing.files.reduce((n, f) => n + Number(f.metadata[ROWS_METADATA] ?? 0), 0);
  }
  if (existing && s.mode === 'upsert' && s.outputs.length > 0 && existing.files.length > 0) {
    const r = await rewriteForUpsert(
      s.duck,
      cacheOf(s),
      s.table,
      existing.files,
      s.outputs,
      s.key as string[],
      s.columns,
      s.tmp,
      (done, total) => opts.onProgress?.({ phase: 'rewrite', done, total }),
    );
    s.remove.push(...r.removed);
    s.outputs.push(...r.rewritten);
    s.rowsReplaced = r.rowsReplaced;
  }
}

/**
 * Upsert: the existing files holding one of the input's keys are rewritten without those rows;
 * all other files are left as they are (shared with the previous commit).
 */
async function rewriteForUpsert(
  duck: DuckSession,
  cache: ObjectCache,
  table: string,
  files: TreeEntry[],
  outputs: { path: string }[],
  key: string[],
  columns: Column[],
  tmp: string,
  progress: (done: number, total: number) => void,
): Promise<{
  removed: string[];
  rewritten: Output[];
  rowsReplaced: number;
}> {
  const local = new Map<string, TreeEntry>();
  for (const f of files) local.set(await cache.fileFor(f), f);
  const incoming = `read_parquet(${sqlList(outputs.map((o) => o.path))})`;
  const on = key.map((k) => `f.${sqlIdent(k)} IS NOT DISTINCT FROM n.${sqlIdent(k)}`).join(' AND ');
  const hit = await duck.query(
    `SELECT f.filename AS file, count(*) AS n FROM read_parquet(${sqlList([...local.keys()])}, filename = true, union_by_name = true) f ` +
      `SEMI JOIN ${incoming} n ON ${on} GROUP BY f.filename`,
  );
  const removed: string[] = [];
  const rewritten: Output[] = [];
  let rowsReplaced = 0;
  let done = 0;
  for (const row of hit.rows) {
    const file = String(row.file);
    const entry = local.get(file);
    if (!entry) continue;
    rowsReplaced += Number(row.n);
    const have = await duck.describe(`SELECT * FROM read_parquet(${sqlString(file)})`);
    const projection = columns
      .map((c) =>
        findColumn(have, c.name)
          ? `CAST(f.${sqlIdent(c.name)} AS ${c.type}) AS ${sqlIdent(c.name)}`
          : `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`,
      )
      .join(', ');
    const out = join(tmp, `rewrite-${done}.parquet`);
    await duck.run(
      `COPY (SELECT ${projection} FROM read_parquet(${sqlString(file)}) f ANTI JOIN ${incoming} n ON ${on}) ` +
        `TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const r = await duck.query(`SELECT num_rows FROM parquet_file_metadata(${sqlString(out)})`);
    const rows = Number(r.rows[0]?.num_rows ?? 0);
    removed.push(entry.path);
    // The rows left keep their partition: the rewritten file goes where the old one was.
    const rel = entry.path.slice(tablePrefix(table).length);
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : undefined;
    if (rows > 0) rewritten.push({ path: out, rows, ...(dir ? { dir } : {}) });
    progress(++done, hit.rows.length);
  }
  return { removed, rewritten, rowsReplaced };
}
