// A short memory of the identity layer's answers: which user a key and secret are (successes
// only), and a user's groups and policies. Without it every request costs several metadata
// queries, a key derivation and a decryption before its handler starts (bench/server.ts: about
// half a GET's CPU on SQLite, more on PostgreSQL). The price is that a revoked key, a deleted user
// or a changed policy takes up to `ttlMs` to apply on each replica — one second by default
// (lakeFS keeps its answers 20 s). Nothing here is state another replica must see: each forgets.
import { createHash } from 'node:crypto';
import type { Subject } from '../auth/index.js';
import type { Authenticator } from './authenticate.js';

interface Held<T> {
  value: Promise<T>;
  until: number;
}

const MAX_ENTRIES = 10_000;

class TtlMap<T> {
  private readonly entries = new Map<string, Held<T>>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const t = this.now();
    const held = this.entries.get(key);
    if (held && held.until > t) return held.value;
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { value, until: t + this.ttlMs });
    // A failure is not remembered: the next request asks again (and counts as a failure again).
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/** `auth` with its answers kept `ttlMs`; `ttlMs <= 0` returns `auth` itself. */
export function cachedAuthenticator(
  auth: Authenticator,
  ttlMs: number,
  now: () => number = Date.now,
): Authenticator {
  if (ttlMs <= 0) return auth;
  const keys = new TtlMap<string>(ttlMs, now);
  const subjects = new TtlMap<Subject>(ttlMs, now);
  const secrets = new TtlMap<{ user: string; secretAccessKey: string } | undefined>(ttlMs, now);
  return {
    authenticateKey: (id, secret) =>
      // The secret's hash, never the secret, is the key of what is remembered.
      keys.get(`${id}\0${createHash('sha256').update(secret).digest('hex')}`, () =>
        auth.authenticateKey(id, secret),
      ),
    verifySession: (token) => auth.verifySession(token),
    subjectOf: (user) => subjects.get(user, () => auth.subjectOf(user)),
    secretOf: (id) => secrets.get(id, () => auth.secretOf(id)),
  };
}
