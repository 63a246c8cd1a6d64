// Child process of the server benchmark: serves the repository at --dir on 127.0.0.1 (a free port)
// in a process of its own, so the load generator does not share the server's event loop. It is
// what `sluice serve` does (buildServer over a RepositoryHost, pino's request log to stdout) until
// that command is on main; the parent reads `{port, accessKeyId, secretAccessKey}` over IPC and
// stops it with SIGTERM. Options, for finding where the time goes:
//   --log info|off            the request log line (default info, written to stdout)
//   --auth standin|identities the identity layer: a stand-in that answers from memory (one user in
//                             one built-in group), or the real Identities over the repository's
//                             database (bootstrap, a user in the group, its access key) when
//                             sluice/auth has them
//   --group NAME              the built-in group of the benchmark's user (default Developers)
//   --auth-cache-ms N         a prototype: remember a key's user and a user's subject for N ms
//   --bare                    not the API: one Fastify route reading an object (the HTTP floor)
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { BUILTIN_POLICIES } from '../src/auth/builtin.js';
import { UnauthenticatedError } from '../src/index.js';
import { RepositoryHost } from '../src/internal.js';
import { buildServer } from '../src/server/app.js';
import type { Authenticator } from '../src/server/authenticate.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    log: { type: 'string', default: 'info' },
    auth: { type: 'string', default: 'standin' },
    group: { type: 'string', default: 'Developers' },
    bare: { type: 'boolean', default: false },
    'auth-cache-ms': { type: 'string', default: '0' },
  },
});

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One user, `bench`, in one built-in group, its key checked and its subject built in memory. */
function standIn(group: string): { auth: Authenticator; creds: Credentials } {
  const creds = { accessKeyId: 'bench', secretAccessKey: 'secret-bench' };
  const policies = BUILTIN_POLICIES.filter((p) => p.name === group);
  const auth: Authenticator = {
    async authenticateKey(id, secret) {
      if (id !== creds.accessKeyId || secret !== creds.secretAccessKey)
        throw new UnauthenticatedError('authentication failed', { reason: 'bad credentials' });
      return 'bench';
    },
    async verifySession() {
      throw new UnauthenticatedError('authentication failed', { reason: 'no sessions' });
    },
    async subjectOf(user) {
      return { user, groups: [group], policies };
    },
    async secretOf(id) {
      return id === creds.accessKeyId ? { user: 'bench', ...creds } : undefined;
    },
  };
  return { auth, creds };
}

/** What the benchmark needs of sluice/auth's Identities (issue 15's identity layer). */
interface IdentitiesLike extends Authenticator {
  bootstrap(): Promise<unknown>;
  createUser(name: string, opts: { groups: string[] }): Promise<unknown>;
  createAccessKey(user: string): Promise<Credentials>;
}

/** The real identity layer over the repository's database, loaded only when it exists. */
async function identities(
  host: RepositoryHost,
  group: string,
): Promise<{ auth: Authenticator; creds: Credentials }> {
  // A computed specifier: this file must compile on branches that do not have sluice/auth yet.
  const spec = '../src/auth/index.js';
  const mod = (await import(spec)) as {
    Identities: new (store: unknown, key: unknown) => IdentitiesLike;
    ServerKey: { generate(): unknown };
  };
  const ids = new mod.Identities(host.meta, mod.ServerKey.generate());
  // Each child of one run opens the same database: the first bootstraps, each makes its own user.
  await ids.bootstrap().catch((err: { code?: string }) => {
    if (err.code !== 'AlreadyBootstrappedError') throw err;
  });
  const user = `bench-${group.toLowerCase()}-${process.pid}`;
  await ids.createUser(user, { groups: [group] });
  return { auth: ids, creds: await ids.createAccessKey(user) };
}

/**
 * The floor: Fastify with one route that reads an object through the library — no hooks, no
 * schema, no log, no authentication. What HTTP itself costs.
 */
async function bare(host: RepositoryHost): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/bare/:repository/:ref/objects', async (req, reply) => {
    const { repository, ref } = req.params as { repository: string; ref: string };
    const { path } = req.query as { path: string };
    const repo = await host.get(repository);
    const bytes = await repo.getObject(ref, path);
    reply.header('content-type', 'application/octet-stream');
    return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  return app;
}

/**
 * A prototype of caching the identity layer's answers for a short while: a verified key (by id
 * and a hash of the secret) and a user's subject. Revocations then take up to `ms` to apply.
 */
function cached(auth: Authenticator, ms: number): Authenticator {
  const keys = new Map<string, { user: string; until: number }>();
  const subjects = new Map<
    string,
    { subject: ReturnType<Authenticator['subjectOf']>; until: number }
  >();
  return {
    async authenticateKey(id, secret) {
      const k = `${id}\0${createHash('sha256').update(secret).digest('base64')}`;
      const hit = keys.get(k);
      if (hit && hit.until > Date.now()) return hit.user;
      const user = await auth.authenticateKey(id, secret);
      keys.set(k, { user, until: Date.now() + ms });
      return user;
    },
    verifySession: (token) => auth.verifySession(token),
    secretOf: (id) => auth.secretOf(id),
    subjectOf(user) {
      const hit = subjects.get(user);
      if (hit && hit.until > Date.now()) return hit.subject;
      const subject = auth.subjectOf(user);
      subjects.set(user, { subject, until: Date.now() + ms });
      return subject;
    },
  };
}

async function main(): Promise<void> {
  if (!values.dir) throw new Error('usage: server-child.ts --dir DIR [--log info|off] [--auth …]');
  const host = await RepositoryHost.open(values.dir);
  const group = values.group as string;
  const chosen = values.auth === 'identities' ? await identities(host, group) : standIn(group);
  const cacheMs = Number(values['auth-cache-ms']);
  const auth = cacheMs > 0 ? cached(chosen.auth, cacheMs) : chosen.auth;
  const creds = chosen.creds;
  const app = values.bare
    ? await bare(host)
    : await buildServer({
        host,
        auth,
        logger: values.log === 'off' ? false : { level: values.log as string },
      });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => host.close())
      .finally(() => process.exit(0));
  });
  // The parent asks for the CPU time used so far: per request, it is the server's cost even on a
  // busy machine, where wall times are not.
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.send?.({ port, ...creds });
}

await main();
