// Who sends a request: HTTP Basic with an access key id and its secret (as lakeFS takes them), or
// a bearer session token (the UI's). Every failure is the same UnauthenticatedError to the caller
// (an unknown key and a wrong secret look alike) and counts against the key and the address.
import type { FastifyRequest } from 'fastify';
import type { Subject } from '../auth/index.js';
import { RateLimitedError, UnauthenticatedError } from '../index.js';
import type { FailureLimiter } from './failure-limiter.js';

/** What the server needs of the identity layer (auth/identities.ts provides it). */
export interface Authenticator {
  /** The user owning the key; UnauthenticatedError for an unknown key or a wrong secret. */
  authenticateKey(accessKeyId: string, secret: string): Promise<string>;
  /** The user a session token names; UnauthenticatedError when invalid or expired. */
  verifySession(token: string): Promise<string>;
  subjectOf(user: string): Promise<Subject>;
  /**
   * A key's user and secret, for checking an AWS signature (the S3 gateway), or undefined for an
   * unknown or revoked key. The secret never leaves the server.
   */
  secretOf(accessKeyId: string): Promise<{ user: string; secretAccessKey: string } | undefined>;
}

export interface Credentials {
  kind: 'key' | 'session';
  /** The access key id (never the secret), or `session`. */
  id: string;
  verify: () => Promise<string>;
}

/** Parses the Authorization header; undefined when there is none. */
export function credentialsOf(req: FastifyRequest, auth: Authenticator): Credentials | undefined {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return undefined;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw unauthenticated('malformed Basic credentials');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    return { kind: 'key', id, verify: () => auth.authenticateKey(id, secret) };
  }
  if (scheme === 'bearer' && value !== '') {
    return { kind: 'session', id: 'session', verify: () => auth.verifySession(value) };
  }
  throw unauthenticated(`unsupported authorization scheme ${scheme.slice(0, 20)}`);
}

export function unauthenticated(reason: string): UnauthenticatedError {
  return new UnauthenticatedError(`authentication failed: ${reason}`, { reason });
}

/**
 * The authenticated user of a request, or an error: UnauthenticatedError (no or bad credentials),
 * RateLimitedError (too many failures from this key or address lately).
 */
export async function authenticate(
  req: FastifyRequest,
  auth: Authenticator,
  limiter: FailureLimiter,
): Promise<string> {
  const creds = credentialsOf(req, auth);
  if (!creds)
    throw unauthenticated('no credentials (HTTP Basic with an access key, or a bearer token)');
  const keys = [`addr:${req.ip}`, `key:${creds.id}`];
  const wait = limiter.retryAfter(keys);
  if (wait > 0) {
    throw new RateLimitedError(`too many failed sign-ins; try again in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  }
  try {
    return await creds.verify();
  } catch (err) {
    if (err instanceof UnauthenticatedError) limiter.record(keys);
    throw err;
  }
}
