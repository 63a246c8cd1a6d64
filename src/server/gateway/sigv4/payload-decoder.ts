// The body of a verified request as the bytes it stands for: aws-chunked decoded and its chunk
// signatures checked, or the plain body checked against its signed SHA-256, or passed as it is.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from '../s3-errors.js';
import { AwsChunkedDecoder } from './aws-chunked.js';
import type { PayloadMode } from './types.js';

export type PayloadDecoder = Transform & { trailers(): Record<string, string> };

/** A plain body passed through, counted and (for 'sha256') hashed and checked at its end. */
class PlainBody extends Transform {
  private readonly hash: Hash | undefined;
  private length = 0;

  constructor(
    private readonly expectedHex: string | undefined,
    private readonly decodedLength: number | undefined,
  ) {
    super();
    this.hash = expectedHex === undefined ? undefined : createHash('sha256');
  }

  trailers(): Record<string, string> {
    return {};
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash?.update(chunk);
    this.length += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.decodedLength !== undefined && this.length !== this.decodedLength) {
      cb(
        new S3Error(
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        ),
      );
      return;
    }
    if (this.hash && this.expectedHex !== undefined) {
      const computed = this.hash.digest('hex');
      if (computed !== this.expectedHex) {
        cb(
          new S3Error(
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            { ClientComputedContentSHA256: this.expectedHex, S3ComputedContentSHA256: computed },
          ),
        );
        return;
      }
    }
    cb();
  }
}

/** A Transform from the raw body to the payload's bytes for `mode` (see index.ts). */
export function payloadDecoder(
  mode: PayloadMode,
  opts: { decodedLength?: number } = {},
): PayloadDecoder {
  switch (mode.kind) {
    case 'unsigned':
      return new PlainBody(undefined, opts.decodedLength);
    case 'sha256':
      return new PlainBody(mode.hex.toLowerCase(), opts.decodedLength);
    case 'streaming-unsigned-trailer':
      return new AwsChunkedDecoder({ trailer: true, decodedLength: opts.decodedLength });
    case 'streaming-signed':
      return new AwsChunkedDecoder({
        trailer: mode.trailer,
        decodedLength: opts.decodedLength,
        signing: {
          seedSignature: mode.seedSignature,
          signingKey: mode.signingKey,
          scope: mode.scope,
          amzDate: mode.amzDate,
        },
      });
  }
}
