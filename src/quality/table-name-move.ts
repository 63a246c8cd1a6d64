// Table names are unique regardless of case on every head move, not only on the writes that
// stage a manifest (engine/tables.ts's checkTableNameFree): a merge, revert, cherry-pick or reset
// that would bring `Orders` beside `orders` — each ingested on a branch of its own — is refused
// before its compare-and-swap, so no branch ever holds both and every query on it keeps working.
import { TableNameConflictError } from '../common/errors.js';
import type { Repository } from '../core/repository.js';
import type { HeadMove } from '../core/write-policy.js';

/** Refuses `move` when a table it adds shares its name, but for case, with another at `to`. */
export async function checkMoveTableNames(repo: Repository, move: HeadMove): Promise<void> {
  const { TABLES_PREFIX, manifestTableOf, checkTableNameFree } = await import(
    '../engine/tables.js'
  );
  const added: string[] = [];
  for await (const c of repo.diff(move.from, move.to, { prefix: TABLES_PREFIX })) {
    const name = c.type === 'added' ? manifestTableOf(c.path) : undefined;
    if (name !== undefined) added.push(name);
  }
  for (const name of added) {
    try {
      await checkTableNameFree(repo, move.to, name);
    } catch (err) {
      if (!(err instanceof TableNameConflictError)) throw err;
      const { existing } = err.data;
      throw new TableNameConflictError(
        `${move.op} into ${move.branch} would bring table ${name} beside table ${existing}: table names are unique regardless of case (SQL reads both as ${name.toLowerCase()}) — rename one on its branch first`,
        { table: name, existing, ref: move.branch },
      );
    }
  }
}
