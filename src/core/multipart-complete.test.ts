import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { UploadPartRecord } from '../meta/meta-store.js';
import { chooseParts, multipartEtag } from './multipart-complete.js';

const rec = (n: number, size: number): UploadPartRecord => ({
  partNumber: n,
  size,
  md5: createHash('md5').update(`part ${n}`).digest('hex'),
  checksums: {},
  key: `tmp/uploads/u/${n}`,
  createdAt: new Date(0),
});

describe('multipartEtag', () => {
  it('is the MD5 of the binary MD5s, then -N (the value S3 and boto3 compute)', () => {
    // Two parts whose MD5s are those of "a" and "b"; the expected value computed by hand here.
    const a = createHash('md5').update('a').digest();
    const b = createHash('md5').update('b').digest();
    const want = createHash('md5')
      .update(Buffer.concat([a, b]))
      .digest('hex');
    expect(multipartEtag([a.toString('hex'), b.toString('hex')])).toBe(`${want}-2`);
    expect(multipartEtag([a.toString('hex')])).toMatch(/-1$/);
  });
});

describe('chooseParts', () => {
  const recorded = [rec(1, 10), rec(2, 10), rec(5, 3)];
  const named = (ns: number[]) =>
    ns.map((n) => ({
      partNumber: n,
      etag: `"${(recorded.find((r) => r.partNumber === n) ?? rec(n, 0)).md5}"`,
    }));

  it('takes the named parts in order, skipping numbers, ignoring quotes', () => {
    expect(chooseParts(named([1, 5]), recorded, 10).map((p) => p.partNumber)).toEqual([1, 5]);
    expect(chooseParts(named([2]), recorded, 10).map((p) => p.partNumber)).toEqual([2]);
  });

  it('refuses what S3 refuses', () => {
    expect(() => chooseParts(named([2, 1]), recorded, 10)).toThrow(
      expect.objectContaining({ code: 'InvalidPartOrderError' }),
    );
    expect(() => chooseParts(named([1, 3]), recorded, 10)).toThrow(
      expect.objectContaining({
        code: 'InvalidPartError',
        data: { partNumber: 3, reason: 'not uploaded' },
      }),
    );
    expect(() => chooseParts([{ partNumber: 1, etag: 'x' }], recorded, 10)).toThrow(
      expect.objectContaining({
        code: 'InvalidPartError',
        data: { partNumber: 1, reason: 'etag mismatch' },
      }),
    );
    expect(() => chooseParts(named([5, 1]), recorded, 10)).toThrow(
      expect.objectContaining({ code: 'InvalidPartOrderError' }),
    );
    expect(() => chooseParts(named([1, 2, 5]), recorded, 11)).toThrow(
      expect.objectContaining({
        code: 'EntityTooSmallError',
        data: { partNumber: 1, size: 10, minimum: 11 },
      }),
    );
    expect(() => chooseParts([], recorded)).toThrow(
      expect.objectContaining({ code: 'InvalidArgumentError' }),
    );
  });
});
