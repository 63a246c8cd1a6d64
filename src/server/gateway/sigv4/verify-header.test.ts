// Header authentication against requests signed by @smithy/signature-v4 (the AWS SDK's signer):
// each S3 refusal with its code, and a property — any signed request verifies, any change fails.
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../s3-errors.js';
import { payloadDecoder, type SigV4Request, verifySigV4 } from './index.js';
import { uriEncode } from './uri-encode.js';

const AKID = 'AKIDTESTHEADER';
const SECRET = 'header/secret+key';
const NOW = new Date('2026-03-04T05:06:07Z');
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const lookup = async (id: string) =>
  id === AKID ? { secretAccessKey: SECRET, user: 'alice' } : undefined;

/** A node:crypto hash in the shape the SDK's signer takes (Checksum). */
class NodeSha256 {
  private h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = this.fresh();
  }
  private fresh() {
    const s = this.secret;
    if (s === undefined) return createHash('sha256');
    const key =
      typeof s === 'string'
        ? s
        : ArrayBuffer.isView(s)
          ? Buffer.from(s.buffer, s.byteOffset, s.byteLength)
          : Buffer.from(s);
    return createHmac('sha256', key);
  }
  update(data: Uint8Array | string): void {
    this.h.update(typeof data === 'string' ? Buffer.from(data) : data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.fresh();
  }
}

interface Spec {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  contentSha256?: string;
  secret?: string;
  accessKeyId?: string;
  signedAt?: Date;
  region?: string;
  /** Let the signer add x-amz-content-sha256 when the spec has none (the SDK's default). */
  applyChecksum?: boolean;
}

/** A request signed by the SDK's signer, as the gateway would see it arrive. */
async function signed(spec: Spec = {}): Promise<SigV4Request> {
  const signer = new SignatureV4({
    service: 's3',
    region: spec.region ?? 'us-east-1',
    credentials: { accessKeyId: spec.accessKeyId ?? AKID, secretAccessKey: spec.secret ?? SECRET },
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: spec.applyChecksum ?? false,
  });
  const path = spec.path ?? '/bucket/key';
  const headers: Record<string, string> = {
    host: 'localhost:9000',
    ...(spec.contentSha256 === undefined ? {} : { 'x-amz-content-sha256': spec.contentSha256 }),
    ...spec.headers,
  };
  const query = spec.query ?? {};
  const req = await signer.sign(
    {
      method: spec.method ?? 'GET',
      protocol: 'http:',
      hostname: 'localhost',
      port: 9000,
      path,
      query,
      headers,
    },
    { signingDate: spec.signedAt ?? NOW },
  );
  return {
    method: req.method,
    rawPath: path,
    rawQuery: wireQuery(query),
    headers: lowerCase(req.headers),
  };
}

function wireQuery(query: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    for (const value of Array.isArray(v) ? v : [v])
      parts.push(`${uriEncode(k)}=${uriEncode(value)}`);
  }
  return parts.join('&');
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function s3Code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3Error) return err.code;
    throw err;
  }
  return 'ok';
}

const verify = (req: SigV4Request, now = NOW) => verifySigV4(req, lookup, { now });

