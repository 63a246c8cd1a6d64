// `--redirect-reads`: on an S3-backed repository a GetObject is answered with `307` and a
// presigned URL of the backing object (`data/…` in the store's bucket), so the bytes flow from S3
// to the client, not through the server. The gateway has already checked the caller may read the
// ref; the URL it hands out lasts REDIRECT_EXPIRES_SECONDS. Only what the store holds exactly
// as the entry's bytes under its own key is redirected — packed and imported objects, HEAD and
// conditional requests (the backing object's ETag and dates are not the entry's) are served.
import { type EntryValue, InvalidArgumentError, type Repository } from '../../index.js';
import type { RepositoryHost } from '../../internal.js';
import type { GatewayContext } from './operation.js';
import type { S3Request } from './s3-request.js';
import { presignUrl } from './sigv4/index.js';

/** How long a redirect's URL works: enough to start the download, short if it leaks. */
export const REDIRECT_EXPIRES_SECONDS = 300;

/** GetObject's response-header overrides, passed on so the store answers with them. */
const OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
] as const;

/** The backing object's ETag and dates are the store's, not the entry's: such reads stay here. */
const CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/** S3's URI encoding of a query value (RFC 3986 unreserved characters kept). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Refuses `--redirect-reads` on a server whose repositories are not on S3 (nothing to redirect to). */
export async function checkRedirectReads(host: RepositoryHost): Promise<void> {
  const repo = await host.get(host.defaultRepository);
  if (repo.store.kind === 's3') return;
  throw new InvalidArgumentError(
    `--redirect-reads needs a repository on S3: ${repo.name} stores its objects in ${repo.store.uri} (${repo.store.kind}), which clients cannot be redirected to`,
    { argument: '--redirect-reads', reason: `the object store is ${repo.store.kind}` },
  );
}

/**
 * Where to redirect a GetObject of `entry`, or undefined to serve it: the presigned URL of its
 * backing object, with the entry's content type (and the request's overrides) for the store to
 * answer with. Call after the operation checked the key exists and the caller may read it.
 */
export async function redirectTarget(
  g: GatewayContext,
  repo: Repository,
  entry: EntryValue,
  s3: S3Request,
  now?: Date,
): Promise<URL | undefined> {
  if (!g.redirectReads || s3.method !== 'GET') return undefined;
  if (CONDITIONS.some((h) => s3.headers[h] !== undefined)) return undefined;
  const direct = await repo.directAccess(entry);
  if (!direct) return undefined;
  const params = new Map<string, string>([['response-content-type', entry.contentType]]);
  for (const name of OVERRIDES) {
    const value = s3.query.get(name);
    if (value !== null) params.set(name, value);
  }
  const token = direct.credentials.sessionToken;
  if (token !== undefined) params.set('X-Amz-Security-Token', token);
  const query = [...params].map(([k, v]) => `${k}=${uriEncode(v)}`).join('&');
  return new URL(
    presignUrl({
      method: 'GET',
      url: `${direct.url}?${query}`,
      accessKeyId: direct.credentials.accessKeyId,
      secretAccessKey: direct.credentials.secretAccessKey,
      region: direct.region,
      expiresSeconds: REDIRECT_EXPIRES_SECONDS,
      ...(now !== undefined && { now }),
    }),
  );
}
