// `sluice --remote URL presign PATH [--ref REF] [--expires 1h]`: a presigned GET URL (AWS SigV4
// query authentication) of `URL/REPO/REF/PATH` — the server's S3 gateway, path style — signed
// here with the remote CLI's own access key, so the server is not asked. The URL reads as the key's
// user reads: the gateway checks the permission when it is used, not when it is made.
import { InvalidArgumentError } from '../../index.js';
import { presignUrl } from '../../server/index.js';
import { parseDuration } from '../../workflow/index.js';
import type { CommandContext } from '../runner.js';
import { remoteCredentials } from './credentials.js';

const DEFAULT_EXPIRES = '1h';
/** S3's longest presigned URL: 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** S3's URI encoding of one path segment (RFC 3986 unreserved characters kept). */
function uriEncode(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Whole seconds from 1 to 7 days, as S3 takes them. */
export function expiresSeconds(text: string): number {
  const ms = parseDuration(text, '--expires');
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS)
    throw new InvalidArgumentError(`--expires: ${text} is outside what S3 takes (1s to 7d)`, {
      argument: '--expires',
      reason: 'from 1s to 7d',
    });
  return seconds;
}

/** The gateway's path-style URL of an object: the remote's URL, then bucket, ref and path. */
export function objectUrl(remote: string, repository: string, ref: string, path: string): string {
  // A ref with slashes (sandbox/alice/x) stays segments: the gateway finds the ref among them.
  const segments = (text: string) => text.replace(/^\/+/, '').split('/').map(uriEncode).join('/');
  const base = remote.replace(/\/+$/, '');
  return `${base}/${uriEncode(repository)}/${segments(ref)}/${segments(path)}`;
}

export async function run(
  ctx: CommandContext,
  path: string,
  opts: { ref?: string; expires?: string; region?: string },
): Promise<number> {
  const seconds = expiresSeconds(opts.expires ?? DEFAULT_EXPIRES);
  const s = await ctx.remote();
  const [repository, ref] = [await s.repository(), await s.ref(opts.ref)];
  const creds = remoteCredentials();
  const now = new Date();
  const url = presignUrl({
    method: 'GET',
    url: objectUrl(s.url, repository, ref, path),
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    region: opts.region ?? 'us-east-1',
    expiresSeconds: seconds,
    now,
  });
  const expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
  ctx.out.result({ url, expiresAt }, () => ctx.out.line(url));
  return 0;
}
