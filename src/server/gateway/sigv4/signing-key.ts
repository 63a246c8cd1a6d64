// The SigV4 signing key (HMAC chain secret → date → region → service → aws4_request) and the
// signature made with it. Keys live one day and a client signs many requests a day, so a small
// cache saves four HMACs per request; it is keyed by a hash of the secret, never the secret.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const CACHE_SIZE = 256;
const cache = new Map<string, Buffer>();

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The signing key for `secret` on `date` (YYYYMMDD) in `region` for `service`. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const secretId = createHash('sha256').update(secret, 'utf8').digest('base64');
  const id = `${secretId}\n${date}\n${region}\n${service}`;
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id); // re-insert: the Map's order is the LRU order
    cache.set(id, hit);
    return hit;
  }
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  cache.set(id, key);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return key;
}

/** The hex signature of `stringToSign` under `key`. */
export function sign(key: Buffer, stringToSign: string): string {
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether `provided` (hex, from the client) equals `expected`, in constant time. */
export function signaturesEqual(expected: string, provided: string): boolean {
  if (!HEX64.test(provided)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(provided, 'hex'));
}