describe('header authentication', () => {
  it('verifies an SDK-signed GET and reports who signed it', async () => {
    const req = await signed({ contentSha256: EMPTY, query: { prefix: 'a b', 'list-type': '2' } });
    const v = await verify(req);
    expect(v).toMatchObject({
      accessKeyId: AKID,
      user: 'alice',
      presigned: false,
      region: 'us-east-1',
    });
    expect(v.payload).toEqual({ kind: 'sha256', hex: EMPTY });
  });

  it("accepts Node's headersDistinct (every value an array) as well as its headers", async () => {
    const req = await signed({
      method: 'PUT',
      contentSha256: 'UNSIGNED-PAYLOAD',
      headers: { 'x-a': 'b' },
    });
    const distinct = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, [v as string]]),
    );
    expect((await verify({ ...req, headers: distinct })).payload).toEqual({ kind: 'unsigned' });
  });

  it('accepts any region the client is configured with', async () => {
    const v = await verify(await signed({ contentSha256: EMPTY, region: 'eu-sluice-1' }));
    expect(v.region).toBe('eu-sluice-1');
  });

  it('reads the payload modes from x-amz-content-sha256', async () => {
    const unsigned = await verify(
      await signed({ method: 'PUT', contentSha256: 'UNSIGNED-PAYLOAD' }),
    );
    expect(unsigned.payload).toEqual({ kind: 'unsigned' });
    const trailer = await verify(
      await signed({ method: 'PUT', contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }),
    );
    expect(trailer.payload).toEqual({ kind: 'streaming-unsigned-trailer' });
    const req = await signed({
      method: 'PUT',
      contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    });
    const streaming = await verify(req);
    expect(streaming.payload).toMatchObject({
      kind: 'streaming-signed',
      trailer: false,
      scope: '20260304/us-east-1/s3/aws4_request',
      amzDate: '20260304T050607Z',
    });
  });

  it('treats a body-less request without x-amz-content-sha256 as an empty payload', async () => {
    const v = await verify(await signed({ method: 'DELETE' }));
    expect(v.payload).toEqual({ kind: 'sha256', hex: EMPTY });
  });

  it('refuses a body without x-amz-content-sha256, as S3 does (InvalidRequest)', async () => {
    const req = await signed({ method: 'PUT', headers: { 'content-length': '5' } });
    expect(await s3Code(verify(req))).toBe('InvalidRequest');
  });

  it('verifies a path the client sent encoded differently from how it signed it', async () => {
    const req = await signed({ path: '/bucket/a%21b%28c%29', contentSha256: EMPTY });
    expect((await verify({ ...req, rawPath: '/bucket/a!b(c)' })).user).toBe('alice');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch, showing no secret', async () => {
    const req = await signed({ secret: 'not-the-secret', contentSha256: EMPTY });
    const err = await verify(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3Error);
    expect((err as S3Error).code).toBe('SignatureDoesNotMatch');
    const shown = JSON.stringify({ m: (err as S3Error).message, x: (err as S3Error).extra });
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain('CanonicalRequest');
  });

  it('refuses an unknown access key with InvalidAccessKeyId', async () => {
    expect(
      await s3Code(verify(await signed({ accessKeyId: 'AKIDNOBODY', contentSha256: EMPTY }))),
    ).toBe('InvalidAccessKeyId');
  });

  it('refuses a date more than 15 minutes off with RequestTimeTooSkewed', async () => {
    const late = new Date(NOW.getTime() + 16 * 60_000);
    const early = new Date(NOW.getTime() - 16 * 60_000);
    expect(await s3Code(verify(await signed({ contentSha256: EMPTY }), late))).toBe(
      'RequestTimeTooSkewed',
    );
    expect(await s3Code(verify(await signed({ contentSha256: EMPTY }), early))).toBe(
      'RequestTimeTooSkewed',
    );
    const within = new Date(NOW.getTime() + 14 * 60_000);
    expect(await s3Code(verify(await signed({ contentSha256: EMPTY }), within))).toBe('ok');
  });

  it('refuses anonymous requests with AccessDenied', async () => {
    const req: SigV4Request = {
      method: 'GET',
      rawPath: '/b/k',
      rawQuery: '',
      headers: { host: 'h' },
    };
    expect(await s3Code(verify(req))).toBe('AccessDenied');
  });

  it('refuses SigV2 and unknown schemes in S3 words', async () => {
    const base: SigV4Request = {
      method: 'GET',
      rawPath: '/b/k',
      rawQuery: '',
      headers: { host: 'h' },
    };
    const v2 = { ...base, headers: { ...base.headers, authorization: 'AWS AKID:c2ln' } };
    expect(await s3Code(verify(v2))).toBe('InvalidRequest');
    const bearer = { ...base, headers: { ...base.headers, authorization: 'Bearer x' } };
    expect(await s3Code(verify(bearer))).toBe('InvalidArgument');
  });

  it('refuses malformed Authorization headers with AuthorizationHeaderMalformed', async () => {
    const req = await signed({ contentSha256: EMPTY });
    const auth = req.headers.authorization as string;
    const variants = [
      auth.replace(/, Signature=[0-9a-f]+/, ''),
      auth.replace('/s3/', '/ec2/'),
      auth.replace('/aws4_request', '/aws5_request'),
      auth.replace(/Credential=[^/]+\/\d{8}/, `Credential=${AKID}/20260305`),
      auth.replace(/Credential=[^,]+/, `Credential=${AKID}/us-east-1/s3/aws4_request`),
      auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-content-sha256;x-amz-date'),
      'AWS4-HMAC-SHA256',
    ];
    for (const a of variants) {
      const code = await s3Code(verify({ ...req, headers: { ...req.headers, authorization: a } }));
      expect(code, a).toBe('AuthorizationHeaderMalformed');
    }
  });

  it('refuses an x-amz-content-sha256 that was not signed (AccessDenied) or is not a hash', async () => {
    const req = await signed({});
    const unsigned = { ...req, headers: { ...req.headers, 'x-amz-content-sha256': EMPTY } };
    expect(await s3Code(verify(unsigned))).toBe('AccessDenied');
    expect(await s3Code(verify(await signed({ method: 'PUT', contentSha256: 'abc' })))).toBe(
      'InvalidArgument',
    );
  });

  it('checks the body against a signed x-amz-content-sha256 (XAmzContentSHA256Mismatch)', async () => {
    const body = Buffer.from('hello');
    const hex = createHash('sha256').update(body).digest('hex');
    const v = await verify(await signed({ method: 'PUT', contentSha256: hex }));
    const good = payloadDecoder(v.payload);
    await pipeline(Readable.from([body]), good, async (src) => {
      for await (const _ of src);
    });
    const bad = payloadDecoder(v.payload);
    const err = await pipeline(Readable.from([Buffer.from('hellO')]), bad, async (src) => {
      for await (const _ of src);
    }).catch((e: unknown) => e);
    expect((err as S3Error).code).toBe('XAmzContentSHA256Mismatch');
  });

  it('a wrong x-amz-content-sha256 fails the signature if changed after signing', async () => {
    const req = await signed({ method: 'PUT', contentSha256: EMPTY });
    const hex = 'a'.repeat(64);
    const changed = { ...req, headers: { ...req.headers, 'x-amz-content-sha256': hex } };
    expect(await s3Code(verify(changed))).toBe('SignatureDoesNotMatch');
  });
});

