// What `x-amz-content-sha256` promises about the body, as the mode the payload decoder reads it
// in. The value is signed as sent; only the comparison with the body's hash ignores hex case.
import { S3Error } from '../s3-errors.js';
import { single } from './request-time.js';
import type { CheckedSignature } from './signature-check.js';
import { EMPTY_SHA256, type PayloadMode, UNSIGNED_PAYLOAD } from './types.js';

export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** Throws InvalidArgument unless `value` is one S3 accepts (checked before the signature). */
export function checkContentSha256(value: string): void {
  if (
    SHA256_HEX.test(value) ||
    value === UNSIGNED_PAYLOAD ||
    value === STREAMING_SIGNED ||
    value === STREAMING_SIGNED_TRAILER ||
    value === STREAMING_UNSIGNED_TRAILER
  ) {
    return;
  }
  throw new S3Error(
    'InvalidArgument',
    `x-amz-content-sha256 must be ${UNSIGNED_PAYLOAD}, ${STREAMING_UNSIGNED_TRAILER}, ` +
      `${STREAMING_SIGNED}, ${STREAMING_SIGNED_TRAILER}, or a valid sha256 value.`,
    { ArgumentName: 'x-amz-content-sha256' },
  );
}

/**
 * The payload hash a header-authenticated request signed. S3 requires `x-amz-content-sha256` on
 * every SigV4 request; a request without a body and without the header is read as an empty body
 * (as generic SigV4 signers and MinIO do), one with a body is refused as S3 refuses it.
 */
export function headerPayloadHash(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers['x-amz-content-sha256'];
  // Node gives a string; `headersDistinct` gives a one-element array: both are one value.
  const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof value === 'string') {
    checkContentSha256(value);
    return value;
  }
  if (value !== undefined) {
    throw new S3Error('InvalidArgument', 'x-amz-content-sha256 may be sent only once.');
  }
  if (hasBody(headers)) {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  }
  return EMPTY_SHA256;
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = single(headers['content-length']);
  return length !== undefined && length.trim() !== '' && Number(length) !== 0;
}

/** The mode for a verified request's payload hash. */
export function payloadModeFor(
  hash: string,
  checked: CheckedSignature,
  signature: string,
  amzDate: string,
): PayloadMode {
  switch (hash) {
    case UNSIGNED_PAYLOAD:
      return { kind: 'unsigned' };
    case STREAMING_UNSIGNED_TRAILER:
      return { kind: 'streaming-unsigned-trailer' };
    case STREAMING_SIGNED:
    case STREAMING_SIGNED_TRAILER:
      return {
        kind: 'streaming-signed',
        trailer: hash === STREAMING_SIGNED_TRAILER,
        seedSignature: signature,
        signingKey: checked.signingKey,
        scope: checked.scope,
        amzDate,
      };
    default:
      return { kind: 'sha256', hex: hash.toLowerCase() };
  }
}
