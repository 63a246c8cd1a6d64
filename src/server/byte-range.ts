// The one byte range a `Range:` header asks of an object: shared by the API's download route and
// the S3 gateway's GetObject, so both answer the same header the same way.
import { RangeNotSatisfiableError } from '../index.js';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * The one byte range a `Range:` header asks of an object of `size` bytes: undefined to send it
 * whole (no header, several ranges, or a header that is not a byte range — RFC 9110 lets a server
 * ignore those), or RangeNotSatisfiableError when it starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = () =>
    new RangeNotSatisfiableError(`range ${header} is outside the object (${size} bytes)`, {
      range: header,
      size,
    });
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}
