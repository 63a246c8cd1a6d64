// The S3 error vocabulary: what the gateway answers, as S3 clients expect it (an XML document
// with an S3 code, the HTTP status S3 gives that code). Sluice's own errors are translated here,
// once (`toS3Error`), so every operation throws whichever it has and the answer is the same.
import { SluiceError } from '../../index.js';

/** S3's codes and their HTTP statuses (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses). */
export const S3_STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidChunkSizeError: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  MissingSecurityHeader: 400,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
  XAmzContentSHA256Mismatch: 400,
} as const;

export type S3Code = keyof typeof S3_STATUS;

/** An S3 error answer. `extra` fields are added to the XML document (e.g. `Key`, `UploadId`). */
export class S3Error extends Error {
  readonly status: number;
  constructor(
    readonly code: S3Code,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = S3_STATUS[code];
  }
}

/** Sluice error codes and the S3 code a client expects for them (the rest: by HTTP class). */
const BY_SLUICE_CODE: Record<string, S3Code> = {
  RepositoryNotFoundError: 'NoSuchBucket',
  PathNotFoundError: 'NoSuchKey',
  RefNotFoundError: 'NoSuchKey',
  BranchNotFoundError: 'NoSuchKey',
  ObjectNotFoundError: 'NoSuchKey',
  PermissionDeniedError: 'AccessDenied',
  UnauthenticatedError: 'AccessDenied',
  ProtectedBranchError: 'AccessDenied',
  ReadOnlyRefError: 'AccessDenied',
  RangeNotSatisfiableError: 'InvalidRange',
  InvalidPathError: 'InvalidArgument',
  InvalidNameError: 'InvalidArgument',
  InvalidArgumentError: 'InvalidArgument',
  RateLimitedError: 'SlowDown',
  ServerUnavailableError: 'ServiceUnavailable',
  PreconditionFailedError: 'PreconditionFailed',
  UploadNotFoundError: 'NoSuchUpload',
  InvalidPartError: 'InvalidPart',
  InvalidPartOrderError: 'InvalidPartOrder',
  EntityTooSmallError: 'EntityTooSmall',
};

/** Any thrown value as the S3 error to answer. */
export function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof SluiceError) {
    const code = BY_SLUICE_CODE[err.code];
    if (code) return new S3Error(code, err.message);
    if (err.code.endsWith('NotFoundError')) return new S3Error('NoSuchKey', err.message);
    if (err.code.endsWith('ConflictError')) return new S3Error('InvalidRequest', err.message);
  }
  return new S3Error('InternalError', 'We encountered an internal error. Please try again.');
}
