// The build's output memo: what a fingerprint built (the table's manifest and files), kept in the
// MetaStore's `build_memo`, and staged again on the run branch when a later build has the same
// fingerprint — `Repository.putEntries`, zero-copy: a reused output has the same addresses as the
// build that produced it.
import type { TreeEntry } from '../../core/entry.js';
import type { Repository } from '../../core/repository.js';
import type { Column, TableAtRef } from '../../engine/tables.js';
import type { Execution } from './context.js';

/** What a fingerprint built: the table's entries (manifest and files), staged again on reuse. */
interface MemoRecord {
  table: string;
  entries: TreeEntry[];
  rows?: number;
  columns: Column[];
}

/** Bytes of a table's files (what a result reports as written or reused). */
export const bytesOf = (t: TableAtRef): number => t.files.reduce((n, f) => n + f.size, 0);

/**
 * Stages a memoized output of `fingerprint` as `table` on the run branch (zero-copy; nothing to
 * do when the branch already holds exactly it) and refreshes the session's view of it. Undefined
 * when there is no memo, or its files were collected since (gc): then the node is built again.
 */
export async function reuseMemo(
  x: Execution,
  table: string,
  fingerprint: string,
  current: TableAtRef | undefined,
): Promise<{ memo: MemoRecord; t: TableAtRef } | undefined> {
  const { repo, runBranch: branch } = x;
  const rec = await repo.meta.getMemo(repo.name, fingerprint);
  if (!rec) return undefined;
  const memo = JSON.parse(rec.data) as MemoRecord;
  const want = new Map(memo.entries.map((e) => [e.path, e]));
  const have = new Map(
    current ? [current.manifestEntry, ...current.files].map((e) => [e.path, e]) : [],
  );
  const same =
    want.size === have.size &&
    [...want].every(([path, e]) => have.get(path)?.address === e.address);
  if (!same) {
    try {
      await repo.putEntries(branch, memo.entries, {
        remove: [...have.keys()].filter((path) => !want.has(path)),
      });
      x.tables.forget(table);
    } catch (err) {
      if ((err as { code?: string }).code === 'ObjectNotFoundError') return undefined;
      throw err;
    }
  }
  const t = (await x.tables.at(table)) as TableAtRef;
  await x.session.refreshTable(branch, table, t);
  return { memo, t };
}

/**
 * After a write: the table read again, remembered under the fingerprint that built it, and the
 * session's view of it refreshed.
 */
export async function rememberWritten(
  x: Execution,
  table: string,
  fingerprint: string,
  rows: number | undefined,
): Promise<TableAtRef> {
  x.tables.forget(table);
  const t = (await x.tables.at(table)) as TableAtRef;
  await remember(x.repo, fingerprint, t, rows);
  await x.session.refreshTable(x.runBranch, table, t);
  return t;
}

async function remember(
  repo: Repository,
  fingerprint: string,
  t: TableAtRef,
  rows: number | undefined,
): Promise<void> {
  const memo: MemoRecord = {
    table: t.name,
    entries: [t.manifestEntry, ...t.files],
    ...(rows !== undefined ? { rows } : {}),
    columns: t.manifest.columns,
  };
  await repo.meta.putMemo(repo.name, {
    fingerprint,
    createdAt: new Date(),
    data: JSON.stringify(memo),
  });
}
