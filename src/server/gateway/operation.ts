// What every S3 operation is: a name, the permission it asks, and a handler. One file per
// operation under operations/ (as lakeFS's gateway has them); the router (route-operation.ts)
// picks one from the method, the query's sub-resources and the headers — never the verb alone.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import type { PermissionAsk } from '../permissions.js';
import type { S3Request } from './s3-request.js';
import type { VerifiedRequest } from './sigv4/index.js';

export interface GatewayOptions {
  /** Virtual-host style: `{repository}.{domain}` names the bucket in the Host header. */
  domain?: string;
  /**
   * On an S3 backend, answer GetObject with a redirect to a presigned URL of the backing object,
   * so the bytes do not flow through the server.
   */
  redirectReads?: boolean;
  /** The region clients sign for and GetBucketLocation names (default us-east-1). */
  region?: string;
}

export interface GatewayContext extends GatewayOptions {
  server: ServerContext;
  region: string;
}

/** A request routed and authenticated: what a handler works with. */
export interface S3Call {
  s3: S3Request;
  auth: VerifiedRequest;
  req: FastifyRequest;
  reply: FastifyReply;
  /** The body as the client meant it: aws-chunked decoded, signatures and SHA-256 checked. */
  body(): Readable & { trailers(): Record<string, string> };
}

export interface Operation {
  name: string;
  /** What the request asks of the permission layer (read on the ref, write on the branch …). */
  permission(s3: S3Request): PermissionAsk[];
  /** Answers the request (sets status, headers, sends the body or XML). */
  handle(g: GatewayContext, call: S3Call): Promise<unknown>;
}

/** A read of the key's ref. */
export function readAsk(s3: S3Request): PermissionAsk[] {
  return [{ action: 'repo:Read', repository: s3.bucket as string, ref: s3.ref ?? '' }];
}

/** A write to the key's branch. */
export function writeAsk(s3: S3Request): PermissionAsk[] {
  return [{ action: 'branch:Write', repository: s3.bucket as string, branch: s3.ref ?? '' }];
}
