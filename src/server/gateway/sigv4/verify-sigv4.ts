// The one entry for authenticating an S3 request: picks header or query authentication, refuses
// the mechanisms Sluice does not speak (SigV2, SigV4a) in S3's words, and anonymous requests.
import { S3Error } from '../s3-errors.js';
import { splitQuery } from './canonical.js';
import { single } from './request-time.js';
import type { SecretLookup, SigV4Request, VerifiedRequest, VerifyOptions } from './types.js';
import { percentDecodeString } from './uri-encode.js';
import { verifyHeaderAuth } from './verify-header.js';
import { verifyPresigned } from './verify-presigned.js';

const UNSUPPORTED =
  'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

function queryNames(rawQuery: string): Set<string> {
  return new Set(splitQuery(rawQuery).map((p) => percentDecodeString(p.key)));
}

/** Authenticates a request signed in its Authorization header or its query (presigned). */
export async function verifySigV4(
  req: SigV4Request,
  lookup: SecretLookup,
  opts: VerifyOptions = {},
): Promise<VerifiedRequest> {
  const authorization = single(req.headers.authorization);
  const names = queryNames(req.rawQuery);
  const presigned = names.has('X-Amz-Algorithm') || names.has('X-Amz-Signature');
  const presignedV2 = names.has('AWSAccessKeyId') && names.has('Signature');
  if (authorization !== undefined) {
    if (presigned || presignedV2) {
      throw new S3Error(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      );
    }
    if (authorization.startsWith('AWS4-HMAC-SHA256')) {
      return verifyHeaderAuth(req, authorization, lookup, opts);
    }
    if (authorization.startsWith('AWS ') || authorization.startsWith('AWS4-')) {
      throw new S3Error('InvalidRequest', UNSUPPORTED);
    }
    throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', {
      ArgumentName: 'Authorization',
    });
  }
  if (presigned) return verifyPresigned(req, lookup, opts);
  if (presignedV2) throw new S3Error('InvalidRequest', UNSUPPORTED);
  throw new S3Error('AccessDenied', 'Access Denied');
}
