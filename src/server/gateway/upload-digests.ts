// The digests of an upload's body, taken as the bytes pass: the MD5 (the ETag, checked against
// Content-MD5 when sent) and the checksums the client asked for — `x-amz-checksum-<alg>` headers,
// or the trailer `x-amz-trailer` names (its value arrives after the body). A mismatch is BadDigest
// and the caller stages nothing; the verified checksums are recorded on the entry, base64 as S3
// prints them.
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { TreeEntry } from '../../index.js';
import { crc32c } from './crc32c.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

type EntryChecksums = NonNullable<TreeEntry['checksums']>;
type ChecksumAlgorithm = keyof EntryChecksums;

const ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'sha1', 'sha256'];
const NAMES: Record<ChecksumAlgorithm, string> = {
  crc32: 'CRC32',
  crc32c: 'CRC32C',
  sha1: 'SHA1',
  sha256: 'SHA256',
};
const CHECKSUM_HEADER = /^x-amz-checksum-([a-z0-9]+)$/;

interface Digester {
  update(chunk: Buffer): void;
  /** The digest, base64. */
  digest(): string;
}

function crcBase64(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
}

function hashDigester(h: Hash): Digester {
  return { update: (c) => h.update(c), digest: () => h.digest('base64') };
}

function digesterOf(alg: ChecksumAlgorithm): Digester {
  switch (alg) {
    case 'crc32': {
      let v = 0;
      return { update: (c) => (v = crc32(c, v)), digest: () => crcBase64(v) };
    }
    case 'crc32c': {
      let v = 0;
      return { update: (c) => (v = crc32c(c, v)), digest: () => crcBase64(v) };
    }
    default:
      return hashDigester(createHash(alg));
  }
}

function algorithmOf(name: string): ChecksumAlgorithm {
  const alg = ALGORITHMS.find((a) => a === name);
  if (!alg)
    throw new S3Error(
      'InvalidRequest',
      `the checksum algorithm ${name.toUpperCase()} is not supported by the Sluice gateway; use CRC32, CRC32C, SHA1 or SHA256`,
    );
  return alg;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Content-MD5's 16 bytes; InvalidDigest when it is not base64 of 16 bytes. */
function contentMd5(headers: S3Request['headers']): Buffer | undefined {
  const v = single(headers['content-md5']);
  if (v === undefined) return undefined;
  const bytes = Buffer.from(v.trim(), 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== v.trim())
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
  return bytes;
}

/** The MD5 and checksums of one upload's body. */
export class UploadDigests {
  private readonly md5 = createHash('md5');
  private readonly expectedMd5: Buffer | undefined;
  /** Expected values from headers, by algorithm (undefined: from the trailer). */
  private readonly expected = new Map<ChecksumAlgorithm, string | undefined>();
  private readonly digesters = new Map<ChecksumAlgorithm, Digester>();
  private readonly trailer: string | undefined;
  size = 0;

  constructor(headers: S3Request['headers']) {
    this.expectedMd5 = contentMd5(headers);
    for (const [name, value] of Object.entries(headers)) {
      const m = CHECKSUM_HEADER.exec(name);
      if (
        !m ||
        value === undefined ||
        name === 'x-amz-checksum-mode' ||
        name === 'x-amz-checksum-type'
      )
        continue;
      this.expected.set(algorithmOf(m[1] as string), single(value));
    }
    const trailer = single(headers['x-amz-trailer'])?.trim().toLowerCase();
    if (trailer !== undefined && trailer !== '') {
      const m = CHECKSUM_HEADER.exec(trailer);
      if (!m) throw new S3Error('InvalidRequest', `the trailer ${trailer} is not a checksum`);
      this.trailer = trailer;
      this.expected.set(algorithmOf(m[1] as string), undefined);
    }
    for (const alg of this.expected.keys()) this.digesters.set(alg, digesterOf(alg));
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    for (const d of this.digesters.values()) d.update(chunk);
  }

  /**
   * Checks what was sent against what was received (`trailers`: read after the body ended);
   * returns the ETag (MD5 hex) and the verified checksums.
   */
  finish(trailers: Record<string, string>): { md5: string; checksums?: EntryChecksums } {
    const md5 = this.md5.digest();
    if (this.expectedMd5 && !md5.equals(this.expectedMd5))
      throw new S3Error(
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    const checksums: EntryChecksums = {};
    for (const [alg, d] of this.digesters) {
      const got = d.digest();
      const want = this.expected.get(alg) ?? (this.trailer ? trailers[this.trailer] : undefined);
      if (want === undefined)
        throw new S3Error('InvalidRequest', `the trailer ${this.trailer} was not sent`);
      if (want.trim() !== got)
        throw new S3Error(
          'BadDigest',
          `The ${NAMES[alg]} you specified did not match the calculated checksum.`,
        );
      checksums[alg] = got;
    }
    return { md5: md5.toString('hex'), ...(this.digesters.size > 0 ? { checksums } : {}) };
  }
}
