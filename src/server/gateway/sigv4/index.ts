// SigV4 for the S3 gateway: what the rest of the gateway imports. Authentication
// (`verifySigV4`), the body as the payload it stands for (`payloadDecoder`), presigned URLs.
export { isAwsChunked, storedContentEncoding } from './aws-chunked.js';
export { type PayloadDecoder, payloadDecoder } from './payload-decoder.js';
export { type PresignArgs, presignUrl } from './presign.js';
export type {
  PayloadMode,
  SecretLookup,
  SigV4Request,
  SigV4Secret,
  VerifiedRequest,
  VerifyOptions,
} from './types.js';
export { verifySigV4 } from './verify-sigv4.js';
