// `sluice serve`: opens every repository of the database the repository in --repo (or the
// current directory) lives in, the identity layer over the same database with the server key
// ($SLUICE_SERVER_KEY or .sluice/server.key), and serves them until SIGTERM / SIGINT. Refuses to
// start before `sluice auth bootstrap` (no key, or no admin): nobody could sign in. Logs are JSON
// lines (pino) on stdout; where it listens and warnings are plain lines on stderr.
import { readFileSync } from 'node:fs';
import { ADMINS, Identities, loadServerKey, SERVER_KEY_ENV } from '../../auth/index.js';
import { InvalidArgumentError, NotBootstrappedError } from '../../index.js';
import { RepositoryHost } from '../../internal.js';
import {
  DEFAULT_PORT,
  type GatewayOptions,
  gcTask,
  schedulerTask,
  startServer,
} from '../../server/index.js';
import { parseDuration } from '../../workflow/index.js';
import { byteSize, nonNegativeInt } from '../options.js';
import type { CommandContext } from '../runner.js';

interface ServeCliOptions {
  host?: string;
  port?: string;
  tlsCert?: string;
  tlsKey?: string;
  bodyLimit?: string;
  schedule?: boolean;
  gcInterval?: string;
  trustProxy?: string;
  authCache?: string;
  logLevel?: string;
  leaseRetry?: string;
  s3Domain?: string;
  s3Region?: string;
  redirectReads?: boolean;
  /** false with --no-s3-gateway. */
  s3Gateway?: boolean;
}

function tlsOf(opts: ServeCliOptions): { key: Buffer; cert: Buffer } | undefined {
  if (opts.tlsCert === undefined && opts.tlsKey === undefined) return undefined;
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) {
    throw new InvalidArgumentError('--tls-cert and --tls-key go together', {
      argument: opts.tlsCert === undefined ? '--tls-cert' : '--tls-key',
      reason: 'both are needed for TLS',
    });
  }
  const read = (file: string, argument: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new InvalidArgumentError(
        `${argument}: cannot read ${file}: ${(err as Error).message}`,
        {
          argument,
          reason: 'unreadable file',
        },
      );
    }
  };
  return { cert: read(opts.tlsCert, '--tls-cert'), key: read(opts.tlsKey, '--tls-key') };
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The gateway's settings, or false with --no-s3-gateway (then no gateway option may be given). */
function gatewayOf(opts: ServeCliOptions): GatewayOptions | false {
  const given = [
    opts.s3Domain !== undefined && '--s3-domain',
    opts.s3Region !== undefined && '--s3-region',
    opts.redirectReads && '--redirect-reads',
  ].filter((x): x is string => typeof x === 'string');
  if (opts.s3Gateway === false) {
    if (given[0] !== undefined)
      throw new InvalidArgumentError(
        `${given[0]} configures the S3 gateway: drop --no-s3-gateway`,
        {
          argument: given[0],
          reason: 'the gateway is off',
        },
      );
    return false;
  }
  if (opts.s3Domain !== undefined && !DOMAIN.test(opts.s3Domain))
    throw new InvalidArgumentError(`--s3-domain: ${opts.s3Domain} is not a host name`, {
      argument: '--s3-domain',
      reason: 'not a host name',
    });
  if (opts.s3Region !== undefined && !REGION.test(opts.s3Region))
    throw new InvalidArgumentError(
      `--s3-region: ${opts.s3Region} is not a region name (lower-case letters, digits, -)`,
      { argument: '--s3-region', reason: 'not a region name' },
    );
  return {
    ...(opts.s3Domain !== undefined && { domain: opts.s3Domain.toLowerCase() }),
    ...(opts.s3Region !== undefined && { region: opts.s3Region }),
    ...(opts.redirectReads && { redirectReads: true }),
  };
}

/** The identity layer, or NotBootstrappedError saying how to make one. */
async function identities(host: RepositoryHost): Promise<Identities> {
  const key = loadServerKey(host.root);
  if (!key) {
    throw new NotBootstrappedError(
      `no server key: run \`sluice auth bootstrap\` in ${host.root} first (or set ${SERVER_KEY_ENV}, the same on every replica)`,
      { reason: 'no server key' },
    );
  }
  if ((await host.meta.membersOf(ADMINS)).length === 0) {
    throw new NotBootstrappedError(
      'no admin yet: run `sluice auth bootstrap` first — it creates the admin and its access key',
      { reason: 'no admin' },
    );
  }
  return new Identities(host.meta, key);
}

export async function run(ctx: CommandContext, opts: ServeCliOptions): Promise<number> {
  const port = nonNegativeInt(opts.port, '--port') ?? DEFAULT_PORT;
  if (port > 65_535)
    throw new InvalidArgumentError(`--port: ${port} is not a port (0–65535)`, {
      argument: '--port',
      reason: 'out of range',
    });
  const tls = tlsOf(opts);
  const gateway = gatewayOf(opts);
  const objectBodyLimit = byteSize(opts.bodyLimit, '--body-limit');
  const authCacheMs = nonNegativeInt(opts.authCache, '--auth-cache');
  const gcIntervalMs =
    opts.gcInterval === undefined ? undefined : parseDuration(opts.gcInterval, '--gc-interval');
  const leaseRetryMs =
    opts.leaseRetry === undefined ? undefined : parseDuration(opts.leaseRetry, '--lease-retry');
  const host = await RepositoryHost.open(ctx.globals.repo);
  let started = false;
  try {
    const auth = await identities(host);
    const server = await startServer({
      host,
      auth,
      ...(opts.host !== undefined && { bind: opts.host }),
      port,
      ...(tls && { tls }),
      ...(objectBodyLimit !== undefined && { objectBodyLimit }),
      ...(opts.trustProxy !== undefined && { trustProxy: opts.trustProxy }),
      ...(authCacheMs !== undefined && { authCacheMs }),
      logger: { level: opts.logLevel ?? 'info' },
      ...(leaseRetryMs !== undefined && { leaseRetryMs }),
      gateway,
      tasks: (log) => [
        ...(opts.schedule ? [schedulerTask(host, log)] : []),
        ...(gcIntervalMs !== undefined ? [gcTask(host, gcIntervalMs, log)] : []),
      ],
      say: (line) => ctx.io.stderr.write(`${line}\n`),
    });
    started = true;
    await server.stopped;
    return 0;
  } finally {
    // Once started, the server closes the repositories itself when it stops.
    if (!started) await host.close();
  }
}
