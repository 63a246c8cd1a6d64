// When a request says it was signed: `X-Amz-Date` (ISO 8601 basic) or, for header auth only, the
// HTTP `Date` header; and S3's 15-minute window around the server's clock.
import { S3Error } from '../s3-errors.js';

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20130524T000000Z` as a Date, or undefined when it is not one. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
  const t = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  // Reject 20130231 and the like, which Date.UTC would roll over.
  return t.getUTCDate() === d && t.getUTCMonth() === mo! - 1 ? t : undefined;
}

/** A Date as `20130524T000000Z`. */
export function formatAmzDate(t: Date): string {
  return t
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The signing time of a header-authenticated request, as the string signed and as a Date. */
export function headerRequestTime(headers: Record<string, string | string[] | undefined>): {
  amzDate: string;
  time: Date;
} {
  const amz = single(headers['x-amz-date']);
  if (amz !== undefined) {
    const time = parseAmzDate(amz);
    if (!time) throw missingDate();
    return { amzDate: amz, time };
  }
  const date = single(headers.date);
  const ms = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(ms)) throw missingDate();
  const time = new Date(ms);
  return { amzDate: formatAmzDate(time), time };
}

function missingDate(): S3Error {
  return new S3Error(
    'AccessDenied',
    'AWS authentication requires a valid Date or x-amz-date header',
  );
}

/** Throws RequestTimeTooSkewed when `time` is more than `maxSkewMs` away from `now`. */
export function checkSkew(time: Date, now: Date, maxSkewMs: number): void {
  if (Math.abs(now.getTime() - time.getTime()) <= maxSkewMs) return;
  throw new S3Error(
    'RequestTimeTooSkewed',
    'The difference between the request time and the current time is too large.',
    {
      RequestTime: formatAmzDate(time),
      ServerTime: now.toISOString(),
      MaxAllowedSkewMilliseconds: String(maxSkewMs),
    },
  );
}

/** A header's single value (the first when Node gave an array). */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
