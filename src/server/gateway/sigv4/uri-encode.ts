// SigV4's one URI encoding (RFC 3986 unreserved characters kept, every other byte as %XX in
// upper case), on bytes so invalid UTF-8 or stray '%' in what a client sent cannot throw.

const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || // -
    b === 0x2e || // .
    b === 0x5f || // _
    b === 0x7e // ~
  );
}

/** Bytes as SigV4 encodes them; `keepSlash` for paths. */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = '';
  for (const b of bytes) {
    if (isUnreserved(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** A string (as UTF-8) as SigV4 encodes it. */
export function uriEncode(s: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(s, 'utf8'), keepSlash);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Percent-decoding to bytes; a '%' not followed by two hex digits stays as it is ('+' too). */
export function percentDecode(s: string): Buffer {
  const raw = Buffer.from(s, 'utf8');
  if (!raw.includes(0x25)) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1] ?? 0);
      const lo = hexValue(raw[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** Percent-decoding to a string (invalid UTF-8 becomes U+FFFD). */
export function percentDecodeString(s: string): string {
  return percentDecode(s).toString('utf8');
}
