// The one place where the server turns errors into HTTP statuses and the error document
// `{"error":{"code","message","data"}}` — most specific rule first, the same stable codes as the
// CLI (cli/errors.ts maps the same classes to exit codes).
import {
  AuthError,
  ConflictError,
  IntegrityError,
  InvalidArgumentError,
  NotFoundError,
  ObjectNotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  PreconditionError,
  QueryTimeoutError,
  RangeNotSatisfiableError,
  RateLimitedError,
  ReadOnlySqlError,
  SluiceError,
  toSluiceError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '../index.js';

export interface ErrorDocument {
  error: { code: string; message: string; data: unknown };
}

/** HTTP status of an error, most specific rule first. */
export function statusOf(err: SluiceError): number {
  if (err instanceof UnavailableError) return 503;
  // The tree names the object but the store lost it: damage, not a mistyped name.
  if (err instanceof ObjectNotFoundError) return 500;
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof RangeNotSatisfiableError) return 416;
  // Not 408 (the client was slow to send; clients retry it on their own): the same query times out
  // again, so it is the request that must change (common/errors.ts).
  if (err instanceof QueryTimeoutError) return 400;
  if (err instanceof ValidationError) return 400;
  if (err instanceof UnauthenticatedError) return 401;
  if (err instanceof RateLimitedError) return 429;
  if (err instanceof PermissionDeniedError || err instanceof ReadOnlySqlError) return 403;
  if (err instanceof AuthError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof PreconditionError) return 412;
  if (err instanceof IntegrityError) return 500;
  return 500;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: { instancePath?: string; message?: string }[];
  validationContext?: string;
  message: string;
}

/** Fastify's own errors (validation, body size, content type, bad JSON) as Sluice errors. */
function fromFastify(err: FastifyLikeError): SluiceError | undefined {
  if (err.validation) {
    const first = err.validation[0];
    const where = `${err.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    return new InvalidArgumentError(`${where}: ${first?.message ?? err.message}`, {
      argument: where,
      reason: first?.message ?? err.message,
    });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError('request body is larger than the server accepts', {
        limit: 0,
        what: 'body',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new InvalidArgumentError(err.message, { argument: 'body', reason: err.code });
  }
  if (err.code?.startsWith('FST_') && err.statusCode !== undefined && err.statusCode < 500) {
    return new InvalidArgumentError(err.message, { argument: 'request', reason: err.code });
  }
  return undefined;
}

/** Anything thrown by a route, as a SluiceError and its status. */
export function toHttpError(err: unknown): { status: number; error: SluiceError } {
  const error =
    err instanceof SluiceError
      ? err
      : ((typeof err === 'object' && err !== null
          ? fromFastify(err as FastifyLikeError)
          : undefined) ?? toSluiceError(err));
  return { status: statusOf(error), error };
}

export function errorDocument(err: SluiceError): ErrorDocument {
  return { error: { code: err.code, message: err.message, data: err.data } };
}
