// A gateway over a real socket for S3 client tests: the API test server (api-server.ts: a fresh
// temp repository with one commit on `main`, test-auth.ts's users, each signing with access key
// id = user name and secret `secret-<name>`) listening on 127.0.0.1, and AWS SDK clients for it
// (path style, us-east-1). Tests drive it through the SDK only; `repo()` is for checking what a
// request changed (status, store keys).
import type { AddressInfo } from 'node:net';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Repository } from '../../src/index.js';
import { type ApiServer, type ApiServerOptions, startApiServer } from './api-server.js';
import { secretOf } from './test-auth.js';

export interface Gateway {
  server: ApiServer;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** The bucket: the repository's name. */
  bucket: string;
  /** An SDK client signing as `user` (default admin). */
  client(user?: string, config?: Partial<S3ClientConfig>): S3Client;
  /** The repository, for looking at what requests did. */
  repo(): Promise<Repository>;
  close(): Promise<void>;
}

export async function startGateway(opts: ApiServerOptions = {}): Promise<Gateway> {
  const server = await startApiServer(opts);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    server,
    endpoint,
    bucket: server.repository,
    client(user = 'admin', config = {}) {
      const c = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: user, secretAccessKey: secretOf(user) },
        maxAttempts: 1,
        ...config,
      });
      clients.push(c);
      return c;
    },
    repo: () => server.host.get(server.repository),
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}
