// Query authentication against URLs presigned by the AWS SDK (getSignedUrl) and by presignUrl,
// with S3's refusals: expired, X-Amz-Expires beyond 7 days, tampering, unknown key.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../s3-errors.js';
import { presignUrl, type SigV4Request, verifySigV4 } from './index.js';

const AKID = 'AKIDTESTPRESIGN';
const SECRET = 'presign-secret/xyz';
const NOW = new Date('2026-06-07T08:09:10Z');
const lookup = async (id: string) =>
  id === AKID ? { secretAccessKey: SECRET, user: 'bob' } : undefined;

const client = (secret = SECRET, accessKeyId = AKID) =>
  new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: secret },
  });

/** A URL as the gateway receives it: path and query exactly as in the string. */
function arriving(url: string, method = 'GET', headers: Record<string, string> = {}): SigV4Request {
  const m = /^https?:\/\/([^/]+)([^?]*)\??(.*)$/.exec(url);
  if (!m) throw new Error(`not a URL: ${url}`);
  return { method, rawPath: m[2]!, rawQuery: m[3]!, headers: { host: m[1]!, ...headers } };
}

async function s3Error(p: Promise<unknown>): Promise<S3Error | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
}

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('presigned URLs from the AWS SDK', () => {
  it('verify for GET and PUT with unusual keys, as UNSIGNED-PAYLOAD', async () => {
    for (const Key of ['plain.txt', 'dir/a b+c~d=e.csv', 'ünï/日本.parquet', "it's (1)!*"]) {
      const get = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'bkt', Key }), {
        expiresIn: 600,
        signingDate: NOW,
      });
      const v = await verifySigV4(arriving(get), lookup, { now: at(60) });
      expect(v).toMatchObject({ user: 'bob', presigned: true, payload: { kind: 'unsigned' } });
      const put = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'bkt', Key }), {
        expiresIn: 600,
        signingDate: NOW,
      });
      const pv = await verifySigV4(arriving(put, 'PUT'), lookup, { now: at(60) });
      expect(pv.presigned).toBe(true);
    }
  });

  it('refuses an expired URL: AccessDenied "Request has expired"', async () => {
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'b', Key: 'k' }), {
      expiresIn: 60,
      signingDate: NOW,
    });
    expect(await s3Error(verifySigV4(arriving(url), lookup, { now: at(59) }))).toBe('ok');
    const err = await s3Error(verifySigV4(arriving(url), lookup, { now: at(61) }));
    expect(err).toMatchObject({ code: 'AccessDenied', message: 'Request has expired' });
  });

  it('refuses a wrong secret, an unknown key, and a changed method or key', async () => {
    const cmd = () => new GetObjectCommand({ Bucket: 'b', Key: 'k' });
    const opts = { expiresIn: 600, signingDate: NOW };
    const wrong = await getSignedUrl(client('nope'), cmd(), opts);
    expect(await s3Error(verifySigV4(arriving(wrong), lookup, { now: NOW }))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const unknown = await getSignedUrl(client(SECRET, 'AKIDWHO'), cmd(), opts);
    expect(await s3Error(verifySigV4(arriving(unknown), lookup, { now: NOW }))).toMatchObject({
      code: 'InvalidAccessKeyId',
    });
    const good = await getSignedUrl(client(), cmd(), opts);
    expect(
      await s3Error(verifySigV4(arriving(good, 'DELETE'), lookup, { now: NOW })),
    ).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const other = good.replace('/b/k?', '/b/k2?');
    expect(await s3Error(verifySigV4(arriving(other), lookup, { now: NOW }))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const longer = good.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=6000');
    expect(await s3Error(verifySigV4(arriving(longer), lookup, { now: NOW }))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});

describe('presigned URL parameters', () => {
  const base = () =>
    presignUrl({
      method: 'GET',
      url: 'http://127.0.0.1:9000/bkt/some%20key?versionId=3',
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      expiresSeconds: 300,
      now: NOW,
    });

  it('presignUrl makes URLs the verifier accepts', async () => {
    const v = await verifySigV4(arriving(base()), lookup, { now: at(10) });
    expect(v).toMatchObject({ accessKeyId: AKID, presigned: true, region: 'us-east-1' });
  });

  it('presignUrl signs extra headers and refuses expiries outside 1 s … 7 days', async () => {
    const url = presignUrl({
      method: 'PUT',
      url: 'http://127.0.0.1:9000/bkt/k',
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      expiresSeconds: 604_800,
      now: NOW,
      headers: { 'Content-Type': 'text/csv' },
    });
    const ok = arriving(url, 'PUT', { 'content-type': 'text/csv' });
    expect((await verifySigV4(ok, lookup, { now: at(604_000) })).user).toBe('bob');
    const other = arriving(url, 'PUT', { 'content-type': 'text/plain' });
    expect(await s3Error(verifySigV4(other, lookup, { now: NOW }))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    for (const expiresSeconds of [0, 604_801, 1.5]) {
      expect(() =>
        presignUrl({
          method: 'GET',
          url: 'http://h/b/k',
          accessKeyId: AKID,
          secretAccessKey: SECRET,
          expiresSeconds,
        }),
      ).toThrow(/expiresSeconds/);
    }
  });

  it('refuses X-Amz-Expires beyond 7 days and malformed parameters (AuthorizationQueryParametersError)', async () => {
    const url = base();
    const cases = [
      url.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801'),
      url.replace('X-Amz-Expires=300', 'X-Amz-Expires=-1'),
      url.replace('X-Amz-Expires=300', 'X-Amz-Expires=soon'),
      url.replace(/&X-Amz-Date=[^&]+/, ''),
      url.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1'),
      url.replace('X-Amz-Date=20260607T080910Z', 'X-Amz-Date=2026-06-07'),
      url.replace('%2F20260607%2F', '%2F20260608%2F'),
      url.replace('%2Fs3%2F', '%2Fsts%2F'),
      url.replace('X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=content-type'),
    ];
    for (const c of cases) {
      expect(await s3Error(verifySigV4(arriving(c), lookup, { now: NOW })), c).toMatchObject({
        code: 'AuthorizationQueryParametersError',
      });
    }
  });

  it('refuses a URL not yet valid, and a request with both an Authorization header and a query signature', async () => {
    expect(await s3Error(verifySigV4(arriving(base()), lookup, { now: at(-3600) }))).toMatchObject({
      code: 'AccessDenied',
    });
    const both = arriving(base(), 'GET', { authorization: 'AWS4-HMAC-SHA256 Credential=x' });
    expect(await s3Error(verifySigV4(both, lookup, { now: NOW }))).toMatchObject({
      code: 'InvalidArgument',
    });
  });

  it('refuses a tampered signature', async () => {
    const url = base();
    const flipped = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect(await s3Error(verifySigV4(arriving(flipped), lookup, { now: NOW }))).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});
