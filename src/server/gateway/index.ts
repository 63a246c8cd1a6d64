// The S3 gateway: every engine and tool that speaks S3 reads and writes branches through
// `s3://{repository}/{ref}/{path}`. Mounted in the server's own Fastify instance (one process,
// one port, the same access keys and permission decision as the API). Order of a request:
// detect (detect.ts, before routing) → parse the bucket/key (s3-request.ts) → pick the operation
// (route-operation.ts; NotImplemented for the unsupported) → check the AWS signature
// (authenticate-s3.ts) → the operation's permission (permissions.ts, as the API's routes) → the
// operation, as the signing user. Errors are S3's XML (respond.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actingAs } from '../../internal.js';
import type { ServerContext } from '../context.js';
import { enforce } from '../permissions.js';
import { authenticateS3 } from './authenticate-s3.js';
import { decodedBody } from './body.js';
import { GATEWAY_PREFIX } from './detect.js';
import { splitKey } from './key-ref.js';
import type { GatewayContext, GatewayOptions, S3Call } from './operation.js';
import { OPERATIONS } from './operations/index.js';
import { sendS3Error } from './respond.js';
import { routeOperation } from './route-operation.js';
import { S3Error } from './s3-errors.js';
import { parseS3Request, type S3Request } from './s3-request.js';

export { GATEWAY_PREFIX, gatewayRewrite, isS3Request } from './detect.js';
export type { GatewayOptions } from './operation.js';

/** S3's largest single PUT (5 GiB) plus aws-chunked framing. */
const GATEWAY_BODY_LIMIT = 5 * 1024 ** 3 + 64 * 1024 ** 2;
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

declare module 'fastify' {
  interface FastifyRequest {
    /** Gateway requests: the S3 operation and the repository, for metrics and the audit trail. */
    s3?: S3Request;
  }
}

async function handle(g: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  let s3: S3Request | undefined;
  try {
    s3 = parseS3Request(req, g.domain);
    req.s3 = s3;
    const name = routeOperation(s3);
    s3.operation = name;
    const op = OPERATIONS[name];
    if (!op)
      throw new S3Error('NotImplemented', `${name} is not implemented by the Sluice gateway`);
    const auth = await authenticateS3(g.server, req, s3);
    s3.user = auth.user;
    req.user = auth.user;
    req.subject = await g.server.auth.subjectOf(auth.user);
    // The ref a key names is looked up once signed (branch names may hold slashes: key-ref.ts).
    // That a repository exists is not secret (as in the API): an unknown one is NoSuchBucket.
    if (s3.bucket !== undefined && s3.key !== '')
      Object.assign(s3, await splitKey(await g.server.host.get(s3.bucket), s3.key));
    await enforce(g.server.host, req.subject, op.permission(s3));
    const call: S3Call = { s3, auth, req, reply, body: () => decodedBody(req, auth) };
    return await actingAs(auth.user, () => op.handle(g, call));
  } catch (err) {
    return sendS3Error(err, req, reply, s3);
  }
}

/** Registers the gateway's routes (under GATEWAY_PREFIX, where detect.ts sends S3 requests). */
export async function registerGateway(
  app: FastifyInstance,
  server: ServerContext,
  opts: GatewayOptions = {},
): Promise<void> {
  const g: GatewayContext = { ...opts, server, region: opts.region ?? 'us-east-1' };
  await app.register(
    async (scope) => {
      // Every body is bytes for the operation to read (or not): nothing is parsed ahead of it.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
      scope.setErrorHandler((err, req, reply) => sendS3Error(err, req, reply, req.s3));
      scope.setNotFoundHandler((req, reply) =>
        sendS3Error(
          new S3Error('MethodNotAllowed', `${req.method} is not an S3 method`),
          req,
          reply,
          req.s3,
        ),
      );
      const route = { bodyLimit: GATEWAY_BODY_LIMIT, config: { gateway: true } };
      for (const url of ['', '/*'])
        scope.route({
          method: [...METHODS],
          url,
          ...route,
          handler: (req, reply) => handle(g, req, reply),
        });
    },
    { prefix: GATEWAY_PREFIX },
  );
}
