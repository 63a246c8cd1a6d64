// A repository served over a real socket (127.0.0.1, a free port) by an in-process server: for
// tests that drive it with real clients (the remote CLI, fetch, the AWS SDK later).
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer } from '../../src/server/app.js';
import type { Authenticator } from '../../src/server/authenticate.js';

export interface Served {
  url: string;
  app: FastifyInstance;
  host: RepositoryHost;
  close(): Promise<void>;
}

export async function serve(dir: string, auth: Authenticator): Promise<Served> {
  const host = await RepositoryHost.open(dir);
  const app = await buildServer({ host, auth, logger: false, processMetrics: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    host,
    async close() {
      await app.close();
      await host.close();
    },
  };
}
