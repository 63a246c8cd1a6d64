// The server as a Fastify instance: one process, one port — /api/v1 (REST), /metrics, /healthz
// and /readyz now; the S3 gateway and the web UI later. Built here, started by serve.ts; tests
// use it in-process with inject(). The order of a request: request id and logger (pino) →
// authenticate (onRequest, before any body is read) → schema validation → the route's permission
// (preHandler) → the handler, run as the authenticated user → audit and metrics (onResponse).
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { NoProjectError, RouteNotFoundError } from '../index.js';
import type { RepositoryHost } from '../internal.js';
import { actingAs, newRunId } from '../internal.js';
import { auditRequest } from './audit.js';
import { cachedAuthenticator } from './auth-cache.js';
import { type Authenticator, authenticate } from './authenticate.js';
import type { ServerContext } from './context.js';
import { errorDocument, toHttpError } from './errors.js';
import { FailureLimiter, type FailureLimiterOptions } from './failure-limiter.js';
import { type GatewayOptions, gatewayRewrite, registerGateway } from './gateway/index.js';
import { loggerOptions } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { refuseTraversal } from './path-guard.js';
import { enforce } from './permissions.js';
import { API_PREFIX, type PermissionSpec } from './route-config.js';
import { registerRoutes } from './routes/index.js';
import { registerSystemRoutes } from './routes/system.js';
import { type RunsOptions, ServerRuns } from './runs.js';

export { API_PREFIX };

export interface ServerOptions {
  host: RepositoryHost;
  auth: Authenticator;
  /** pino's options (level …); false: no log (tests). Default: info to stdout. */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** Largest request body in bytes, objects included (default 5 GiB for objects, 1 MiB JSON). */
  bodyLimit?: number;
  objectBodyLimit?: number;
  failures?: FailureLimiterOptions;
  /**
   * How long the identity layer's answers (a key's user, a user's groups and policies) are kept:
   * a revoked key or a changed policy applies within this time on each replica. Default 1000 ms;
   * 0 asks the identity layer on every request (auth-cache.ts).
   */
  authCacheMs?: number;
  /** TLS key and certificate (PEM); plain HTTP without them. */
  https?: { key: Buffer; cert: Buffer };
  /** Collect process metrics (default true; off in tests with many servers). */
  processMetrics?: boolean;
  /**
   * Proxies whose X-Forwarded-For is believed (fastify's trustProxy: addresses or CIDRs, comma
   * separated): the client's address then is the one they forward — what failed sign-ins are
   * counted per and what the audit log records. Off by default: a client could forge it.
   */
  trustProxy?: string;
  /** The long operations' settings (heartbeat, lost-after, log flush), or the runner itself. */
  runs?: RunsOptions | ServerRuns;
  /**
   * The project directory of the repository the server was started in (checks, builds, loads,
   * environments read it), default that repository's own directory. Other repositories of the
   * database have none: their long operations are refused.
   */
  projectDir?: string;
  /** The S3 gateway's settings (virtual-host domain, redirected reads, region); false: no gateway. */
  gateway?: GatewayOptions | false;
}

export type ApiApp = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function permissionOf(req: FastifyRequest): PermissionSpec | undefined {
  return req.routeOptions.config?.permission;
}

function projectDirOf(opts: ServerOptions, repository: string): string {
  if (repository === opts.host.defaultRepository) return opts.projectDir ?? opts.host.root;
  throw new NoProjectError(
    `repository ${repository} has no project on this server (only ${opts.host.defaultRepository}, the repository it was started in, has one)`,
    { repository },
  );
}

