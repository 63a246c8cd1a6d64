// The tables on a build's run branch, each read once. Only the build writes there, and every write
// it makes forgets the table written, so a lookup never returns a stale version.
import type { Repository } from '../../core/repository.js';
import { getTable, type TableAtRef } from '../../engine/tables.js';

export interface TableLookup {
  /** The table as the run branch holds it now (undefined: no such table). */
  at(name: string): Promise<TableAtRef | undefined>;
  /** Drops what is known of a table just written, so the next lookup reads it again. */
  forget(name: string): void;
}

export function tableLookup(repo: Repository, branch: string): TableLookup {
  const known = new Map<string, Promise<TableAtRef | undefined>>();
  return {
    at(name) {
      let t = known.get(name);
      if (!t) {
        t = getTable(repo, branch, name).catch((err) => {
          if ((err as { code?: string }).code === 'TableNotFoundError') return undefined;
          throw err;
        });
        known.set(name, t);
      }
      return t;
    },
    forget(name) {
      known.delete(name);
    },
  };
}
