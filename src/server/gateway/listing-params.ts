// The query of a ListObjects (V1 or V2) request, checked once: prefix, delimiter, where to start
// (continuation token, start-after, marker — all reduced to one exclusive key), max-keys and
// encoding-type. Continuation tokens are opaque to clients: a version tag and the last key
// returned, base64url — a token that is not one of ours is InvalidArgument, never a guess.
import type { PermissionAsk } from '../permissions.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

/** S3's default and largest page. */
export const MAX_KEYS = 1000;
const TOKEN_TAG = 'k1:';

export interface ListParams {
  prefix: string;
  delimiter?: string;
  /** Keys at or before this one are not listed (from the token, start-after or marker). */
  after?: string;
  maxKeys: number;
  /** encoding-type=url: keys, prefixes, delimiter and markers answered URL-encoded. */
  urlEncoded: boolean;
}

function parseMaxKeys(raw: string | null, name: string, cap = MAX_KEYS): number {
  if (raw === null) return cap;
  if (!/^\d{1,10}$/.test(raw))
    throw new S3Error('InvalidArgument', `${name} must be a non-negative integer, not ${raw}`, {
      ArgumentName: name,
      ArgumentValue: raw.slice(0, 40),
    });
  return Math.min(Number(raw), cap);
}

/** max-keys, max-parts, max-uploads: a count capped at S3's page size. */
export function pageSize(s3: S3Request, name: string, cap = MAX_KEYS): number {
  return parseMaxKeys(s3.query.get(name), name, cap);
}

export function encodeToken(lastKey: string): string {
  return Buffer.from(TOKEN_TAG + lastKey, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string {
  const bad = () =>
    new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) throw bad();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bad();
  }
  if (!text.startsWith(TOKEN_TAG)) throw bad();
  return text.slice(TOKEN_TAG.length);
}

/** Key order as S3 lists: UTF-8 bytes (Unicode code points), not JS's UTF-16 units. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || a === '') return b || undefined;
  if (b === undefined || b === '') return a;
  return compareUtf8(a, b) >= 0 ? a : b;
}

function encodingOf(s3: S3Request): boolean {
  const e = s3.query.get('encoding-type');
  if (e === null) return false;
  if (e.toLowerCase() === 'url') return true;
  throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
    ArgumentName: 'encoding-type',
    ArgumentValue: e.slice(0, 40),
  });
}

function common(s3: S3Request): Omit<ListParams, 'after'> {
  const delimiter = s3.query.get('delimiter') ?? '';
  return {
    prefix: s3.query.get('prefix') ?? '',
    ...(delimiter !== '' ? { delimiter } : {}),
    maxKeys: pageSize(s3, 'max-keys'),
    urlEncoded: encodingOf(s3),
  };
}

/** ListObjectsV2: continuation-token and start-after (the later of the two wins). */
export function listParamsV2(s3: S3Request): ListParams & { token?: string; startAfter?: string } {
  const token = s3.query.get('continuation-token') ?? undefined;
  const startAfter = s3.query.get('start-after') ?? undefined;
  const after = later(token === undefined ? undefined : decodeToken(token), startAfter);
  return {
    ...common(s3),
    ...(after !== undefined ? { after } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(startAfter !== undefined ? { startAfter } : {}),
  };
}

/** ListObjects (V1): marker. */
export function listParamsV1(s3: S3Request): ListParams & { marker: string } {
  const marker = s3.query.get('marker') ?? '';
  return { ...common(s3), ...(marker !== '' ? { after: marker } : {}), marker };
}

/**
 * The ref a bucket-level listing reads is the prefix's first segment: read permission on it.
 * A prefix without `/` lists the refs themselves: the repository's read permission lets the
 * request in, and each ref is then shown only to those who may read it.
 */
export function listingAsk(s3: S3Request, param = 'prefix'): PermissionAsk[] {
  const prefix = s3.query.get(param) ?? '';
  const slash = prefix.indexOf('/');
  const repository = s3.bucket as string;
  if (slash <= 0) return [{ action: 'repo:Read', repository }];
  return [{ action: 'repo:Read', repository, ref: prefix.slice(0, slash) }];
}
