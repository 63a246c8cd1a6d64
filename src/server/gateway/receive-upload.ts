// A PUT body received for the library: read once from the decoded (signature-checked) stream while
// its MD5 and checksums are taken (upload-digests.ts), kept in memory when small, else spooled to
// a temp file the library reads back. Nothing is staged until the whole body arrived and every
// digest matched: a body cut short or a bad chunk signature fails here.
// TODO(i16-multipart): core's hashingSpool would spare the library's second read of the spool.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectBody } from '../object-body.js';
import type { DecodedBody } from './body.js';
import { S3Error } from './s3-errors.js';
import type { UploadDigests } from './upload-digests.js';

/** Bodies declared up to this size are read into memory. */
const SMALL = 1024 * 1024;
/** S3's largest single PUT. */
export const MAX_PUT = 5 * 1024 ** 3;

export interface ReceivedUpload {
  body: ObjectBody;
  size: number;
  /** Removes the spooled file, if any. */
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

/** Reads the body (of `declared` bytes, if the client said) through `digests`. */
export async function receiveUpload(
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
    const dir = await mkdtemp(join(tmpdir(), 'sluice-s3-put-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      const file = join(dir, 'body');
      await pipeline(stream, tap(digests), createWriteStream(file, { flags: 'wx' }));
      received = {
        body: { size: digests.size, open: () => createReadStream(file) },
        size: digests.size,
        cleanup,
      };
    } catch (err) {
      await cleanup();
      throw err;
    }
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
