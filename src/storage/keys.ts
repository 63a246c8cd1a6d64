// Object key rules and ordering shared by every ObjectStore, so a key accepted by one store is
// accepted by all, and every store lists in the same (UTF-8 byte, i.e. S3) order.
import { InvalidArgumentError } from '../common/errors.js';

/** Name prefix of LocalFsStore's in-flight temp files; reserved so no key can collide with one. */
export const TEMP_PREFIX = '.sluice-tmp-';

const MAX_KEY_BYTES = 1024; // S3's limit
const MAX_SEGMENT_BYTES = 255; // NAME_MAX on common filesystems
// Lone surrogates would encode to U+FFFD, so two distinct keys could map to one file.
const BAD_CHARS = /[\\\0]|[\uD800-\uDFFF]/u;

/** Why `segment` is not a valid key segment, or undefined when it is. */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'empty segment (leading, trailing or double "/")';
  if (segment === '.' || segment === '..') return `"${segment}" segment`;
  if (BAD_CHARS.test(segment)) return 'backslash, NUL or unpaired surrogate';
  if (segment.startsWith(TEMP_PREFIX)) return `segment starts with reserved "${TEMP_PREFIX}"`;
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
    return `segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Throws InvalidArgumentError unless `key` is a relative `/`-separated path that stays inside its store. */
export function validateKey(key: string): void {
  let reason: string | undefined;
  if (typeof key !== 'string' || key === '') reason = 'empty key';
  else if (Buffer.byteLength(key) > MAX_KEY_BYTES) reason = `longer than ${MAX_KEY_BYTES} bytes`;
  else {
    for (const segment of key.split('/')) {
      reason = segmentProblem(segment);
      if (reason) break;
    }
  }
  if (reason) {
    throw new InvalidArgumentError(`invalid object key ${JSON.stringify(key)}: ${reason}`, {
      argument: 'key',
      reason,
    });
  }
}

/** Checks a requested byte range; returns the inclusive [start, end] clipped to an object of `size` bytes. */
export function resolveRange(
  range: { start: number; end?: number } | undefined,
  size: number,
): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InvalidArgumentError(`invalid range start ${start}`, {
      argument: 'range',
      reason: 'start must be a non-negative integer',
    });
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new InvalidArgumentError(`invalid range end ${end}`, {
      argument: 'range',
      reason: 'end must be an integer not below start',
    });
  }
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/** Validates a range before the object's size is known (throws like resolveRange). */
export function checkRange(range: { start: number; end?: number } | undefined): void {
  resolveRange(range, Number.MAX_SAFE_INTEGER);
}

export { compareKeys } from '../common/keys.js';
