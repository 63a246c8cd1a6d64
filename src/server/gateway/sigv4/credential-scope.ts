// The credential of a SigV4 request — `<access key>/<date>/<region>/<service>/aws4_request` — and
// S3's rules for it: service `s3`, the scope's date equal to the request's date. Any region is
// accepted, since clients are configured with one (us-east-1, …) and Sluice has none.
import { S3Error } from '../s3-errors.js';
import type { CredentialScope } from './types.js';

export const SERVICE = 's3';
const SCOPE_DATE = /^\d{8}$/;

/** How each authentication style words its errors (S3 uses different codes and prefixes). */
export interface ScopeErrors {
  malformed(detail: string): S3Error;
}

export const HEADER_ERRORS: ScopeErrors = {
  malformed: (detail) =>
    new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`),
};

export const QUERY_ERRORS: ScopeErrors = {
  malformed: (detail) =>
    new S3Error(
      'AuthorizationQueryParametersError',
      `Error parsing the X-Amz-Credential parameter; ${detail}`,
    ),
};

/** The credential's parts; throws `errors.malformed` unless it has them all. */
export function parseCredential(value: string, errors: ScopeErrors): CredentialScope {
  const parts = value.split('/');
  const terminal = parts.pop();
  const [service, region, date] = [parts.pop(), parts.pop(), parts.pop()];
  const accessKeyId = parts.join('/');
  if (!accessKeyId || !date || !region || !service || terminal === undefined) {
    throw errors.malformed(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (terminal !== 'aws4_request') {
    throw errors.malformed(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  }
  if (service !== SERVICE) {
    throw errors.malformed(
      `incorrect service "${service}". This endpoint belongs to "${SERVICE}".`,
    );
  }
  if (!SCOPE_DATE.test(date)) {
    throw errors.malformed(
      `incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
    );
  }
  return { accessKeyId, date, region, service };
}

/** Throws unless the scope's date is the date of `amzDate` (the signing time). */
export function checkScopeDate(scope: CredentialScope, amzDate: string, errors: ScopeErrors): void {
  const day = amzDate.slice(0, 8);
  if (scope.date === day) return;
  throw errors.malformed(
    `Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${day}".`,
  );
}

/** The scope as it appears in the string to sign. */
export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}
