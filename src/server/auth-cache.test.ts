import { describe, expect, test } from 'vitest';
import { UnauthenticatedError } from '../index.js';
import { cachedAuthenticator } from './auth-cache.js';
import type { Authenticator } from './authenticate.js';

function counting(): { auth: Authenticator; calls: string[]; revoked: Set<string> } {
  const calls: string[] = [];
  const revoked = new Set<string>();
  const auth: Authenticator = {
    async authenticateKey(id, secret) {
      calls.push(`key ${id}`);
      if (secret !== 'right' || revoked.has(id))
        throw new UnauthenticatedError('bad', { reason: 'bad' });
      return `user-of-${id}`;
    },
    async verifySession(token) {
      calls.push('session');
      return token;
    },
    async subjectOf(user) {
      calls.push(`subject ${user}`);
      return { user, groups: [], policies: [] };
    },
    async secretOf(id) {
      calls.push(`secret ${id}`);
      return revoked.has(id) ? undefined : { user: `user-of-${id}`, secretAccessKey: 'right' };
    },
  };
  return { auth, calls, revoked };
}

describe('the identity answers kept for a moment', () => {
  test('a key and a subject are asked once within the time, again after it', async () => {
    let now = 0;
    const { auth, calls, revoked } = counting();
    const cached = cachedAuthenticator(auth, 1000, () => now);
    expect(await cached.authenticateKey('K', 'right')).toBe('user-of-K');
    expect(await cached.authenticateKey('K', 'right')).toBe('user-of-K');
    await cached.subjectOf('u');
    await cached.subjectOf('u');
    expect(calls).toEqual(['key K', 'subject u']);
    revoked.add('K');
    now = 1001;
    await expect(cached.authenticateKey('K', 'right')).rejects.toThrow(UnauthenticatedError);
    await cached.subjectOf('u');
    expect(calls).toEqual(['key K', 'subject u', 'key K', 'subject u']);
  });

  test('a wrong secret is never remembered, nor taken for the right one', async () => {
    const { auth, calls } = counting();
    const cached = cachedAuthenticator(auth, 1000, () => 0);
    await expect(cached.authenticateKey('K', 'wrong')).rejects.toThrow(UnauthenticatedError);
    await expect(cached.authenticateKey('K', 'wrong')).rejects.toThrow(UnauthenticatedError);
    expect(await cached.authenticateKey('K', 'right')).toBe('user-of-K');
    await expect(cached.authenticateKey('K', 'wrong')).rejects.toThrow(UnauthenticatedError);
    expect(calls).toEqual(['key K', 'key K', 'key K', 'key K']);
  });

  test('0 keeps nothing: the identity layer answers every request', async () => {
    const { auth } = counting();
    expect(cachedAuthenticator(auth, 0)).toBe(auth);
  });
});
