// "This ref reads exactly its commit": the commit whose data a read at a ref sees, and whether
// that is all it sees. A commit or a tag always reads exactly its commit; a branch (or an alias
// of one) does only while it has no uncommitted changes under the prefix read. Verdicts and
// profiles are recorded against a commit only when the data they measured was exactly it.
import type { Repository } from '../core/repository.js';
import { TABLES_PREFIX } from '../engine/tables.js';

export interface DataAtRef {
  /** The commit `ref` resolves to. */
  commit: string;
  /** Nothing uncommitted under the prefix: a read at `ref` sees exactly `commit`'s data. */
  exact: boolean;
}

/** What a read of `table` (every table when omitted) at `ref` sees. */
export async function dataAtRef(repo: Repository, ref: string, table?: string): Promise<DataAtRef> {
  const r = await repo.resolve(ref);
  if (r.kind !== 'branch' && r.kind !== 'alias') return { commit: r.commit, exact: true };
  const prefix = table === undefined ? TABLES_PREFIX : `${TABLES_PREFIX}${table}/`;
  for await (const _ of repo.status(r.branch.name, { prefix }))
    return { commit: r.commit, exact: false };
  return { commit: r.commit, exact: true };
}

/** Does a read at `ref` see exactly `commit`'s tables (the ref still there, nothing staged)? */
export async function readsExactly(
  repo: Repository,
  ref: string,
  commit: string,
): Promise<boolean> {
  const d = await dataAtRef(repo, ref);
  return d.exact && d.commit === commit;
}
