// What S3 clients read from an object's headers, and what they write into them. The ETag is
// `entry.etag` (the MD5 of a gateway write, `md5-of-md5s-N` of a multipart one) or, for objects
// written by `sluice put` (no MD5 known), the SHA-256 checksum: 64 hex characters, which no client
// takes for an MD5 (rclone and the AWS CLI compare a 32-character ETag with the local file's MD5).
// User metadata is the one map the API shows as `x-sluice-meta-*`: `x-amz-meta-<k>` is key `<k>`,
// lower-case (HTTP header names are case-insensitive; Node hands them over lower-cased).
import type { FastifyReply } from 'fastify';
import type { Repository, TreeEntry } from '../../index.js';
import type { S3Request } from './s3-request.js';

export const META_PREFIX = 'x-amz-meta-';

/** The ETag's value, unquoted. */
export function etagOf(entry: TreeEntry): string {
  return entry.etag ?? entry.checksum;
}

/** The ETag header as S3 prints it (quoted). */
export function quotedEtag(entry: TreeEntry): string {
  return `"${etagOf(entry)}"`;
}

/**
 * When the object was written: the gateway records it (`mtime`); otherwise the head commit of the
 * ref it is read at stands in (staged objects written by `sluice put` show the branch head's time).
 */
export async function lastModifiedOf(
  repo: Repository,
  ref: string,
  entry: TreeEntry,
): Promise<Date> {
  if (entry.mtime !== undefined) return new Date(entry.mtime);
  return (await repo.getCommit(ref)).createdAt;
}

/** `x-amz-meta-*` headers as the entry's metadata (undefined when there are none). */
export function metadataFromHeaders(
  headers: S3Request['headers'],
): Record<string, string> | undefined {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(META_PREFIX) || value === undefined) continue;
    meta[name.slice(META_PREFIX.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A header value S3 would send: non-ASCII text as an RFC 2047 encoded word, as S3 does. */
function headerValue(v: string): string {
  return PRINTABLE_ASCII.test(v) ? v : `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`;
}

/** Sets `x-amz-meta-*`; keys that cannot be header names are counted in x-amz-missing-meta. */
function setMetadata(reply: FastifyReply, metadata: Record<string, string>): void {
  let missing = 0;
  for (const [k, v] of Object.entries(metadata)) {
    const name = k.toLowerCase();
    if (TOKEN.test(name)) reply.header(`${META_PREFIX}${name}`, headerValue(v));
    else missing++;
  }
  if (missing > 0) reply.header('x-amz-missing-meta', String(missing));
}

/** `response-*` query parameters and the headers they override. */
const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

/** The SHA-256 checksum's base64 (S3's form of `x-amz-checksum-sha256`). */
export function sha256Base64(entry: TreeEntry): string {
  return Buffer.from(entry.checksum, 'hex').toString('base64');
}

/** `x-amz-checksum-*` headers of the whole object: the SHA-256 always, the ones its writer sent. */
export function checksumHeaders(entry: TreeEntry): Record<string, string> {
  const out: Record<string, string> = { 'x-amz-checksum-sha256': sha256Base64(entry) };
  for (const [alg, value] of Object.entries(entry.checksums ?? {}))
    if (value !== undefined) out[`x-amz-checksum-${alg}`] = value;
  return out;
}

/** The headers of a GetObject or HeadObject answer (not the length and range). */
export function setObjectHeaders(
  reply: FastifyReply,
  s3: S3Request,
  entry: TreeEntry,
  lastModified: Date,
  opts: { whole: boolean },
): void {
  reply.header('etag', quotedEtag(entry));
  reply.header('last-modified', lastModified.toUTCString());
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', entry.contentType);
  setMetadata(reply, entry.metadata);
  // S3 returns the whole object's checksums only when the whole object is sent.
  if (opts.whole && String(s3.headers['x-amz-checksum-mode']).toUpperCase() === 'ENABLED')
    for (const [name, value] of Object.entries(checksumHeaders(entry))) reply.header(name, value);
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const v = s3.query.get(param);
    if (v !== null) reply.header(header, headerValue(v));
  }
}
