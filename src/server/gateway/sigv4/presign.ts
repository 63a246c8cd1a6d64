// Presigned URLs (query authentication) made by the gateway itself, e.g. for `sluice` commands
// that hand out a link; verified by verify-presigned.ts like any client's.
import { InvalidArgumentError } from '../../../index.js';
import { canonicalQuery, canonicalRequest, stringToSign } from './canonical.js';
import { SERVICE } from './credential-scope.js';
import { formatAmzDate } from './request-time.js';
import { sign, signingKey } from './signing-key.js';
import { ALGORITHM, UNSIGNED_PAYLOAD } from './types.js';
import { uriEncode } from './uri-encode.js';
import { MAX_EXPIRES_SECONDS } from './verify-presigned.js';

export interface PresignArgs {
  method: string;
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  expiresSeconds: number;
  now?: Date;
  /** Further headers the request must carry, signed (host always is). */
  headers?: Record<string, string>;
}

/** A presigned URL for `method url`, valid `expiresSeconds` (1 s … 7 days, else throws). */
export function presignUrl(args: PresignArgs): string {
  const expires = args.expiresSeconds;
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    throw new InvalidArgumentError(
      `expiresSeconds must be a whole number from 1 to ${MAX_EXPIRES_SECONDS}`,
      { argument: 'expiresSeconds', reason: String(expires) },
    );
  }
  const url = new URL(args.url);
  const amzDate = formatAmzDate(args.now ?? new Date());
  const date = amzDate.slice(0, 8);
  const region = args.region ?? 'us-east-1';
  const service = args.service ?? SERVICE;
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(args.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const signedHeaders = Object.keys(headers).sort();
  const authParams: [string, string][] = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${args.accessKeyId}/${date}/${region}/${service}/aws4_request`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expires)],
    ['X-Amz-SignedHeaders', signedHeaders.join(';')],
  ];
  const existing = url.search.slice(1);
  const added = authParams.map(([k, v]) => `${k}=${uriEncode(v)}`).join('&');
  const rawQuery = existing === '' ? added : `${existing}&${added}`;
  const path = url.pathname === '' ? '/' : url.pathname;
  const canonical = canonicalRequest({
    method: args.method.toUpperCase(),
    path,
    query: canonicalQuery(rawQuery),
    headers,
    signedHeaders,
    payloadHash: UNSIGNED_PAYLOAD,
  });
  const scope = `${date}/${region}/${service}/aws4_request`;
  const key = signingKey(args.secretAccessKey, date, region, service);
  const signature = sign(key, stringToSign(amzDate, scope, canonical));
  return `${url.origin}${path}?${rawQuery}&X-Amz-Signature=${signature}`;
}
