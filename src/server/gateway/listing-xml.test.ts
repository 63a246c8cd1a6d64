// The listing documents' text: escapes that hold key after key (a global regexp's test() once let
// them slip), and encoding-type=url as S3 writes it.
import { describe, expect, it } from 'vitest';
import { escapeXml, urlEncodeKey, XmlText } from './listing-xml.js';

describe('escapeXml', () => {
  it('escapes every special character of every string, however many in a row', () => {
    const keys = ['a&b', 'x<y', 'p>q', 'a&b', 'r\rs', 'plain', '&&', '<a>&'];
    expect(keys.map(escapeXml)).toEqual([
      'a&amp;b',
      'x&lt;y',
      'p&gt;q',
      'a&amp;b',
      'r&#13;s',
      'plain',
      '&amp;&amp;',
      '&lt;a&gt;&amp;',
    ]);
  });

  it('leaves quotes in character data (the ETag) as they are', () => {
    expect(escapeXml('"abc"')).toBe('"abc"');
  });
});

describe('urlEncodeKey', () => {
  it('writes spaces as +, keeps /, encodes + % and non-ASCII', () => {
    expect(urlEncodeKey('main/a b+c%/ü😀')).toBe('main/a+b%2Bc%25/%C3%BC%F0%9F%98%80');
  });
});

describe('XmlText', () => {
  it('writes elements in order, skips undefined, escapes text', () => {
    const xml = new XmlText('R').el('A', 'x&y').el('B', undefined).el('C', 3).el('D', false).done();
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>x&amp;y</A><C>3</C><D>false</D></R>',
    );
  });
});
