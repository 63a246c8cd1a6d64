// Query authentication (presigned URLs): the X-Amz-* parameters, S3's limits on X-Amz-Expires
// (1 s … 7 days), expiry as AccessDenied "Request has expired", and an unsigned payload.
import { S3Error } from '../s3-errors.js';
import { splitQuery } from './canonical.js';
import { checkScopeDate, parseCredential, QUERY_ERRORS } from './credential-scope.js';
import { checkContentSha256, payloadModeFor } from './payload-mode.js';
import { DEFAULT_MAX_SKEW_MS, formatAmzDate, parseAmzDate, single } from './request-time.js';
import { checkSignature } from './signature-check.js';
import {
  ALGORITHM,
  type SecretLookup,
  type SigV4Request,
  UNSIGNED_PAYLOAD,
  type VerifiedRequest,
  type VerifyOptions,
} from './types.js';
import { percentDecodeString } from './uri-encode.js';
import { checkSignedHeaders, parseSignedHeaders } from './verify-header.js';

export const MAX_EXPIRES_SECONDS = 604_800;
const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;
type AuthParam = (typeof REQUIRED)[number];

function queryError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', message);
}

/** The decoded query parameters by decoded name (a repeated name keeps every value). */
export function decodedParams(rawQuery: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const { key, value } of splitQuery(rawQuery)) {
    const name = percentDecodeString(key);
    const values = params.get(name) ?? [];
    values.push(percentDecodeString(value));
    params.set(name, values);
  }
  return params;
}

function authParams(params: Map<string, string[]>): Record<AuthParam, string> {
  const out = {} as Record<AuthParam, string>;
  for (const name of REQUIRED) {
    const values = params.get(name);
    if (!values || values[0] === '') {
      throw queryError(
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    if (values.length > 1) throw queryError(`${name} may be given only once.`);
    out[name] = values[0]!;
  }
  return out;
}

function parseExpires(value: string): number {
  if (!/^-?\d+$/.test(value)) throw queryError('X-Amz-Expires should be a number');
  const seconds = Number(value);
  if (seconds < 0) throw queryError('X-Amz-Expires must be non-negative');
  if (seconds === 0) throw queryError('X-Amz-Expires must be at least 1 second');
  if (seconds > MAX_EXPIRES_SECONDS) {
    throw queryError(
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`,
    );
  }
  return seconds;
}

/** Throws AccessDenied unless `now` lies between the signing time (less skew) and its expiry. */
function checkValidity(signedAt: Date, expires: number, now: Date, maxSkewMs: number): void {
  const expiresAt = signedAt.getTime() + expires * 1000;
  if (now.getTime() > expiresAt) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(expires),
      Expires: new Date(expiresAt).toISOString(),
      ServerTime: now.toISOString(),
    });
  }
  if (signedAt.getTime() - now.getTime() > maxSkewMs) {
    throw new S3Error('AccessDenied', 'Request is not valid yet', {
      'X-Amz-Date': formatAmzDate(signedAt),
      ServerTime: now.toISOString(),
    });
  }
}

/**
 * The payload hash a presigned request signed: UNSIGNED-PAYLOAD, as S3 presigns, unless the URL
 * (some SDKs hoist x-amz-* headers into it) or a signed header names another.
 */
function presignedPayloadHash(
  params: Map<string, string[]>,
  req: SigV4Request,
  signed: string[],
): string {
  for (const [name, values] of params) {
    if (name.toLowerCase() === 'x-amz-content-sha256' && values[0] !== undefined) {
      checkContentSha256(values[0]);
      return values[0];
    }
  }
  const header = single(req.headers['x-amz-content-sha256']);
  if (header !== undefined && signed.includes('x-amz-content-sha256')) {
    checkContentSha256(header);
    return header;
  }
  return UNSIGNED_PAYLOAD;
}

/** Authenticates a request signed in its query string. */
export async function verifyPresigned(
  req: SigV4Request,
  lookup: SecretLookup,
  opts: VerifyOptions = {},
): Promise<VerifiedRequest> {
  const params = decodedParams(req.rawQuery);
  const auth = authParams(params);
  if (auth['X-Amz-Algorithm'] !== ALGORITHM) {
    throw queryError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  const amzDate = auth['X-Amz-Date'];
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) {
    throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expires = parseExpires(auth['X-Amz-Expires']);
  const scope = parseCredential(auth['X-Amz-Credential'], QUERY_ERRORS);
  checkScopeDate(scope, amzDate, QUERY_ERRORS);
  const signedHeaders = parseSignedHeaders(auth['X-Amz-SignedHeaders']);
  checkSignedHeaders(signedHeaders, {}, queryError);
  checkValidity(signedAt, expires, opts.now ?? new Date(), opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  const payloadHash = presignedPayloadHash(params, req, signedHeaders);
  const signature = auth['X-Amz-Signature'];
  const checked = await checkSignature(
    {
      req,
      scope,
      amzDate,
      signedHeaders,
      signature,
      payloadHash,
      dropFromQuery: 'X-Amz-Signature',
    },
    lookup,
  );
  return {
    accessKeyId: scope.accessKeyId,
    user: checked.secret.user,
    payload: payloadModeFor(payloadHash, checked, signature, amzDate),
    presigned: true,
    region: scope.region,
  };
}
