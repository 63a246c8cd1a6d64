import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withPg } from '../../test/support/pg-cluster.js';
import { MetaStoreUnavailableError } from '../common/errors.js';
import { describeMetaStoreConformance } from './meta-store.conformance.js';
import { openMetaStore } from './open-meta.js';
import { openPostgresMetaStore } from './postgres-meta-store.js';

const pg = withPg();
let databases = 0;

describeMetaStoreConformance('postgres', async () => {
  const meta = await openPostgresMetaStore(await pg.cluster.createDatabase(`t${++databases}`));
  return { meta, cleanup: () => meta.close() };
});

describe('PostgreSQL MetaStore', () => {
  it('migrates a fresh database from many stores at once', async () => {
    const url = await pg.cluster.createDatabase('concurrent_migrate');
    const stores = await Promise.all(Array.from({ length: 6 }, () => openPostgresMetaStore(url)));
    for (const s of stores) expect(await s.listRepositories()).toEqual([]);
    await Promise.all(stores.map((s) => s.migrate()));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('is what openMetaStore returns for postgres:// and postgresql:// URLs', async () => {
    const url = await pg.cluster.createDatabase('open_meta');
    for (const spec of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const meta = await openMetaStore(spec);
      expect(meta.dialect).toBe('postgres');
      await meta.close();
    }
  });
});

describe('PostgreSQL outages and credentials', () => {
  // A cluster of its own: these tests stop it.
  const own = withPg();
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function failure(p: Promise<unknown>): Promise<MetaStoreUnavailableError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetaStoreUnavailableError);
    return err as MetaStoreUnavailableError;
  }

  it('a server that is down is MetaStoreUnavailableError naming the host', async () => {
    const url = await own.cluster.createDatabase('down');
    await own.cluster.halt();
    try {
      const err = await failure(openPostgresMetaStore(url));
      expect(err.data).toEqual({
        store: 'postgres',
        host: `127.0.0.1:${own.cluster.port}`,
        database: 'down',
        reason: 'unreachable',
      });
      expect(err.message).toContain(`PostgreSQL at 127.0.0.1:${own.cluster.port}`);
    } finally {
      await own.cluster.resume();
    }
  });

  it('a password is found as libpq finds it, and a wrong one is refused without showing it', async () => {
    const password = 'Pl4nted-PG-Passw0rd';
    const url = await own.cluster.createPasswordRole('alice', password);
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = join(mkdtempSync(join(tmpdir(), 'sluice-pgpass-')), 'pgpass');

    // The repository's credentials file (the option), PGPASSWORD, a password file.
    await (await openPostgresMetaStore(url, { password })).close();
    process.env.PGPASSWORD = password;
    await (await openPostgresMetaStore(url)).close();
    delete process.env.PGPASSWORD;
    writeFileSync(
      process.env.PGPASSFILE,
      `# host:port:database:user:password\n127.0.0.1:*:alice:alice:${password}\n`,
      { mode: 0o600 },
    );
    await (await openPostgresMetaStore(url)).close();
    // A password file others may read is ignored, as libpq ignores it.
    chmodSync(process.env.PGPASSFILE, 0o644);
    const none = await failure(openPostgresMetaStore(url));
    expect(none.data.reason).toBe('credentials refused');

    for (const open of [
      () => openPostgresMetaStore(url, { password: 'Wr0ng-Passw0rd' }),
      () => openPostgresMetaStore(url.replace('alice@', 'alice:Wr0ng-Passw0rd@')),
    ]) {
      const err = await failure(open());
      expect(err.data).toMatchObject({ store: 'postgres', reason: 'credentials refused' });
      expect(err.message).toContain(`127.0.0.1:${own.cluster.port}`);
      expect(JSON.stringify({ m: err.message, d: err.data, s: err.stack })).not.toMatch(
        /Wr0ng-Passw0rd|Pl4nted-PG-Passw0rd/,
      );
    }
  });

  it('a connection dropped mid-command is MetaStoreUnavailableError, never an unhandled error', async () => {
    const meta = await openPostgresMetaStore(await own.cluster.createDatabase('dropped'));
    let stop = false;
    const busy = (async (): Promise<void> => {
      // Each call checks a client out of the pool: the server stops while one is out.
      while (!stop) {
        const rs = await Promise.allSettled([meta.listRepositories(), meta.listRepositories()]);
        const bad = rs.find((r) => r.status === 'rejected');
        if (bad) throw bad.reason;
      }
    })();
    const outcome = busy.then(
      () => Promise.reject(new Error('the loop ended without an error')),
      (e: unknown) => Promise.reject(e),
    );
    outcome.catch(() => {}); // examined below, after the server is stopped
    await new Promise((r) => setTimeout(r, 300));
    await own.cluster.halt();
    try {
      const err = await failure(outcome);
      expect(err.data.host).toBe(`127.0.0.1:${own.cluster.port}`);
      expect(['connection lost', 'unreachable']).toContain(err.data.reason);
      // And after the outage, the same store works again (its broken connections were dropped;
      // the server, with fsync off, may have lost the migration: it is applied again).
      await own.cluster.resume();
      await meta.migrate();
      expect(await meta.listRepositories()).toEqual([]);
    } finally {
      stop = true;
      await own.cluster.resume().catch(() => {});
      await meta.close();
    }
  });
});
