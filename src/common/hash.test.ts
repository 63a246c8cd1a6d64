import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlobHasher, hashBlob, tag } from './hash.js';

describe('BlobHasher', () => {
  const chunks = [
    Buffer.from('id,value\n'),
    Buffer.from('1,one\n'),
    new Uint8Array(70_000).fill(7),
  ];
  const whole = Buffer.concat(chunks);

  it('hashes the tagged address and the plain checksum in one pass', () => {
    const h = new BlobHasher();
    for (const c of chunks) h.update(c);
    const d = h.digest();
    expect(d.address).toBe(createHash('sha256').update(tag('blob')).update(whole).digest('hex'));
    expect(d.checksum).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(d.size).toBe(whole.byteLength);
    expect(hashBlob(whole)).toEqual(d);
  });

  it('addressOnly gives the same address and size, without the checksum', () => {
    const h = new BlobHasher({ addressOnly: true });
    for (const c of chunks) h.update(c);
    const d = h.digest();
    expect(d.address).toBe(hashBlob(whole).address);
    expect(d.size).toBe(whole.byteLength);
    expect(d.checksum).toBe('');
  });
});
