// Leases on PostgreSQL: a session advisory lock (pg_try_advisory_lock) taken on a connection of its
// own, outside the pool, and held as long as that connection lives. The database frees the lock
// when the session ends however it ends — release(), the process killed, the connection cut — so
// failover needs no timeout of ours. A holder notices a lost connection by the driver's 'error' /
// 'end' events and by a heartbeat query (a silently dropped TCP connection says nothing until
// used); `lost` then resolves and the holder must stop the work, since another replica may lead.
import type { Client } from 'pg';
import type { Secrets } from '../common/secrets.js';
import type { Lease, LeaseStore } from './lease-store.js';
import { type PgTarget, pgOutage } from './postgres-connection.js';

/** How often a held lease checks that its connection still answers. */
const HEARTBEAT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** The advisory lock key of a lease name: a 64-bit hash, namespaced so it names only Sluice's. */
const LOCK_KEY = "hashtextextended('sluice.lease:' || $1::text, 0)";

export interface PgLeaseStoreOptions {
  /** The URL with its password, as the pool connects. */
  connectionString: string;
  target: PgTarget;
  secrets: Secrets;
  heartbeatMs?: number;
}

export class PgLeaseStore implements LeaseStore {
  constructor(private readonly opts: PgLeaseStoreOptions) {}

  async tryLead(name: string): Promise<Lease | undefined> {
    const client = await this.connect();
    let got: boolean;
    try {
      const r = await client.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(${LOCK_KEY}) as locked`,
        [name],
      );
      got = r.rows[0]?.locked === true;
    } catch (err) {
      await client.end().catch(() => {});
      throw this.outage(err, false);
    }
    if (!got) {
      await client.end().catch(() => {});
      return undefined;
    }
    return heldLease(client, name, this.opts.heartbeatMs ?? HEARTBEAT_MS);
  }

  private async connect(): Promise<Client> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'sluice lease',
    });
    // Unheard, a dropped connection's 'error' would end the process; heldLease listens too.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw this.outage(err, true);
    }
    return client;
  }

  private outage(err: unknown, connecting: boolean): unknown {
    return pgOutage(err, this.opts.target, this.opts.secrets, connecting) ?? err;
  }
}

function heldLease(client: Client, name: string, heartbeatMs: number): Lease {
  let released = false;
  let markLost!: () => void;
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });
  const end = (): void => {
    clearInterval(heartbeat);
    if (!released) markLost();
  };
  client.on('error', end);
  client.on('end', end);
  const heartbeat = setInterval(() => {
    client.query('select 1').catch(() => {
      end();
      client.end().catch(() => {});
    });
  }, heartbeatMs);
  heartbeat.unref();
  return {
    name,
    lost,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Ending the session frees the lock; unlocking first makes it free even if end() lingers.
      await client.query(`select pg_advisory_unlock(${LOCK_KEY})`, [name]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
