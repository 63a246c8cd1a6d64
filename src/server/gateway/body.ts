// A request body as the client meant it: the raw stream through the payload decoder of its
// signature mode (aws-chunked decoded with every chunk signature checked, or the signed SHA-256
// checked at the end), with x-amz-decoded-content-length honoured. Read once, by the operation.
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { S3Error } from './s3-errors.js';
import { payloadDecoder, type VerifiedRequest } from './sigv4/index.js';

export type DecodedBody = Readable & { trailers(): Record<string, string> };

/** The declared length of the decoded body, if the client said. */
export function declaredLength(req: FastifyRequest): number | undefined {
  const h = req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length'];
  if (h === undefined) return undefined;
  const n = Number(h);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new S3Error('InvalidArgument', `invalid content length ${String(h).slice(0, 40)}`);
  return n;
}

export function decodedBody(req: FastifyRequest, auth: VerifiedRequest): DecodedBody {
  const raw = (req.body ?? req.raw) as Readable;
  const decoded = req.headers['x-amz-decoded-content-length'];
  const decoder = payloadDecoder(
    auth.payload,
    decoded === undefined ? {} : { decodedLength: Number(decoded) },
  );
  raw.on('error', (err) => decoder.destroy(err));
  return raw.pipe(decoder) as unknown as DecodedBody;
}