/** Builds the server (not listening). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    genReqId: () => newRunId(),
    requestIdHeader: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    ...(opts.https ? { https: opts.https } : {}),
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    // Graceful shutdown: close() stops accepting, lets in-flight requests finish.
    forceCloseConnections: 'idle',
    // S3 clients' requests (signed with AWS SigV4, or under --s3-domain) go to the gateway.
    ...(opts.gateway === false ? {} : { rewriteUrl: gatewayRewrite(opts.gateway?.domain) }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ctx: ServerContext = {
    host: opts.host,
    auth: cachedAuthenticator(opts.auth, opts.authCacheMs ?? 1000),
    limiter: new FailureLimiter(opts.failures),
    metrics: new ServerMetrics({ processMetrics: opts.processMetrics }),
    objectBodyLimit: opts.objectBodyLimit ?? 5 * 1024 ** 3,
    runs: opts.runs instanceof ServerRuns ? opts.runs : new ServerRuns(opts.runs),
    projectDirOf: (repository) => projectDirOf(opts, repository),
  };
  // Graceful shutdown: the runs this process started finish before the repositories close.
  app.addHook('onClose', () => ctx.runs.drain());

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sluice API',
        version: '1',
        description:
          'Data-as-code: branches, commits, tables, checks and environments of a data lake.',
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'access key id : secret' },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ basicAuth: [] }, { bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (z.globalRegistry) become components, referenced by $ref.
    transformObject: jsonSchemaTransformObject,
  });

  installGuards(app, ctx);
  installErrorHandling(app);
  registerSystemRoutes(app, ctx);
  await app.register(async (api) => registerRoutes(api, ctx), { prefix: API_PREFIX });
  if (opts.gateway !== false) await registerGateway(app, ctx, opts.gateway || {});
  return app;
}

/** Every /api/v1 route declares a permission; every handler runs as its authenticated user. */
function installGuards(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_PREFIX) && route.url !== '/healthz' && route.url !== '/readyz')
      return;
    const permission = route.config?.permission;
    if (permission === undefined)
      throw new Error(`route ${route.method} ${route.url} declares no permission`);
    const handler = route.handler;
    route.handler = function asUser(this: unknown, req, reply) {
      return req.user === undefined
        ? handler.call(this as FastifyInstance, req, reply)
        : actingAs(req.user, () => handler.call(this as FastifyInstance, req, reply));
    };
  });
  // Credentials are checked before the body is read: an unauthenticated upload is not accepted.
  app.addHook('onRequest', async (req, reply) => {
    // The id of the request's log line and audit event, for a client to quote.
    reply.header('x-request-id', String(req.id));
    const permission = permissionOf(req);
    if (permission === undefined || permission === 'public') return;
    req.user = await authenticate(req, ctx.auth, ctx.limiter);
  });
  // Before the schema and the permission: a name that climbs (`..%2F`) is refused outright.
  app.addHook('preValidation', refuseTraversal);
  app.addHook('preHandler', async (req) => {
    const permission = permissionOf(req);
    if (permission === undefined || permission === 'public' || req.user === undefined) return;
    req.subject = await ctx.auth.subjectOf(req.user);
    if (permission === 'authenticated') return;
    const asks = await permission(req);
    await enforce(ctx.host, req.subject, Array.isArray(asks) ? asks : [asks as never]);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.s3?.operation
      ? `s3:${req.s3.operation}`
      : (req.routeOptions.url ?? 'unknown');
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    ctx.metrics.requests.inc(labels);
    ctx.metrics.latency.observe(labels, reply.elapsedTime / 1000);
    if ([401, 403, 429].includes(reply.statusCode))
      ctx.metrics.authFailures.inc({ status: String(reply.statusCode) });
    const mutating = MUTATING.has(req.method) && req.routeOptions.config?.readOnly !== true;
    if (mutating || [401, 403].includes(reply.statusCode)) await auditRequest(ctx, req, reply);
  });
}

function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (err, req, reply) => {
    const { status, error } = toHttpError(err);
    if (status >= 500) req.log.error({ err: error, code: error.code }, error.message);
    reply.header('content-type', 'application/json; charset=utf-8');
    if (error.code === 'RateLimitedError')
      reply.header(
        'retry-after',
        String((error.data as { retryAfterSeconds: number }).retryAfterSeconds),
      );
    if (status === 401) reply.header('www-authenticate', 'Basic realm="sluice"');
    (reply as unknown as { sluiceError?: string }).sluiceError = error.code;
    return reply.code(status).send(errorDocument(error));
  });
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const err = new RouteNotFoundError(`no route ${req.method} ${path}`, {
      method: req.method,
      path,
    });
    return reply.code(404).send(errorDocument(err));
  });
}
