import { describe, expect, it } from 'vitest';
import { withPg } from '../../test/support/pg-cluster.js';
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
