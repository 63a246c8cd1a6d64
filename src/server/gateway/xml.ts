// S3's XML, both ways: documents the gateway answers (built from plain objects, S3's element
// names, the 2006-03-01 namespace) and the few bodies clients send (DeleteObjects,
// CompleteMultipartUpload), parsed without entities or attributes — only elements and text.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { S3Error } from './s3-errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
  format: false,
});

/** An XML value: text, a number or boolean, a nested element, or a list of repeated elements. */
export type XmlValue = string | number | boolean | XmlElement | XmlValue[] | undefined;
export interface XmlElement {
  [name: string]: XmlValue;
}

/** `<Root xmlns="…">…</Root>`; undefined children are left out, arrays repeat the element. */
export function xmlDocument(
  root: string,
  body: XmlElement,
  opts: { xmlns?: boolean } = {},
): string {
  const element: XmlElement = opts.xmlns === false ? { ...body } : { '@_xmlns': S3_XMLNS, ...body };
  return DECLARATION + builder.build({ [root]: prune(element) });
}

function prune(v: XmlValue): XmlValue {
  if (Array.isArray(v)) return v.map(prune);
  if (v === null || typeof v !== 'object') return v;
  const out: XmlElement = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = prune(x);
  return out;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML's own references in character data, decoded once after parsing (the parser leaves them, so
 * no DOCTYPE entity is ever expanded): the five named ones and numeric ones — Go's encoding/xml
 * (rclone) writes `"` as `&#34;`, the AWS SDKs `&quot;`. An unknown or invalid one is MalformedXML.
 */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]*);?/g, (whole, ref: string) => {
    const named = NAMED[ref];
    if (named !== undefined && whole.endsWith(';')) return named;
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = m ? Number.parseInt(m[1] ?? (m[2] as string), m[1] ? 16 : 10) : Number.NaN;
    if (
      !whole.endsWith(';') ||
      !(code > 0 && code <= 0x10ffff) ||
      (code >= 0xd800 && code < 0xe000)
    )
      throw new S3Error('MalformedXML', 'The XML you provided has an invalid character reference.');
    return String.fromCodePoint(code);
  });
}

function decodeValues(v: unknown): unknown {
  if (typeof v === 'string') return decodeXmlText(v);
  if (Array.isArray(v)) return v.map(decodeValues);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decodeValues(x);
  return out;
}

/** Parses a request body; anything that is not XML with `root` at the top is MalformedXML. */
export function parseXmlBody(text: string, root: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch {
    throw new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.',
    );
  }
  const top = (doc as Record<string, unknown> | undefined)?.[root];
  if (top === undefined || top === null || typeof top !== 'object')
    throw new S3Error('MalformedXML', `The XML you provided has no ${root} element.`);
  return decodeValues(top) as Record<string, unknown>;
}

/** A repeated element as an array (the parser gives one object when there is one). */
export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
