// Header authentication: `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…`, parsed and checked in S3's order (form, date, scope, headers, key, signature).
import { S3Error } from '../s3-errors.js';
import { checkScopeDate, HEADER_ERRORS, parseCredential } from './credential-scope.js';
import { headerPayloadHash, payloadModeFor } from './payload-mode.js';
import { checkSkew, DEFAULT_MAX_SKEW_MS, headerRequestTime } from './request-time.js';
import { checkSignature } from './signature-check.js';
import {
  ALGORITHM,
  type CredentialScope,
  type SecretLookup,
  type SigV4Request,
  type VerifiedRequest,
  type VerifyOptions,
} from './types.js';

export interface ParsedAuthorization {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

const COMPONENTS = ['Credential', 'SignedHeaders', 'Signature'] as const;

/** The three components of a SigV4 Authorization header; AuthorizationHeaderMalformed if not. */
export function parseAuthorization(value: string): ParsedAuthorization {
  if (!value.startsWith(`${ALGORITHM} `)) {
    throw HEADER_ERRORS.malformed(`the authorization header must start with "${ALGORITHM} ".`);
  }
  const found = new Map<string, string>();
  for (const piece of value.slice(ALGORITHM.length + 1).split(',')) {
    const part = piece.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0 || found.has(name)) {
      throw HEADER_ERRORS.malformed(`the authorization component "${part}" is malformed.`);
    }
    found.set(name, part.slice(eq + 1));
  }
  for (const name of COMPONENTS) {
    if (!found.get(name)) {
      throw HEADER_ERRORS.malformed(
        'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
      );
    }
  }
  return {
    scope: parseCredential(found.get('Credential')!, HEADER_ERRORS),
    signedHeaders: parseSignedHeaders(found.get('SignedHeaders')!),
    signature: found.get('Signature')!,
  };
}

/** `host;x-amz-date` as names (lower-cased, as the canonical request lists them). */
export function parseSignedHeaders(value: string): string[] {
  return value.split(';').map((name) => name.trim().toLowerCase());
}

/** Throws unless `host` and every header that must be signed are among the signed headers. */
export function checkSignedHeaders(
  signedHeaders: string[],
  headers: SigV4Request['headers'],
  malformed: (detail: string) => S3Error,
): void {
  if (signedHeaders.some((name) => name === '')) {
    throw malformed('the SignedHeaders component contains an empty header name.');
  }
  if (!signedHeaders.includes('host')) {
    throw malformed('the host header must be signed.');
  }
  if (headers['x-amz-content-sha256'] !== undefined) {
    if (!signedHeaders.includes('x-amz-content-sha256')) {
      throw new S3Error(
        'AccessDenied',
        'There were headers present in the request which were not signed',
        {
          HeadersNotSigned: 'x-amz-content-sha256',
        },
      );
    }
  }
}

/** Authenticates a request signed in its Authorization header. */
export async function verifyHeaderAuth(
  req: SigV4Request,
  authorization: string,
  lookup: SecretLookup,
  opts: VerifyOptions = {},
): Promise<VerifiedRequest> {
  const auth = parseAuthorization(authorization);
  const { amzDate, time } = headerRequestTime(req.headers);
  checkSkew(time, opts.now ?? new Date(), opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  checkScopeDate(auth.scope, amzDate, HEADER_ERRORS);
  checkSignedHeaders(auth.signedHeaders, req.headers, HEADER_ERRORS.malformed);
  const payloadHash = headerPayloadHash(req.headers);
  const checked = await checkSignature(
    {
      req,
      scope: auth.scope,
      amzDate,
      signedHeaders: auth.signedHeaders,
      signature: auth.signature,
      payloadHash,
    },
    lookup,
  );
  return {
    accessKeyId: auth.scope.accessKeyId,
    user: checked.secret.user,
    payload: payloadModeFor(payloadHash, checked, auth.signature, amzDate),
    presigned: false,
    region: auth.scope.region,
  };
}
