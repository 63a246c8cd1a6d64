import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OffloadedMd5 } from './md5-offload.js';

describe('OffloadedMd5', () => {
  it('computes the same MD5 as node:crypto, for several hashes at once and past the queue limit', async () => {
    const bodies = [randomBytes(40 * 1024 * 1024), randomBytes(1000), Buffer.alloc(0)];
    const digests = await Promise.all(
      bodies.map(async (b) => {
        const h = new OffloadedMd5();
        for (let i = 0; i < b.byteLength; i += 1024 * 1024)
          await h.update(b.subarray(i, i + 1024 * 1024));
        return h.digest();
      }),
    );
    expect(digests).toEqual(bodies.map((b) => createHash('md5').update(b).digest('hex')));
  });
});
