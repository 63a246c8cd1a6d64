// The slicing-by-8 CRC32C against the reference (@aws-crypto/crc32c) and the standard check value.
import { randomBytes } from 'node:crypto';
import { crc32c as reference } from '@aws-crypto/crc32c';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('has the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the reference at every length and when continued chunk by chunk', () => {
    const data = randomBytes(4099);
    for (const len of [1, 7, 8, 9, 15, 16, 17, 1000, 4099])
      expect(crc32c(data.subarray(0, len))).toBe(reference(data.subarray(0, len)));
    let c = 0;
    for (let i = 0; i < data.length; i += 333) c = crc32c(data.subarray(i, i + 333), c);
    expect(c).toBe(reference(data));
  });
});
