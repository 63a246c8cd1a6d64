// S3's conditional requests on an object's ETag and time, with S3's precedence: If-Match that
// holds overrides a failing If-Unmodified-Since (200), If-None-Match that fails (the ETag matches)
// overrides a holding If-Modified-Since (304). Reads answer 304 Not Modified or 412; a copy's
// `x-amz-copy-source-if-*` conditions refuse with 412 whichever fails.
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

export interface ConditionTarget {
  /** The ETag, unquoted. */
  etag: string;
  lastModified: Date;
}

/** 'ok', or what to answer instead of the object. */
export type ConditionOutcome = 'ok' | 'not-modified';

function header(s3: S3Request, name: string): string | undefined {
  const v = s3.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Whether an If-Match / If-None-Match list names `etag` (`*` names any). */
function etagListMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((t) =>
      t
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((t) => t === '*' || t === etag);
}

/** An HTTP date; undefined when it is not one (S3 ignores such a condition). */
function httpDate(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** HTTP dates have whole seconds: an object written at 12:00:00.7 was not modified since 12:00:00. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000;
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: condition,
    },
  );
}

interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: number;
  ifUnmodifiedSince?: number;
}

function evaluate(c: Conditions, target: ConditionTarget): 'ok' | 'failed' | 'not-modified' {
  const modified = seconds(target.lastModified);
  if (c.ifMatch !== undefined) {
    if (!etagListMatches(c.ifMatch, target.etag)) return 'failed';
  } else if (c.ifUnmodifiedSince !== undefined && modified > c.ifUnmodifiedSince) return 'failed';
  if (c.ifNoneMatch !== undefined) {
    if (etagListMatches(c.ifNoneMatch, target.etag)) return 'not-modified';
  } else if (c.ifModifiedSince !== undefined && modified <= c.ifModifiedSince)
    return 'not-modified';
  return 'ok';
}

function read(s3: S3Request, prefix: string): Conditions {
  const c: Conditions = {};
  const ifMatch = header(s3, `${prefix}if-match`);
  const ifNoneMatch = header(s3, `${prefix}if-none-match`);
  const ifModifiedSince = httpDate(header(s3, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = httpDate(header(s3, `${prefix}if-unmodified-since`));
  if (ifMatch !== undefined) c.ifMatch = ifMatch;
  if (ifNoneMatch !== undefined) c.ifNoneMatch = ifNoneMatch;
  if (ifModifiedSince !== undefined) c.ifModifiedSince = ifModifiedSince;
  if (ifUnmodifiedSince !== undefined) c.ifUnmodifiedSince = ifUnmodifiedSince;
  return c;
}

/** Whether the request carries any read condition (so the entry must be known before sending). */
export function hasReadConditions(s3: S3Request): boolean {
  return ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'].some(
    (h) => s3.headers[h] !== undefined,
  );
}

/** GetObject / HeadObject: 'ok', 'not-modified' (304), or PreconditionFailed thrown. */
export function checkReadConditions(s3: S3Request, target: ConditionTarget): ConditionOutcome {
  const outcome = evaluate(read(s3, ''), target);
  if (outcome === 'failed') throw preconditionFailed('If-Match or If-Unmodified-Since');
  return outcome;
}

/** CopyObject's conditions on its source: any that fails is PreconditionFailed. */
export function checkCopySourceConditions(s3: S3Request, target: ConditionTarget): void {
  const outcome = evaluate(read(s3, 'x-amz-copy-source-'), target);
  if (outcome !== 'ok') throw preconditionFailed('x-amz-copy-source-If-*');
}
