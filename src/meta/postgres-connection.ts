// Reaching PostgreSQL: where a URL points (host, port, database, user — never the password), the
// password as libpq finds it, and the pool Kysely draws from, wrapped so that an outage — the
// server unreachable, the credentials refused, the connection dropped mid-command — is a
// MetaStoreUnavailableError naming the store and host wherever it strikes, never a raw driver
// error or an unhandled 'error' event that would end the process with a stack trace.
import { userInfo } from 'node:os';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { MetaStoreUnavailableError } from '../common/errors.js';
import type { Secrets } from '../common/secrets.js';
import { pgPassLookup } from './pgpass.js';

/** Where a PostgreSQL URL points, as libpq fills in what it leaves out. */
export interface PgTarget {
  host: string;
  port: string;
  database: string;
  user: string;
}

export function pgTargetOf(url: string, env: NodeJS.ProcessEnv = process.env): PgTarget {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {}
  const param = (name: string) => u?.searchParams.get(name) || undefined;
  const user =
    decode(u?.username ?? '') || param('user') || env.PGUSER || safeUserName() || 'postgres';
  return {
    host: decode(u?.hostname ?? '') || param('host') || env.PGHOST || 'localhost',
    port: u?.port || param('port') || env.PGPORT || '5432',
    database: decode((u?.pathname ?? '').replace(/^\//, '')) || env.PGDATABASE || user,
    user,
  };
}

/** `host:port`, as an error names the server. */
export const pgHostOf = (t: PgTarget): string => `${t.host}:${t.port}`;

/**
 * The URL without its password (in the user info or a `password=` parameter), and that password:
 * what a repository's configuration keeps and what it must not.
 */
export function splitPgPassword(url: string): { url: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  const password = decode(u.password) || u.searchParams.get('password') || undefined;
  if (password === undefined) return { url };
  u.password = '';
  u.searchParams.delete('password');
  return { url: u.href, password };
}

/**
 * The password to connect with, in libpq's order: the URL's own, `PGPASSWORD`, then `fallback`
 * (the repository's credentials file), then the password file (`PGPASSFILE`, `~/.pgpass`).
 * Undefined: connect without one (trust, peer or certificate authentication).
 */
export function pgPassword(
  url: string,
  fallback: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const own = splitPgPassword(url).password;
  if (own !== undefined) return own;
  if (env.PGPASSWORD) return env.PGPASSWORD;
  if (fallback !== undefined) return fallback;
  return pgPassLookup(pgTargetOf(url, env), env);
}

/** `url` with `password` set in its user info (in memory only: what the driver connects with). */
export function withPgPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const u = new URL(splitPgPassword(url).url);
  u.password = encodeURIComponent(password);
  return u.href;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT', // a Unix socket that is not there
]);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', '57P01', '57P02', '57P03']);
const DROPPED_MESSAGE =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|server closed the connection/i;

/**
 * The outage `err` is, as a MetaStoreUnavailableError — or undefined when it is not one (a query
 * the server refused for its own reasons is the caller's to handle). `connecting`: every failure
 * to connect is an outage; once connected, only a dropped connection is.
 */
export function pgOutage(
  err: unknown,
  target: PgTarget,
  secrets: Secrets,
  connecting: boolean,
): MetaStoreUnavailableError | undefined {
  if (err instanceof MetaStoreUnavailableError) return err;
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  const message = err instanceof Error ? err.message : String(err);
  let reason: string;
  if (code === '28P01' || code === '28000' || /password|authentication|SASL/i.test(message))
    reason = 'credentials refused';
  else if (code === 'ETIMEDOUT' || /timeout/i.test(message)) reason = 'timeout';
  else if (UNREACHABLE.has(code)) reason = 'unreachable';
  else if (DROPPED.has(code) || code.startsWith('08') || DROPPED_MESSAGE.test(message))
    reason = connecting ? 'unreachable' : 'connection lost';
  else if (connecting) reason = 'unreachable';
  else return undefined;
  const host = pgHostOf(target);
  const what = {
    unreachable: 'cannot be reached',
    'credentials refused': 'refused the credentials',
    timeout: 'did not answer in time',
    'connection lost': 'dropped the connection',
  }[reason];
  return new MetaStoreUnavailableError(
    secrets.scrub(
      `the metadata store (PostgreSQL at ${host}, database ${target.database}) ${what}: ${message}`,
    ),
    { store: 'postgres', host, database: target.database, reason },
  );
}

/**
 * `pool` as Kysely's PostgresPool, outages translated (pgOutage). A client checked out of the
 * pool listens for its connection dropping between two queries — pg emits that as an 'error'
 * event nobody else listens to then — and its next query fails with the outage instead; a client
 * whose connection broke is destroyed on release rather than pooled again.
 */
export function outageAwarePool(pool: Pool, target: PgTarget, secrets: Secrets): PostgresPool {
  const outage = (err: unknown, connecting: boolean): unknown =>
    pgOutage(err, target, secrets, connecting) ?? err;
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw outage(err, true);
      }
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      const query = async (sql: string, parameters: readonly unknown[]) => {
        if (broken) throw outage(broken, false);
        try {
          return await client.query(sql, parameters as unknown[]);
        } catch (err) {
          const mapped = outage(err, false);
          if (mapped instanceof MetaStoreUnavailableError) broken ??= err as Error;
          throw mapped;
        }
      };
      return {
        // Sluice streams no cursors: only the (sql, parameters) form is used.
        query: query as unknown as PostgresPoolClient['query'],
        release() {
          client.removeListener('error', onError);
          client.release(broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
