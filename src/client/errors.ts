// An error document from the server, as the SluiceError class the server raised: the same code,
// message and data, so a caller (the remote CLI) handles it as it would the library's own error —
// same exit code, same printed report. A code this version does not know falls back to the
// category of its HTTP status.
import * as errors from '../common/errors.js';
import {
  AuthError,
  ConflictError,
  InternalError,
  NotFoundError,
  PreconditionError,
  type SluiceError,
  UnavailableError,
  ValidationError,
} from '../common/errors.js';

type ErrorClass = new (message: string, data?: Record<string, unknown>) => SluiceError;

const BY_CODE = new Map<string, ErrorClass>();
for (const [name, value] of Object.entries(errors)) {
  if (typeof value === 'function' && value.prototype instanceof errors.SluiceError)
    BY_CODE.set(name, value as unknown as ErrorClass);
}

function categoryOf(status: number): ErrorClass {
  if (status === 401 || status === 403 || status === 429) return AuthError as ErrorClass;
  if (status === 404) return NotFoundError as ErrorClass;
  if (status === 409) return ConflictError as ErrorClass;
  if (status === 412) return PreconditionError as ErrorClass;
  if (status === 503) return UnavailableError as ErrorClass;
  if (status >= 400 && status < 500) return ValidationError as ErrorClass;
  return InternalError as ErrorClass;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

/** The SluiceError a response's error document names (status: the response's). */
export function errorFromResponse(status: number, body: unknown): SluiceError {
  const doc = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const code = typeof doc.error?.code === 'string' ? doc.error.code : undefined;
  const message =
    typeof doc.error?.message === 'string' ? doc.error.message : `the server answered ${status}`;
  const data =
    typeof doc.error?.data === 'object' && doc.error.data !== null
      ? (doc.error.data as Record<string, unknown>)
      : {};
  const Class = (code !== undefined ? BY_CODE.get(code) : undefined) ?? categoryOf(status);
  const err = new Class(message, data);
  // A code this version does not know keeps its name: scripts match on the code.
  if (code !== undefined && err.code !== code) Object.defineProperty(err, 'code', { value: code });
  return err;
}
