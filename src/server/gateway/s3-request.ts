// A gateway request in S3's terms: the bucket (a repository), the key, and for object keys the
// ref and path the key names (`{ref}/{path}`: `main/data/a.csv`, `production/…`). Parsed from the
// URL exactly as the client sent it (path style, or virtual-host style under `--s3-domain`).
import type { FastifyRequest } from 'fastify';
import type { ResolvedRef } from '../../index.js';
import { virtualHostBucket } from './detect.js';
import { S3Error } from './s3-errors.js';

export interface S3Request {
  method: string;
  /** The repository, or undefined for the service (ListBuckets). */
  bucket?: string;
  /** The whole key, decoded; '' when the request names the bucket only. */
  key: string;
  /**
   * The ref the key reads or the branch it writes: its first segment when parsed, then the
   * shortest run of leading segments naming an existing ref (key-ref.ts; `sandbox/alice`).
   */
  ref?: string;
  /** The key after the ref ('' for `main/` or `main`). */
  path: string;
  /** The ref resolved, once key-ref.ts found it (kind: branch, alias, tag or commit). */
  resolved?: ResolvedRef;
  query: URLSearchParams;
  headers: FastifyRequest['headers'];
  /** The path and query exactly as sent (what the signature covers). */
  rawPath: string;
  rawQuery: string;
  /** The authenticated user, once the signature is checked. */
  user?: string;
  /** The operation's name (`GetObject` …), once routed: for metrics and the audit trail. */
  operation?: string;
  /** The request id (the x-request-id header), quoted in error documents. */
  requestId: string;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error(
      'InvalidArgument',
      `the request path is not valid percent-encoding: ${raw.slice(0, 200)}`,
    );
  }
}

/** Splits `/bucket/key…` (path style) or `/key…` with the bucket in the Host. */
export function parseS3Request(req: FastifyRequest, domain?: string): S3Request {
  const original = req.originalUrl ?? req.url;
  const q = original.indexOf('?');
  const rawPath = q < 0 ? original : original.slice(0, q);
  const rawQuery = q < 0 ? '' : original.slice(q + 1);
  const hosted = virtualHostBucket(req.headers.host, domain);
  let bucket: string | undefined;
  let rawKey: string;
  if (hosted !== undefined) {
    bucket = hosted;
    rawKey = rawPath.replace(/^\//, '');
  } else {
    const rest = rawPath.replace(/^\//, '');
    const slash = rest.indexOf('/');
    const first = slash < 0 ? rest : rest.slice(0, slash);
    bucket = first === '' ? undefined : decodeSegment(first);
    rawKey = slash < 0 ? '' : rest.slice(slash + 1);
  }
  const key = decodeSegment(rawKey);
  const slash = key.indexOf('/');
  const ref = key === '' ? undefined : slash < 0 ? key : key.slice(0, slash);
  const path = slash < 0 ? '' : key.slice(slash + 1);
  return {
    method: req.method,
    ...(bucket !== undefined ? { bucket } : {}),
    key,
    ...(ref !== undefined ? { ref } : {}),
    path,
    query: new URLSearchParams(rawQuery),
    headers: req.headers,
    rawPath,
    rawQuery,
    requestId: String(req.id),
  };
}
