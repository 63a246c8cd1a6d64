// Listing parameters: continuation tokens are ours or refused, max-keys is capped, start keys
// combine, and the permission asked follows the prefix's ref.
import { describe, expect, it } from 'vitest';
import {
  decodeToken,
  encodeToken,
  listingAsk,
  listParamsV1,
  listParamsV2,
} from './listing-params.js';
import type { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

function req(query: string): S3Request {
  return {
    method: 'GET',
    bucket: 'repo',
    key: '',
    path: '',
    query: new URLSearchParams(query),
    headers: {},
    rawPath: '/repo',
    rawQuery: query,
    requestId: 'r',
  };
}

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as S3Error).code;
  }
  return 'none';
};

describe('continuation tokens', () => {
  it('round-trip any key, unicode included', () => {
    for (const key of ['main/a', 'main/ü 😀+%', 'v1/'])
      expect(decodeToken(encodeToken(key))).toBe(key);
  });

  it('refuse what we did not write', () => {
    for (const token of ['', 'not base64!', 'AAAA', Buffer.from('main/a').toString('base64url')])
      expect(codeOf(() => decodeToken(token))).toBe('InvalidArgument');
  });
});

describe('listParams', () => {
  it('defaults and caps max-keys at 1000, takes 0, refuses garbage', () => {
    expect(listParamsV2(req('list-type=2')).maxKeys).toBe(1000);
    expect(listParamsV2(req('max-keys=5000')).maxKeys).toBe(1000);
    expect(listParamsV2(req('max-keys=0')).maxKeys).toBe(0);
    expect(codeOf(() => listParamsV2(req('max-keys=-1')))).toBe('InvalidArgument');
    expect(codeOf(() => listParamsV2(req('max-keys=1e3')))).toBe('InvalidArgument');
    expect(codeOf(() => listParamsV2(req('encoding-type=base64')))).toBe('InvalidArgument');
  });

  it('starts after the later of token and start-after', () => {
    const t = encodeToken('main/m');
    expect(listParamsV2(req(`continuation-token=${t}&start-after=main/a`)).after).toBe('main/m');
    expect(listParamsV2(req(`continuation-token=${t}&start-after=main/z`)).after).toBe('main/z');
    expect(listParamsV1(req('marker=main/q')).after).toBe('main/q');
    expect(listParamsV1(req('')).after).toBeUndefined();
  });

  it('asks read on the prefix ref, or on the repository at its root', () => {
    expect(listingAsk(req('prefix=main/data/'))).toEqual([
      { action: 'repo:Read', repository: 'repo', ref: 'main' },
    ]);
    expect(listingAsk(req('prefix=ma'))).toEqual([{ action: 'repo:Read', repository: 'repo' }]);
    expect(listingAsk(req(''))).toEqual([{ action: 'repo:Read', repository: 'repo' }]);
  });
});
