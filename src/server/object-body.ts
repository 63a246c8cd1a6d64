// An object upload's body as the library takes it. The library reads a body twice (once to hash
// it, once to store it), and a request stream can be read once: a small body (its length declared
// and at most SMALL bytes) is read into memory, anything else is spooled to a temp file that is
// read twice and removed afterwards — never the whole of a large upload in memory. The size limit
// is enforced on the declared length before reading and on the bytes as they arrive.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '../index.js';

/** Bodies up to this size are read into memory. */
const SMALL = 1024 * 1024;

export type ObjectBody = Uint8Array | { size: number; open: () => Readable };

export interface ReceivedBody {
  body: ObjectBody;
  /** Removes the spooled file, if any. */
  cleanup: () => Promise<void>;
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`the object is larger than the server accepts (${limit} bytes)`, {
    limit,
    what: 'object',
  });
}

/** Counts bytes as they pass and fails once more than `limit` went through. */
function limiter(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      cb(seen > limit ? tooLarge(limit) : null, chunk);
    },
  });
}

async function readSmall(stream: Readable, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of stream) {
    seen += (chunk as Buffer).length;
    if (seen > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Receives a request body of at most `limit` bytes (`declared`: its Content-Length, if any). */
export async function receiveBody(
  stream: Readable,
  declared: string | undefined,
  limit: number,
): Promise<ReceivedBody> {
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && Number.isFinite(length) && length > limit) throw tooLarge(limit);
  if (length !== undefined && Number.isFinite(length) && length <= SMALL) {
    return { body: await readSmall(stream, Math.min(limit, SMALL)), cleanup: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'sluice-upload-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const file = join(dir, 'body');
    await pipeline(stream, limiter(limit), createWriteStream(file, { flags: 'wx' }));
    const size = (await stat(file)).size;
    return { body: { size, open: () => createReadStream(file) }, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
