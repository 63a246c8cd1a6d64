// An in-process server over a fresh temp repository, for the API's tests (`app.inject`): one user
// per built-in group (test-auth.ts's stand-in authenticator: key id = user name), and a helper to
// call the API as one of them. Tests rely only on the Authenticator interface: pass another one
// (the real Identities) through `authenticator`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { initRepository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import type { Authenticator } from '../../src/server/authenticate.js';
import { basicAuth, testAuthenticator } from './test-auth.js';

/** The users every test server knows, by built-in group (`admin` is an Admin …). */
export const TEST_USERS: Record<string, readonly string[]> = {
  admin: ['Admins'],
  dev: ['Developers'],
  viewer: ['Viewers'],
  ingestor: ['Ingestors'],
  deployer: ['Deployers'],
  nobody: [],
};

/** The stand-in authenticator of test-auth.ts over TEST_USERS (or `users`). */
export function testUsersAuthenticator(
  users: Record<string, readonly string[]> = TEST_USERS,
): Authenticator {
  return testAuthenticator(Object.fromEntries(Object.entries(users).map(([u, g]) => [u, [...g]])));
}

export interface ApiServerOptions {
  /** Written as the repository's sluice.yml before the server opens it (gates, protection). */
  sluiceYml?: string;
  /** Files written into the repository's directory (relative path → content), e.g. checks. */
  files?: Record<string, string>;
  /** Repository name (default `repo`). */
  name?: string;
  authenticator?: Authenticator;
  server?: Partial<Omit<ServerOptions, 'host' | 'auth'>>;
}

export interface ApiServer {
  app: FastifyInstance;
  host: RepositoryHost;
  /** The repository's directory (its `.sluice/` inside). */
  root: string;
  repository: string;
  /** `/api/v1/repositories/<repository>` */
  base: string;
  /** Sends a request as `user` (no Authorization header when user is undefined). */
  call(
    user: string | undefined,
    opts: InjectOptions & { method: NonNullable<InjectOptions['method']> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A server over a fresh temp repository (with one commit on `main`), not listening. */
export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-api-'));
  const root = join(dir, opts.name ?? 'repo');
  const first = await initRepository(root, { committer: 'setup', name: opts.name ?? 'repo' });
  await first.close();
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    const path = join(root, rel);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  if (opts.sluiceYml !== undefined) writeFileSync(join(root, 'sluice.yml'), opts.sluiceYml);
  const host = await RepositoryHost.open(root, { committer: 'setup' });
  const app = await buildServer({
    host,
    auth: opts.authenticator ?? testUsersAuthenticator(),
    logger: false,
    processMetrics: false,
    ...opts.server,
  });
  const repository = host.defaultRepository;
  return {
    app,
    host,
    root,
    repository,
    base: `/api/v1/repositories/${repository}`,
    call: (user, req) =>
      app.inject({
        ...req,
        headers: { ...(req.headers ?? {}), ...(user ? basicAuth(user) : {}) },
      }),
    close: async () => {
      await app.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
