// A PUT body received for the library: read once from the decoded (signature-checked) stream while
// its MD5 and checksums are taken (upload-digests.ts), kept in memory when small, else spooled by
// core's hashingSpool (hashed on the way, so storing it is a rename on the local store, never a
// second read). Nothing is staged until the whole body arrived and every digest matched: a body
// cut short or a bad chunk signature fails here.
import { Transform } from 'node:stream';
import { discardSpool, hashingSpool, type Repository } from '../../index.js';
import type { DecodedBody } from './body.js';
import { S3Error } from './s3-errors.js';
import type { UploadDigests } from './upload-digests.js';

type Body = Parameters<Repository['putObject']>[2];

/** Bodies declared up to this size are read into memory. */
const SMALL = 1024 * 1024;
/** S3's largest single PUT. */
export const MAX_PUT = 5 * 1024 ** 3;

export interface ReceivedUpload {
  body: Body;
  size: number;
  /** Removes the spooled file if the library did not take it. */
  cleanup(): Promise<void>;
}

function tooLarge(): S3Error {
  return new S3Error(
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size (${MAX_PUT} bytes); use a multipart upload.`,
  );
}

function tap(digests: UploadDigests): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      digests.update(chunk);
      cb(digests.size > MAX_PUT ? tooLarge() : null, chunk);
    },
  });
}

async function readSmall(stream: DecodedBody, digests: UploadDigests): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    digests.update(chunk as Buffer);
    if (digests.size > SMALL * 4) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/** Spools a large body through `digests` with core's hashingSpool. */
async function spool(
  repo: Repository,
  stream: DecodedBody,
  digests: UploadDigests,
): Promise<ReceivedUpload> {
  const t = tap(digests);
  stream.on('error', (err) => t.destroy(err));
  // The MD5 is taken by `digests` (with the checksums), once.
  const body = await hashingSpool(stream.pipe(t), await repo.spoolDir(), { md5: false });
  return { body, size: digests.size, cleanup: () => discardSpool(body) };
}

/** Reads the body (of `declared` bytes, if the client said) through `digests`. */
export async function receiveUpload(
  repo: Repository,
  stream: DecodedBody,
  declared: number | undefined,
  digests: UploadDigests,
): Promise<ReceivedUpload> {
  if (declared !== undefined && declared > MAX_PUT) throw tooLarge();
  let received: ReceivedUpload;
  if (declared !== undefined && declared <= SMALL) {
    const bytes = await readSmall(stream, digests);
    received = { body: bytes, size: bytes.byteLength, cleanup: async () => {} };
  } else {
    received = await spool(repo, stream, digests);
  }
  if (declared !== undefined && received.size !== declared) {
    await received.cleanup();
    throw new S3Error(
      'IncompleteBody',
      `You did not provide the number of bytes specified by the Content-Length HTTP header (${received.size} of ${declared}).`,
    );
  }
  return received;
}
