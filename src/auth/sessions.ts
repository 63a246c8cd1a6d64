// Session tokens for people signed in to the UI: short-lived JWTs (HS256, jose) signed with a key
// derived from the server key for this purpose only, so every replica verifies every replica's
// tokens. `sub` names the user; nothing secret is in a token. A token cannot be revoked before it
// expires (one hour by default) — the caller checks that its user still exists.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../common/errors.js';
import type { ServerKey } from './server-key.js';

export const SESSION_ISSUER = 'sluice';
export const DEFAULT_SESSION_TTL_SECONDS = 3600;

export interface SessionOptions {
  ttlSeconds?: number;
  /** The clock, for tests. */
  now?: Date;
}

export async function issueSessionToken(
  key: ServerKey,
  user: string,
  opts: SessionOptions = {},
): Promise<string> {
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user)
    .setIssuer(SESSION_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS))
    .sign(key.derive('session'));
}

/** The user a valid token names; UnauthenticatedError (expired, bad signature, malformed) else. */
export async function verifySessionToken(
  key: ServerKey,
  token: string,
  opts: { now?: Date } = {},
): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, key.derive('session'), {
      issuer: SESSION_ISSUER,
      algorithms: ['HS256'],
      ...(opts.now !== undefined && { currentDate: opts.now }),
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no subject');
    return payload.sub;
  } catch (err) {
    const reason =
      err instanceof joseErrors.JWTExpired ? 'session expired' : 'invalid session token';
    throw new UnauthenticatedError(reason, { reason });
  }
}
