// A listening server with the S3 gateway over a fresh temp repository, and an AWS SDK client per
// test user (access key id = the user, test-auth.ts's secret), path style on 127.0.0.1 — for the
// listing and multipart tests. (test/support/gateway.ts of the objects work is the shared one
// once it lands; this file stays small so the two do not collide.)
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import type { Repository } from '../../src/index.js';
import { type ApiServer, type ApiServerOptions, startApiServer } from './api-server.js';
import { secretOf } from './test-auth.js';

export interface GatewayServer extends ApiServer {
  endpoint: string;
  repo: Repository;
  /** An S3 client signing as `user`. */
  client(user: string): S3Client;
}

export async function startGatewayServer(opts: ApiServerOptions = {}): Promise<GatewayServer> {
  const api = await startApiServer(opts);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.app.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const repo = await api.host.get(api.repository);
  const clients: S3Client[] = [];
  return {
    ...api,
    endpoint,
    repo,
    client(user: string) {
      const c = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: user, secretAccessKey: secretOf(user) },
        maxAttempts: 1,
      });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await api.close();
    },
  };
}
