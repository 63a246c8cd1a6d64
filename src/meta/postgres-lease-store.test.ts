// Leader leases on PostgreSQL: one holder among stores on one database, taken over on release and
// when the holder's connection dies (the failover a killed replica gives).
import { afterEach, describe, expect, it } from 'vitest';
import { withPg } from '../../test/support/pg-cluster.js';
import type { Lease, MetaStore } from './meta-store.js';
import { openPostgresMetaStore } from './postgres-meta-store.js';

const pg = withPg();
let databases = 0;
const open: MetaStore[] = [];
const leases: Lease[] = [];

let url = '';

async function twoStores(): Promise<[MetaStore, MetaStore]> {
  url = await pg.cluster.createDatabase(`lease${++databases}`);
  const a = await openPostgresMetaStore(url);
  const b = await openPostgresMetaStore(url);
  open.push(a, b);
  return [a, b];
}

async function lead(store: MetaStore, name: string): Promise<Lease | undefined> {
  const lease = await store.tryLead(name);
  if (lease) leases.push(lease);
  return lease;
}

afterEach(async () => {
  for (const l of leases.splice(0)) await l.release();
  for (const s of open.splice(0)) await s.close();
});

describe('PostgreSQL leases', () => {
  it('has one holder at a time; released, the other takes it', async () => {
    const [a, b] = await twoStores();
    const held = await lead(a, 'scheduler');
    expect(held?.name).toBe('scheduler');
    expect(await lead(b, 'scheduler')).toBeUndefined();
    expect(await lead(a, 'scheduler')).toBeUndefined(); // a second connection of the holder too
    expect(await lead(b, 'gc')).toBeDefined(); // another name is another lease
    await held?.release();
    const taken = await lead(b, 'scheduler');
    expect(taken).toBeDefined();
    expect(await lead(a, 'scheduler')).toBeUndefined();
  });

  it('is freed when the holding connection dies, and the holder learns it lost it', async () => {
    const [a, b] = await twoStores();
    const held = await lead(a, 'gc');
    expect(held).toBeDefined();
    expect(await lead(b, 'gc')).toBeUndefined();
    // What a killed replica or a cut network does to its session.
    const { default: pgLib } = await import('pg');
    const admin = new pgLib.Client({ connectionString: url });
    await admin.connect();
    try {
      const r = await admin.query(
        "select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = 'sluice lease' and datname = current_database() and pid <> pg_backend_pid()",
      );
      expect(r.rows.length).toBe(1);
    } finally {
      await admin.end();
    }
    await held?.lost;
    expect(await lead(b, 'gc')).toBeDefined();
  });
});
