// Request bodies' character references: rclone (Go's encoding/xml) writes an ETag's quotes as
// `&#34;`, the AWS SDKs as `&quot;`; a key may hold `&amp;`. All must reach the operation decoded.
import { describe, expect, it } from 'vitest';
import { decodeXmlText, parseXmlBody } from './xml.js';

describe('parseXmlBody', () => {
  it('decodes named and numeric references in every value', () => {
    const body =
      '<CompleteMultipartUpload><Part><ETag>&#34;abc&#34;</ETag><PartNumber>1</PartNumber></Part>' +
      '<Part><ETag>&quot;def&quot;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>';
    const doc = parseXmlBody(body, 'CompleteMultipartUpload') as { Part: { ETag: string }[] };
    expect(doc.Part.map((p) => p.ETag)).toEqual(['"abc"', '"def"']);
    const del = parseXmlBody(
      '<Delete><Object><Key>main/a&amp;b &lt;c&gt; &#x1F600;&apos;.txt</Key></Object></Delete>',
      'Delete',
    ) as { Object: { Key: string } };
    expect(del.Object.Key).toBe("main/a&b <c> \u{1F600}'.txt");
  });

  it('refuses references that are not XML’s: MalformedXML', () => {
    for (const bad of ['&nbsp;', '&#0;', '&#xD800;', '&#99999999;', '&amp'])
      expect(() => decodeXmlText(`a${bad}b`), bad).toThrow(/invalid character reference/);
    expect(decodeXmlText('plain')).toBe('plain');
  });
});
