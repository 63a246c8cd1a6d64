// A stand-in for the identity layer in server tests that are not about identities: users named
// with their groups, each signing with access key id = the user's name and secret `secret-<name>`,
// each group's built-in policy applying. Tests of authentication itself use the real Identities.
import { BUILTIN_POLICIES } from '../../src/auth/builtin.js';
import { UnauthenticatedError } from '../../src/index.js';
import type { Authenticator } from '../../src/server/authenticate.js';

export const secretOf = (user: string): string => `secret-${user}`;

export function testAuthenticator(users: Record<string, string[]>): Authenticator {
  return {
    async authenticateKey(id, secret) {
      if (!(id in users) || secret !== secretOf(id))
        throw new UnauthenticatedError('authentication failed: unknown key or wrong secret', {
          reason: 'bad credentials',
        });
      return id;
    },
    async verifySession() {
      throw new UnauthenticatedError('authentication failed: no sessions here', {
        reason: 'bad token',
      });
    },
    async subjectOf(user) {
      const groups = users[user] ?? [];
      return {
        user,
        groups,
        policies: BUILTIN_POLICIES.filter((p) => groups.includes(p.name)),
      };
    },
    async secretOf(id) {
      return id in users ? { user: id, secretAccessKey: secretOf(id) } : undefined;
    },
  };
}

/** The Authorization header of a test user. */
export function basicAuth(user: string, secret = secretOf(user)): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` };
}
