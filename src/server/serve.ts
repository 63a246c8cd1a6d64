// `sluice serve`'s process: the app of app.ts listening on one address and port (TLS when given a
// certificate), the singleton work of the replica that leads it (leader.ts), and a graceful stop
// on SIGTERM / SIGINT — no new connections, the requests in flight finish (a second signal closes
// them), the singleton tasks wind down and release their leases, then the repositories close.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../index.js';
import type { RepositoryHost } from '../internal.js';
import { buildServer, type ServerOptions } from './app.js';
import type { Authenticator } from './authenticate.js';
import { checkRedirectReads } from './gateway/redirect-reads.js';
import { type LeaderLog, type Leadership, type SingletonTask, startLeadership } from './leader.js';

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** Where signal handlers go: the process, or an EventEmitter in tests. */
export interface SignalTarget {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface ServeOptions
  extends Pick<
    ServerOptions,
    | 'bodyLimit'
    | 'objectBodyLimit'
    | 'logger'
    | 'failures'
    | 'processMetrics'
    | 'trustProxy'
    | 'authCacheMs'
    | 'gateway'
  > {
  /** The repositories served; closed when the server stops. */
  host: RepositoryHost;
  auth: Authenticator;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  bind?: string;
  /** Port (default 8000; 0: any free one). */
  port?: number;
  /** TLS key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer };
  /** Singleton work, given the server's log: each runs while this process holds its lease. */
  tasks?: (log: LeaderLog) => SingletonTask[];
  /** How often a replica without a lease tries to take it (leader.ts's default: 10 s). */
  leaseRetryMs?: number;
  /** Where SIGTERM / SIGINT are heard (default: the process); false: nowhere. */
  signals?: SignalTarget | false;
  /** Lines for the operator — where it listens, warnings (default: stderr). */
  say?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  leadership: Leadership;
  /** Resolves once the server has stopped (stop(), or a signal) and everything is closed. */
  stopped: Promise<void>;
  /** Stops gracefully; `force` closes the connections of requests still in flight. */
  stop(opts?: { force?: boolean }): Promise<void>;
}

export const DEFAULT_PORT = 8000;
export const DEFAULT_BIND = '127.0.0.1';

export function isLoopback(address: string): boolean {
  return (
    address === 'localhost' ||
    address === '::1' ||
    address.startsWith('127.') ||
    address.startsWith('::ffff:127.')
  );
}

function urlOf(app: FastifyInstance, bind: string, tls: boolean): string {
  const { port } = app.server.address() as AddressInfo;
  const host = bind.includes(':') ? `[${bind}]` : bind;
  return `${tls ? 'https' : 'http'}://${host}:${port}`;
}

function leaderLog(app: FastifyInstance): LeaderLog {
  const log = app.log.child({ component: 'leader' });
  return {
    info: (msg) => log.info(msg),
    error: (err, msg) => log.error({ err }, msg),
  };
}

/** Why the address cannot be listened on, as the option to change (EADDRINUSE, EACCES …). */
function listenError(err: unknown, bind: string, port: number): unknown {
  const code = (err as { code?: string }).code;
  const reasons: Record<string, string> = {
    EADDRINUSE: 'the port is in use',
    EACCES: 'not allowed to listen there (ports below 1024 need privileges)',
    EADDRNOTAVAIL: 'this machine has no such address',
  };
  const reason = code === undefined ? undefined : reasons[code];
  if (reason === undefined) return err;
  return new InvalidArgumentError(`cannot listen on ${bind}:${port}: ${reason}`, {
    argument: code === 'EADDRNOTAVAIL' ? '--host' : '--port',
    reason,
  });
}

/** Starts serving; resolves once the server listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const say = opts.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bind = opts.bind ?? DEFAULT_BIND;
  if (opts.gateway && opts.gateway.redirectReads === true) await checkRedirectReads(opts.host);
  const app = await buildServer({
    host: opts.host,
    auth: opts.auth,
    ...(opts.logger !== undefined && { logger: opts.logger }),
    ...(opts.bodyLimit !== undefined && { bodyLimit: opts.bodyLimit }),
    ...(opts.objectBodyLimit !== undefined && { objectBodyLimit: opts.objectBodyLimit }),
    ...(opts.failures !== undefined && { failures: opts.failures }),
    ...(opts.processMetrics !== undefined && { processMetrics: opts.processMetrics }),
    ...(opts.trustProxy !== undefined && { trustProxy: opts.trustProxy }),
    ...(opts.authCacheMs !== undefined && { authCacheMs: opts.authCacheMs }),
    ...(opts.tls && { https: opts.tls }),
    ...(opts.gateway !== undefined && { gateway: opts.gateway }),
  });
  // Once stopping, a response in flight closes its connection: a keep-alive client would
  // otherwise hold the server open until the idle timeout.
  let closing = false;
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  try {
    await app.listen({ host: bind, port: opts.port ?? DEFAULT_PORT });
  } catch (err) {
    await app.close().catch(() => {});
    throw listenError(err, bind, opts.port ?? DEFAULT_PORT);
  }
  const url = urlOf(app, bind, opts.tls !== undefined);
  if (!opts.tls && !isLoopback(bind))
    say(
      `warning: plain HTTP on ${bind}: access keys cross the network in the clear — give --tls-cert and --tls-key, or put a TLS proxy in front`,
    );
  app.log.info({ url }, `listening on ${url}`);
  say(`listening on ${url}`);

  const leadership = startLeadership(opts.host.meta, opts.tasks?.(leaderLog(app)) ?? [], {
    log: leaderLog(app),
    ...(opts.leaseRetryMs !== undefined && { retryMs: opts.leaseRetryMs }),
  });
  const running = stopper(app, opts.host, leadership, () => {
    closing = true;
  });
  const signals = opts.signals === undefined ? process : opts.signals;
  if (signals) {
    const onSignal = (signal: StopSignal) => () => {
      const force = running.stopping;
      say(
        force
          ? `${signal}: closing the requests still in flight`
          : `${signal}: stopping — no new connections, the requests in flight finish`,
      );
      void running.stop({ force });
    };
    const handlers = (['SIGTERM', 'SIGINT'] as const).map((s) => [s, onSignal(s)] as const);
    for (const [s, h] of handlers) signals.on(s, h);
    void running.stopped.then(() => {
      for (const [s, h] of handlers) signals.off(s, h);
    });
  }
  return { url, app, leadership, stopped: running.stopped, stop: running.stop };
}

/** The one stop of a server: first call stops it; later ones wait (or force it). */
function stopper(
  app: FastifyInstance,
  host: RepositoryHost,
  leadership: Leadership,
  onStopping: () => void,
) {
  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  const run = async (): Promise<void> => {
    try {
      // close(): no new connections, idle ones closed, in-flight requests answered first.
      await Promise.all([app.close(), leadership.stop()]);
    } finally {
      await host.close().catch((err: unknown) => app.log.error({ err }, 'closing failed'));
      resolveStopped();
    }
  };
  return {
    stopped,
    get stopping(): boolean {
      return stopping !== undefined;
    },
    stop(opts: { force?: boolean } = {}): Promise<void> {
      onStopping();
      if (opts.force) app.server.closeAllConnections();
      stopping ??= run();
      return stopping;
    },
  };
}
