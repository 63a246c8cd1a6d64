// An in-process server over a temp repository with tables, for the data routes' tests (tables,
// SQL, lineage, events, metrics, sandboxes): one user per built-in group, signing as
// test-auth.ts's stand-in for the identity layer lets them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ingest, initRepository, type Repository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer } from '../../src/server/app.js';
import { basicAuth, testAuthenticator } from './test-auth.js';

export const USERS: Record<string, string[]> = {
  admin: ['Admins'],
  dev: ['Developers'],
  dev2: ['Developers'],
  viewer: ['Viewers'],
  ingestor: ['Ingestors'],
  nobody: [],
};

/** The Authorization header of a test user. */
export const as = basicAuth;

export interface DataServer {
  dir: string;
  repo: Repository;
  app: FastifyInstance;
  host: RepositoryHost;
  close(): Promise<void>;
}

/** Writes a CSV into `dir` and ingests it as `table` on `branch`, committed. */
export async function ingestCsv(
  repo: Repository,
  dir: string,
  table: string,
  csv: string,
  opts: { branch?: string; key?: string[]; mode?: 'append' | 'overwrite' | 'upsert' } = {},
): Promise<void> {
  const file = join(dir, `${table}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  await ingest(repo, file, {
    table,
    ...(opts.branch ? { branch: opts.branch } : {}),
    ...(opts.key ? { key: opts.key } : {}),
    ...(opts.mode ? { mode: opts.mode } : {}),
    commit: { message: `ingest ${table}` },
  });
}

/**
 * A repository `shop` with `orders` (key id, 3 rows) and `customers` (2 rows) on main, served
 * in-process (use app.inject). The repository handle is the server's own.
 */
export async function dataServer(): Promise<DataServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-api-data-'));
  const init = await initRepository(dir, { name: 'shop' });
  await init.close();
  const host = await RepositoryHost.open(dir);
  const repo = await host.get('shop');
  await ingestCsv(repo, dir, 'orders', 'id,amount,status\n1,10.5,paid\n2,20,open\n3,7,paid\n', {
    key: ['id'],
  });
  await ingestCsv(repo, dir, 'customers', 'id,name\n1,ann\n2,bob\n');
  const app = await buildServer({
    host,
    auth: testAuthenticator(USERS),
    logger: false,
    processMetrics: false,
  });
  return {
    dir,
    repo,
    app,
    host,
    async close() {
      await app.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
