// What each route declares besides its schema: who may call it. Every route under /api/v1 must
// say (app.ts refuses to start otherwise), so a new route cannot forget its permission:
// `public` (health, the OpenAPI document), `authenticated` (any signed-in user: who am I), or a
// function from the validated request to the permissions it asks (permissions.ts decides them).
import type { FastifyRequest } from 'fastify';
import type { Subject } from '../auth/index.js';
import type { PermissionAsk } from './permissions.js';

/** Where the REST API is mounted (links in responses name it). */
export const API_PREFIX = '/api/v1';

export type PermissionSpec =
  | 'public'
  | 'authenticated'
  | ((req: FastifyRequest) =>
      | PermissionAsk
      | readonly PermissionAsk[]
      // A permission may read the repository first (the default branch a request leaves out).
      | Promise<PermissionAsk | readonly PermissionAsk[]>);

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: PermissionSpec;
    /** A POST that changes nothing (a query): not recorded as a mutating request (audit.ts). */
    readOnly?: boolean;
    /** The S3 gateway's catch-all routes (gateway/index.ts): they authenticate by signature. */
    gateway?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated user (undefined on public routes). */
    user?: string;
    subject?: Subject;
  }
}

/** The params a permission function reads, typed loosely: the route's schema validated them. */
export function paramsOf(req: FastifyRequest): Record<string, string> {
  return req.params as Record<string, string>;
}

export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  return req.query as Record<string, string | undefined>;
}
