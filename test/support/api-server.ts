// An in-process server over a fresh temp repository, for the API's tests (`app.inject`): users of
// the built-in groups with an access key each, and helpers to call the API as one of them. The
// authenticator is a small stand-in for auth/identities.ts (users map → Subject built from the
// built-in policies); the tests only rely on the Authenticator interface, so it can be swapped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Subject } from '../../src/auth/authorize.js';
import { BUILTIN_POLICIES } from '../../src/auth/builtin.js';
import { UnauthenticatedError } from '../../src/common/errors.js';
import { initRepository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import type { Authenticator } from '../../src/server/authenticate.js';

/** The users every test server knows, by built-in group (`admin` is an Admin …). */
export const TEST_USERS: Record<string, readonly string[]> = {
  admin: ['Admins'],
  dev: ['Developers'],
  viewer: ['Viewers'],
  ingestor: ['Ingestors'],
  deployer: ['Deployers'],
  nobody: [],
};

const secretOf = (user: string): string => `secret-${user}`;
const keyOf = (user: string): string => `AKTEST${user.toUpperCase()}`;

/** Users → groups → the built-in groups' policies; keys `AKTEST<USER>` : `secret-<user>`. */
export class TestAuthenticator implements Authenticator {
  constructor(private readonly users: Record<string, readonly string[]> = TEST_USERS) {}

  async authenticateKey(accessKeyId: string, secret: string): Promise<string> {
    const user = Object.keys(this.users).find((u) => keyOf(u) === accessKeyId);
    if (user === undefined || secret !== secretOf(user))
      throw new UnauthenticatedError('authentication failed: unknown key or wrong secret', {
        reason: 'bad key',
      });
    return user;
  }

  async verifySession(_token: string): Promise<string> {
    throw new UnauthenticatedError('authentication failed: no sessions in tests', {
      reason: 'no sessions',
    });
  }

  async subjectOf(user: string): Promise<Subject> {
    const groups = this.users[user] ?? [];
    return {
      user,
      groups,
      policies: BUILTIN_POLICIES.filter((p) => groups.includes(p.name)),
    };
  }
}

/** The Authorization header of a test user. */
export function basicAuth(user: string): string {
  return `Basic ${Buffer.from(`${keyOf(user)}:${secretOf(user)}`).toString('base64')}`;
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
    auth: opts.authenticator ?? new TestAuthenticator(),
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
        headers: { ...(req.headers ?? {}), ...(user ? { authorization: basicAuth(user) } : {}) },
      }),
    close: async () => {
      await app.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
