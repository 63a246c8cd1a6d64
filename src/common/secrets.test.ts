import { describe, expect, it } from 'vitest';
import { MASK, redactUrl, Secrets } from './secrets.js';

describe('Secrets.scrub', () => {
  it('masks every value added, in any form a server may echo it', () => {
    const s = new Secrets().add('tok/en+1=', 'hunter22');
    const text = `a tok/en+1= b ${encodeURIComponent('tok/en+1=')} c ${JSON.stringify('hunter22')}`;
    expect(s.scrub(text)).toBe(`a ${MASK} b ${MASK} c "${MASK}"`);
  });

  it('masks the longest secret first, so no part of one is left', () => {
    const s = new Secrets().add('abcd', 'abcdefgh');
    expect(s.scrub('xabcdefghx abcd')).toBe(`x${MASK}x ${MASK}`);
  });

  it('takes a header credential after its scheme, and other header values whole', () => {
    const s = new Secrets().addHeaders({
      Authorization: 'Bearer s3cr3t-token',
      'X-Key': 'k3y-v4l',
    });
    expect(s.scrub('Authorization: Bearer s3cr3t-token; x-key: k3y-v4l')).toBe(
      `Authorization: Bearer ${MASK}; x-key: ${MASK}`,
    );
  });

  it("takes a URL's user info and query values, not its numbers", () => {
    const s = new Secrets().addUrl(
      'https://bobby:pa55word@hooks.example.com/h?token=qu3ry-t0k&size=1000',
    );
    const echoed = 'got /h?token=qu3ry-t0k&size=1000 from bobby with pa55word';
    expect(s.scrub(echoed)).toBe(`got /h?${MASK} from ${MASK} with ${MASK}`);
    expect(new Secrets().addUrl('https://x.example/h?size=1000').scrub('size=1000')).toBe(
      'size=1000',
    );
  });

  it('masks the user info of any URL in a text, whoever wrote it', () => {
    expect(new Secrets().scrub('failed: http://u:p@host:1/x and postgres://a@b/c')).toBe(
      `failed: http://${MASK}@host:1/x and postgres://${MASK}@b/c`,
    );
  });

  it('ignores values too short to be credentials', () => {
    expect(new Secrets().add('', 'a', '200').scrub('HTTP 200 a')).toBe('HTTP 200 a');
  });

  it('scrubs every string of a value', () => {
    const s = new Secrets().add('secret-value');
    expect(s.scrubValue({ a: ['x secret-value'], b: { c: 'secret-value' }, n: 1 })).toEqual({
      a: [`x ${MASK}`],
      b: { c: MASK },
      n: 1,
    });
  });
});

describe('redactUrl', () => {
  it('drops the user info and masks every query value', () => {
    expect(redactUrl('https://u:p@ci.example.com/gate?token=abc&x=1')).toBe(
      `https://ci.example.com/gate?token=${MASK}&x=${MASK}`,
    );
    expect(redactUrl('http://ci.example.com/gate')).toBe('http://ci.example.com/gate');
  });

  it('applies the same rule to a text that is not a URL yet', () => {
    expect(redactUrl(`\${BASE}/gate?token=\${T}`)).toBe(`\${BASE}/gate?${MASK}`);
  });
});
