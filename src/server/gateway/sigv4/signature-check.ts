// The step header and query authentication share: find the secret, rebuild the canonical request,
// and compare signatures in constant time. The error carries what S3 shows a client to debug its
// signer (canonical request, string to sign) — never the secret, the key or our signature.
import { S3Error } from '../s3-errors.js';
import { canonicalPaths, canonicalQuery, canonicalRequest, stringToSign } from './canonical.js';
import { scopeString } from './credential-scope.js';
import { sign, signaturesEqual, signingKey } from './signing-key.js';
import type { CredentialScope, SecretLookup, SigV4Request, SigV4Secret } from './types.js';

export interface SignedRequestParts {
  req: SigV4Request;
  scope: CredentialScope;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  /** The query parameter holding the signature (presigned), left out of the canonical query. */
  dropFromQuery?: string;
}

export interface CheckedSignature {
  secret: SigV4Secret;
  signingKey: Buffer;
  scope: string;
}

/** The secret of `accessKeyId`; InvalidAccessKeyId when there is none. */
export async function findSecret(lookup: SecretLookup, accessKeyId: string): Promise<SigV4Secret> {
  const secret = await lookup(accessKeyId);
  if (secret) return secret;
  throw new S3Error(
    'InvalidAccessKeyId',
    'The AWS Access Key Id you provided does not exist in our records.',
    { AWSAccessKeyId: accessKeyId },
  );
}

/** Verifies the request's signature; SignatureDoesNotMatch when it is not ours. */
export async function checkSignature(
  parts: SignedRequestParts,
  lookup: SecretLookup,
): Promise<CheckedSignature> {
  const { req, scope: credential } = parts;
  const secret = await findSecret(lookup, credential.accessKeyId);
  const key = signingKey(
    secret.secretAccessKey,
    credential.date,
    credential.region,
    credential.service,
  );
  const scope = scopeString(credential);
  const query = canonicalQuery(req.rawQuery, parts.dropFromQuery);
  let first: { canonical: string; toSign: string } | undefined;
  for (const path of canonicalPaths(req.rawPath)) {
    const canonical = canonicalRequest({
      method: req.method.toUpperCase(),
      path,
      query,
      headers: req.headers,
      signedHeaders: parts.signedHeaders,
      payloadHash: parts.payloadHash,
    });
    const toSign = stringToSign(parts.amzDate, scope, canonical);
    if (signaturesEqual(sign(key, toSign), parts.signature)) {
      return { secret, signingKey: key, scope };
    }
    first ??= { canonical, toSign };
  }
  throw new S3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      AWSAccessKeyId: credential.accessKeyId,
      StringToSign: first?.toSign ?? '',
      CanonicalRequest: first?.canonical ?? '',
    },
  );
}
