// The aws-chunked decoder: AWS's published example (golden signatures), bodies signed by an
// independent reference signer written here, every kind of damage with its S3 code, and bodies
// fed in awkward pieces (1 byte at a time, split inside headers and CRLFs).
import { createHash, createHmac } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../s3-errors.js';
import { isAwsChunked, storedContentEncoding } from './aws-chunked.js';
import { type PayloadMode, payloadDecoder, verifySigV4 } from './index.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// --- reference signer (independent of the code under test) ---
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function refKey(secret: string, date: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
}

interface RefSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  seed: string;
}

/** A signed aws-chunked body for `chunks` (each one chunk), with trailers when given. */
function signedBody(s: RefSigning, chunks: Buffer[], trailers?: Record<string, string>): Buffer {
  const out: Buffer[] = [];
  let prev = s.seed;
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', s.amzDate, s.scope, prev, EMPTY, sha(data)].join(
      '\n',
    );
    prev = hmac(s.key, toSign).toString('hex');
    out.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${prev}\r\n`), data);
    if (data.length > 0) out.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const lines = Object.entries(trailers)
      .map(([k, v]) => `${k}:${v}\n`)
      .join('');
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', s.amzDate, s.scope, prev, sha(lines)].join('\n');
    const sig = hmac(s.key, toSign).toString('hex');
    for (const [k, v] of Object.entries(trailers)) out.push(Buffer.from(`${k}:${v}\r\n`));
    out.push(Buffer.from(`x-amz-trailer-signature:${sig}\r\n`));
  }
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

function unsignedBody(chunks: Buffer[], trailers: Record<string, string>): Buffer {
  const out: Buffer[] = [];
  for (const d of chunks)
    out.push(Buffer.from(`${d.length.toString(16)}\r\n`), d, Buffer.from('\r\n'));
  out.push(Buffer.from('0\r\n'));
  for (const [k, v] of Object.entries(trailers)) out.push(Buffer.from(`${k}:${v}\r\n`));
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

const SIGNING: RefSigning = {
  key: refKey('chunk-secret', '20260101', 'us-east-1'),
  amzDate: '20260101T000000Z',
  scope: '20260101/us-east-1/s3/aws4_request',
  seed: 'a'.repeat(64),
};
const signedMode = (trailer = false): PayloadMode => ({
  kind: 'streaming-signed',
  trailer,
  seedSignature: SIGNING.seed,
  signingKey: SIGNING.key,
  scope: SIGNING.scope,
  amzDate: SIGNING.amzDate,
});

/** Decodes `body` fed as `pieces`; the bytes and trailers, or the S3 code it failed with. */
async function decode(
  mode: PayloadMode,
  pieces: Buffer[],
  decodedLength?: number,
): Promise<
  { bytes: Buffer; trailers: Record<string, string> } | { code: string; delivered: number }
> {
  const decoder = payloadDecoder(mode, { decodedLength });
  const got: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      got.push(chunk);
      cb();
    },
  });
  try {
    await pipeline(Readable.from(pieces), decoder, sink);
  } catch (err) {
    if (err instanceof S3Error) return { code: err.code, delivered: Buffer.concat(got).length };
    throw err;
  }
  return { bytes: Buffer.concat(got), trailers: decoder.trailers() };
}

/** The decoded bytes (compared by hash: vitest's deep equality is slow on big buffers). */
function digestOf(
  out: Awaited<ReturnType<typeof decode>>,
): { sha: string; trailers: Record<string, string> } | { code: string } {
  return 'bytes' in out ? { sha: sha(out.bytes), trailers: out.trailers } : { code: out.code };
}

function splitEvery(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

describe("AWS's chunked upload example (sigv4-streaming)", () => {
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
  };
  const sigs = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const body = Buffer.concat([
    Buffer.from(`10000;chunk-signature=${sigs[0]}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${sigs[1]}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(`\r\n0;chunk-signature=${sigs[2]}\r\n\r\n`),
  ]);
  const lookup = async (id: string) =>
    id === 'AKIAIOSFODNN7EXAMPLE'
      ? { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', user: 'example' }
      : undefined;
  const req = { method: 'PUT', rawPath: '/examplebucket/chunkObject.txt', rawQuery: '', headers };

  it('verifies the seed signature and every chunk signature', async () => {
    expect(body.length).toBe(66824);
    const v = await verifySigV4(req, lookup, { now: new Date('2013-05-24T00:01:00Z') });
    expect(v.payload.kind).toBe('streaming-signed');
    const out = await decode(v.payload, splitEvery(body, 1000), 66560);
    expect(digestOf(out)).toEqual({ sha: sha(Buffer.alloc(66560, 'a')), trailers: {} });
  });

  it('fails on a flipped chunk signature with SignatureDoesNotMatch', async () => {
    const v = await verifySigV4(req, lookup, { now: new Date('2013-05-24T00:01:00Z') });
    const bad = Buffer.from(body);
    bad.write('b', body.indexOf(sigs[1]!) + 5, 'latin1');
    const out = await decode(v.payload, [bad]);
    expect(out).toMatchObject({ code: 'SignatureDoesNotMatch', delivered: 65536 });
  });
});

