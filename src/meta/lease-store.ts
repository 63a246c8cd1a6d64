// LeaseStore: a leader lease for work only one process sharing a metadata database may do at a
// time (the server's scheduler, its periodic GC). On PostgreSQL a session advisory lock held on a
// connection of its own (postgres-lease-store.ts): it goes with the connection, so a holder that
// dies — killed, crashed, cut off — frees it at once, and another replica takes over. On SQLite a
// lock in this process only: one directory, one server (two servers on one SQLite file would
// each lead; the embedded store is not meant for replicas).

export interface Lease {
  readonly name: string;
  /** Resolves when the lease ends without release(): the connection holding it was lost. */
  readonly lost: Promise<void>;
  /** Gives the lease up (idempotent); another holder may take it at once. */
  release(): Promise<void>;
}

export interface LeaseStore {
  /** The lease named `name` if nobody holds it, else undefined (never waits for it). */
  tryLead(name: string): Promise<Lease | undefined>;
}

/** Held leases per scope (a SQLite file's path, or a store of its own), in this process. */
const held = new Map<string, Set<string>>();

/** The process-local lease store: `scope` names what the leases are about (the database file). */
export function processLeaseStore(scope: string): LeaseStore {
  return {
    async tryLead(name) {
      let names = held.get(scope);
      if (!names) {
        names = new Set();
        held.set(scope, names);
      }
      if (names.has(name)) return undefined;
      names.add(name);
      let released = false;
      return {
        name,
        // Nothing but release() ends a lease held in this process.
        lost: new Promise<void>(() => {}),
        async release() {
          if (released) return;
          released = true;
          held.get(scope)?.delete(name);
        },
      };
    },
  };
}
