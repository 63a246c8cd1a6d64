// Durations and points in time as the CLI and the event log take them: `30m`, `24h`, `7d`, `2w`,
// `1d12h`, `500ms`, or an ISO-8601 date or time. Every problem is an InvalidArgumentError naming
// the argument.
import { InvalidArgumentError } from '../../common/errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w)/g;

/** `30m`, `24h`, `7d`, `2w`, `1d12h`, `500ms` → milliseconds. InvalidArgumentError otherwise. */
export function parseDuration(text: string, argument = 'duration'): number {
  const s = text.trim();
  if (!DURATION.test(s))
    throw invalidArgument(
      argument,
      `expected a duration such as 30m, 24h or 7d (got ${JSON.stringify(text)})`,
    );
  let ms = 0;
  for (const [, n, unit] of s.matchAll(DURATION_PART))
    ms += Number(n) * (UNIT_MS[unit as string] as number);
  // Past what a Date can hold (±8.64e15 ms) a duration means nothing: refuse it.
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS)
    throw invalidArgument(argument, `duration ${JSON.stringify(text)} is too long`);
  return ms;
}

/** The longest duration taken: about 27,000 years, inside what a Date can hold. */
const MAX_DURATION_MS = 864e12;

/**
 * A point in time given as a duration back from `now` (`7d`, `24h`, `30m`) or as an ISO-8601
 * date or time (`2024-05-01`, `2024-05-01T12:00:00Z`). InvalidArgumentError otherwise.
 */
export function parseSince(text: string, now: Date = new Date(), argument = '--since'): Date {
  const s = text.trim();
  if (DURATION.test(s)) {
    const back = new Date(now.getTime() - parseDuration(s, argument));
    if (Number.isFinite(back.getTime())) return back;
    throw invalidArgument(argument, `${JSON.stringify(text)} reaches before any date`);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  throw invalidArgument(
    argument,
    `expected a duration such as 7d, 24h or 30m, or an ISO date or time (got ${JSON.stringify(text)})`,
  );
}

/** `v` as a Date; InvalidArgumentError for an invalid time (an event's `time`). */
export function toDate(v: string | Date, argument: string): Date {
  const d = typeof v === 'string' ? new Date(v) : v;
  if (!Number.isFinite(d.getTime()))
    throw invalidArgument(argument, `not a valid time: ${JSON.stringify(String(v))}`);
  return d;
}

/** `<argument>: <reason>` as an InvalidArgumentError. */
export function invalidArgument(argument: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`${argument}: ${reason}`, { argument, reason });
}
