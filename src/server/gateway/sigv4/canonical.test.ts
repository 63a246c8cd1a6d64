// The canonical pieces on their own: SigV4's URI encoding, the query's decode-encode-sort, header
// value folding, and AWS's published GET example (sig-v4-header-based-auth) as a golden vector.
import { describe, expect, it } from 'vitest';
import { canonicalHeaderValue, canonicalPaths, canonicalQuery } from './canonical.js';
import { verifySigV4 } from './index.js';
import { percentDecode, uriEncode } from './uri-encode.js';

describe('URI encoding', () => {
  it('keeps only unreserved characters, upper-case hex, UTF-8 bytes', () => {
    expect(uriEncode("a-b_c.d~e f+g=h/i!*'()")).toBe('a-b_c.d~e%20f%2Bg%3Dh%2Fi%21%2A%27%28%29');
    expect(uriEncode('a/b c', true)).toBe('a/b%20c');
    expect(uriEncode('ü日')).toBe('%C3%BC%E6%97%A5');
  });

  it('decodes to bytes, leaving a stray % and + as they are', () => {
    expect(percentDecode('a%2fb%ZZ%4+').toString('latin1')).toBe('a/b%ZZ%4+');
    expect(percentDecode('%ff').equals(Buffer.from([0xff]))).toBe(true);
  });
});

describe('canonical query', () => {
  it('re-encodes, sorts by key then value, and can drop the signature', () => {
    expect(canonicalQuery('b=2&a=%7e&a=1&c&X-Amz-Signature=ff', 'X-Amz-Signature')).toBe(
      'a=1&a=~&b=2&c=',
    );
    expect(canonicalQuery('prefix=a+b&delimiter=%2F')).toBe('delimiter=%2F&prefix=a%2Bb');
    expect(canonicalQuery('')).toBe('');
  });
});

describe('canonical path and headers', () => {
  it('uses the path as sent, then its SigV4 re-encoding when that differs', () => {
    expect(canonicalPaths('/b/a%20b')).toEqual(['/b/a%20b']);
    expect(canonicalPaths('/b/a!b')).toEqual(['/b/a!b', '/b/a%21b']);
    expect(canonicalPaths('')).toEqual(['/']);
  });

  it('trims values, folds inner whitespace and joins repeated headers with commas', () => {
    expect(canonicalHeaderValue('  a   b\t c  ')).toBe('a b c');
    expect(canonicalHeaderValue(['x ', ' y'])).toBe('x,y');
    expect(canonicalHeaderValue(undefined)).toBe('');
  });
});

describe("AWS's GET Object example (sig-v4-header-based-auth)", () => {
  it('verifies the published signature', async () => {
    const req = {
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    };
    const lookup = async () => ({
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      user: 'example',
    });
    const v = await verifySigV4(req, lookup, { now: new Date('2013-05-24T00:05:00Z') });
    expect(v.user).toBe('example');
  });
});