describe('signed chunks (reference signer)', () => {
  const data = [Buffer.alloc(8192, 1), Buffer.from('second chunk'), Buffer.alloc(70000, 7)];
  const all = Buffer.concat(data);

  it('decodes whatever the pieces the body arrives in', async () => {
    const body = signedBody(SIGNING, data);
    for (const size of [13, 64, 8193, body.length]) {
      const out = await decode(signedMode(), splitEvery(body, size), all.length);
      expect(digestOf(out), `pieces of ${size}`).toEqual({ sha: sha(all), trailers: {} });
    }
  });

  it('decodes a signed trailer and gives its headers', async () => {
    const body = signedBody(SIGNING, data, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const out = await decode(signedMode(true), splitEvery(body, 50), all.length);
    expect(digestOf(out)).toEqual({
      sha: sha(all),
      trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
    });
  });

  it('fails on a changed trailer value or a missing trailer signature', async () => {
    const body = signedBody(SIGNING, data, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const changed = Buffer.from(body.toString('latin1').replace('AAAAAA==', 'AAAAAB=='), 'latin1');
    expect(await decode(signedMode(true), [changed])).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const text = body.toString('latin1');
    const cut = Buffer.from(
      text.slice(0, text.indexOf('x-amz-trailer-signature')) + '\r\n',
      'latin1',
    );
    expect(await decode(signedMode(true), [cut])).toMatchObject({ code: 'IncompleteBody' });
  });

  it('fails on one flipped data byte before the bad chunk reaches the consumer', async () => {
    const body = signedBody(SIGNING, data);
    const at = body.indexOf('second chunk') + 3;
    const bad = Buffer.from(body);
    bad[at] = bad[at]! ^ 1;
    expect(await decode(signedMode(), splitEvery(bad, 100))).toEqual({
      code: 'SignatureDoesNotMatch',
      delivered: 8192,
    });
  });

  it('fails on a flipped chunk signature, a reordered chunk and a wrong seed', async () => {
    const body = signedBody(SIGNING, data);
    const bad = Buffer.from(body);
    const sigAt = body.indexOf('chunk-signature=') + 'chunk-signature='.length;
    bad[sigAt] = bad[sigAt] === 0x30 ? 0x31 : 0x30;
    expect(await decode(signedMode(), [bad])).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const swapped = signedBody(SIGNING, [data[1]!, data[0]!, data[2]!]);
    const seeded = signedBody({ ...SIGNING, seed: 'b'.repeat(64) }, data);
    expect(await decode(signedMode(), [seeded])).toMatchObject({ code: 'SignatureDoesNotMatch' });
    // The same chunks in another order are another body, correctly signed: that must decode.
    expect(digestOf(await decode(signedMode(), [swapped]))).toEqual({
      sha: sha(Buffer.concat([data[1]!, data[0]!, data[2]!])),
      trailers: {},
    });
  });

  it('fails on a truncated body with IncompleteBody, wherever it is cut', async () => {
    const body = signedBody(SIGNING, data);
    for (const cut of [1, 10, 100, 8300, body.length - 40, body.length - 1]) {
      expect(await decode(signedMode(), [body.subarray(0, cut)]), `cut at ${cut}`).toMatchObject({
        code: 'IncompleteBody',
      });
    }
  });

  it('fails when x-amz-decoded-content-length disagrees (IncompleteBody)', async () => {
    const body = signedBody(SIGNING, data);
    expect(await decode(signedMode(), [body], all.length + 1)).toMatchObject({
      code: 'IncompleteBody',
    });
    expect(await decode(signedMode(), [body], all.length - 1)).toMatchObject({
      code: 'IncompleteBody',
    });
  });

  it('fails on malformed framing with InvalidChunkSizeError', async () => {
    const body = signedBody(SIGNING, data).toString('latin1');
    const cases = [
      body.replace(/^2000;/, 'zz;'),
      body.replace(/^2000;chunk-signature=[0-9a-f]+/, '2000'),
      `${body}extra`,
      body.replace(/^2000;(chunk-signature=[0-9a-f]+)\r\n/, '2000;$1\n'),
    ];
    for (const c of cases) {
      const out = await decode(signedMode(), [Buffer.from(c, 'latin1')]);
      expect(out, c.slice(0, 30)).toMatchObject({ code: 'InvalidChunkSizeError' });
    }
    const trailerless = signedBody(SIGNING, data, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    expect(await decode(signedMode(false), [trailerless])).toMatchObject({
      code: 'InvalidChunkSizeError',
    });
  });

  it('property: any chunking of any data decodes to the data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 97 }),
        fc.boolean(),
        async (chunks, piece, trailer) => {
          const bufs = chunks.map((c) => Buffer.from(c));
          const t = trailer ? { 'x-amz-checksum-sha256': 'abc=' } : undefined;
          const out = await decode(
            signedMode(trailer),
            splitEvery(signedBody(SIGNING, bufs, t), piece),
          );
          expect(digestOf(out)).toMatchObject({ sha: sha(Buffer.concat(bufs)) });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('unsigned chunks with a trailer', () => {
  it('decodes and gives the trailer headers lower-cased', async () => {
    const body = unsignedBody([Buffer.from('abc'), Buffer.from('defg')], {
      'X-Amz-Checksum-CRC32': 'xyz=',
    });
    const out = await decode({ kind: 'streaming-unsigned-trailer' }, splitEvery(body, 2), 7);
    expect(out).toEqual({
      bytes: Buffer.from('abcdefg'),
      trailers: { 'x-amz-checksum-crc32': 'xyz=' },
    });
  });

  it('refuses a chunk longer than its declared size (InvalidChunkSizeError)', async () => {
    const body = unsignedBody([Buffer.from('abcd')], {})
      .toString('latin1')
      .replace(/^4\r\n/, '3\r\n');
    expect(await decode({ kind: 'streaming-unsigned-trailer' }, [Buffer.from(body)])).toMatchObject(
      {
        code: 'InvalidChunkSizeError',
      },
    );
  });

  it('refuses a chunk-less body cut short', async () => {
    const body = unsignedBody([Buffer.from('abc')], {});
    expect(
      await decode({ kind: 'streaming-unsigned-trailer' }, [body.subarray(0, 5)]),
    ).toMatchObject({
      code: 'IncompleteBody',
    });
  });
});

describe('plain bodies', () => {
  it('pass unsigned bodies through and check a decoded length', async () => {
    expect(
      await decode({ kind: 'unsigned' }, [Buffer.from('ab'), Buffer.from('c')], 3),
    ).toMatchObject({
      bytes: Buffer.from('abc'),
    });
    expect(await decode({ kind: 'unsigned' }, [Buffer.from('ab')], 3)).toMatchObject({
      code: 'IncompleteBody',
    });
  });

  it('check a sha256 body at its end (XAmzContentSHA256Mismatch)', async () => {
    const hex = sha('abc');
    expect(await decode({ kind: 'sha256', hex }, [Buffer.from('abc')])).toMatchObject({
      bytes: Buffer.from('abc'),
    });
    expect(await decode({ kind: 'sha256', hex }, [Buffer.from('abd')])).toMatchObject({
      code: 'XAmzContentSHA256Mismatch',
    });
  });
});

describe('Content-Encoding', () => {
  it('recognises aws-chunked among other encodings and keeps the rest to store', () => {
    expect(isAwsChunked('aws-chunked,gzip')).toBe(true);
    expect(isAwsChunked('gzip, AWS-Chunked')).toBe(true);
    expect(isAwsChunked('gzip')).toBe(false);
    expect(isAwsChunked(undefined)).toBe(false);
    expect(storedContentEncoding('aws-chunked,gzip')).toBe('gzip');
    expect(storedContentEncoding('aws-chunked')).toBeUndefined();
    expect(storedContentEncoding('gzip, br')).toBe('gzip,br');
  });
});