// Header values: visible ASCII and spaces (what HTTP carries); names: tokens.
const headerValue = fc
  .string({
    unit: fc.constantFrom(...' \t!"#$%&+,/:;<=>?@[]^_`{|}~abcXYZ0189-.'.split('')),
    maxLength: 20,
  })
  .map((s) => s.trim());
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/).filter((n) => !n.startsWith('x-amz-'));
const text = fc.string({ unit: 'grapheme', maxLength: 8 });
const queryKey = fc.oneof(text, fc.constantFrom('+', '~', '=', ' ', 'a b', 'ü', '日本'));
const pathSegment = fc.oneof(text, fc.constantFrom('a+b', '~x', 'a=b', 'sp ace', 'é'));

describe('property: SDK-signed requests', () => {
  it('verify, and fail once any signed part changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST'),
        fc.array(pathSegment, { minLength: 1, maxLength: 4 }),
        fc.dictionary(queryKey, fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), {
          maxKeys: 4,
        }),
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        fc.nat(5),
        fc.boolean(),
        async (method, segments, query, headers, mutation, oddWire) => {
          const path = '/' + segments.map((s) => uriEncode(s)).join('/');
          const signedReq = await signed({ method, path, query, headers, contentSha256: EMPTY });
          // The same request sent with every byte percent-encoded in lower-case hex: equivalent.
          const req = oddWire
            ? {
                ...signedReq,
                rawPath: encodeAll(path, true),
                rawQuery: encodeAll(signedReq.rawQuery, false),
              }
            : signedReq;
          const v = await verify(req);
          expect(v.user).toBe('alice');
          const changed = mutate(req, mutation, headers);
          expect(await s3Code(verify(changed))).toBe('SignatureDoesNotMatch');
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Every byte percent-encoded (lower-case hex), keeping '/' (paths) or '&' and '=' (queries). */
function encodeAll(wire: string, path: boolean): string {
  const keep = path ? '/' : '&=';
  return wire.replace(/%[0-9A-F]{2}|[^%]/g, (t) =>
    t.length === 3
      ? t.toLowerCase()
      : keep.includes(t)
        ? t
        : `%${t.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** One signed part of `req` changed. */
function mutate(req: SigV4Request, which: number, headers: Record<string, string>): SigV4Request {
  const names = Object.keys(headers);
  switch (which) {
    case 0:
      return { ...req, method: req.method === 'GET' ? 'PUT' : 'GET' };
    case 1:
      return { ...req, rawPath: req.rawPath + 'x' };
    case 2:
      return { ...req, rawQuery: req.rawQuery === '' ? 'x=1' : req.rawQuery + 'x' };
    case 3:
      return names.length > 0
        ? { ...req, headers: { ...req.headers, [names[0]!]: `${headers[names[0]!]}x` } }
        : { ...req, headers: { ...req.headers, host: 'elsewhere:9000' } };
    case 4:
      return { ...req, headers: { ...req.headers, 'x-amz-date': '20260304T050608Z' } };
    default:
      return { ...req, headers: { ...req.headers, host: 'localhost:9001' } };
  }
}
