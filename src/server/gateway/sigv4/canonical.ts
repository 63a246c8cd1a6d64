// The canonical request and string to sign of SigV4 as S3 computes them: the path is used as the
// client sent it (S3 does not encode it twice), the query is re-encoded and sorted, and only the
// signed headers take part, their values trimmed with inner whitespace collapsed.
import { createHash } from 'node:crypto';
import { ALGORITHM } from './types.js';
import { percentDecode, uriEncodeBytes } from './uri-encode.js';

/** One query parameter, both halves still as sent. */
export interface RawParam {
  key: string;
  value: string;
}

/** The query string split into parameters (empty pieces dropped, a missing '=' is an empty value). */
export function splitQuery(rawQuery: string): RawParam[] {
  const params: RawParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) params.push({ key: part, value: '' });
    else params.push({ key: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return params;
}

/**
 * The canonical query string: every key and value decoded then encoded the SigV4 way, sorted by
 * encoded key then value. `drop` names a decoded key to leave out (X-Amz-Signature, presigned).
 */
export function canonicalQuery(rawQuery: string, drop?: string): string {
  const pairs: [string, string][] = [];
  for (const { key, value } of splitQuery(rawQuery)) {
    const keyBytes = percentDecode(key);
    if (drop !== undefined && keyBytes.toString('utf8') === drop) continue;
    pairs.push([uriEncodeBytes(keyBytes), uriEncodeBytes(percentDecode(value))]);
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical URIs to try, most likely first: the path exactly as sent (what S3 and the SDKs
 * sign), then — only when it differs — the path re-encoded the SigV4 way, for clients that send a
 * path encoded differently from the one they signed (e.g. a literal '!' signed as '%21').
 */
export function canonicalPaths(rawPath: string): string[] {
  const asSent = rawPath === '' ? '/' : rawPath;
  // Segment by segment: a '/' a client sent encoded (%2F) stays inside its segment.
  const normalized = asSent
    .split('/')
    .map((segment) => uriEncodeBytes(percentDecode(segment)))
    .join('/');
  return normalized === asSent ? [asSent] : [asSent, normalized];
}

/** A header's value as SigV4 canonicalizes it (a repeated header: its values joined by ','). */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export interface CanonicalParts {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case names in the order the client listed them (sorted, by every real client). */
  signedHeaders: string[];
  payloadHash: string;
}

/** The canonical request text. */
export function canonicalRequest(parts: CanonicalParts): string {
  let headerBlock = '';
  for (const name of parts.signedHeaders) {
    headerBlock += `${name}:${canonicalHeaderValue(parts.headers[name])}\n`;
  }
  return [
    parts.method,
    parts.path,
    parts.query,
    headerBlock,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** The string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
