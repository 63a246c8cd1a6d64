// The `aws-chunked` body encoding: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` … a 0-size
// chunk, then trailer lines and an empty line. Parsed incrementally so data passes through as
// subarrays of what the socket gave (no copy); in signed modes each chunk's data is held until its
// signature (chained to the previous one) checks, so unverified bytes never reach the consumer —
// except a chunk larger than HOLD_LIMIT, whose bytes flow on early and whose failure still fails
// the stream before it ends.
import { createHash, createHmac, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from '../s3-errors.js';
import { signaturesEqual } from './signing-key.js';
import { EMPTY_SHA256 } from './types.js';

const HOLD_LIMIT = 16 * 1024 * 1024;
const MAX_LINE = 4096;
const MAX_TRAILER_LINES = 64;
const CR = 0x0d;
const LF = 0x0a;

/** What a signed stream chains its chunk signatures from. */
export interface ChunkSigning {
  seedSignature: string;
  signingKey: Buffer;
  scope: string;
  amzDate: string;
}

export interface AwsChunkedOptions {
  /** Signed modes: every chunk (and the trailer, if any) must carry a valid signature. */
  signing?: ChunkSigning;
  /** Whether trailer headers may follow the final chunk. */
  trailer: boolean;
  /** x-amz-decoded-content-length, when sent. */
  decodedLength?: number;
}

type State = 'header' | 'data' | 'data-end' | 'trailer' | 'done';

function incomplete(message = 'The request body terminated unexpectedly'): S3Error {
  return new S3Error('IncompleteBody', message);
}

function badChunk(message: string): S3Error {
  return new S3Error('InvalidChunkSizeError', message);
}

function chunkSignatureMismatch(what: string): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    `The ${what} signature we calculated does not match the signature you provided.`,
  );
}

/** Decodes an aws-chunked body; `trailers()` gives the trailer headers once it has ended. */
export class AwsChunkedDecoder extends Transform {
  private state: State = 'header';
  private line: Buffer | undefined; // a header or trailer line split across writes
  private remaining = 0; // data bytes left in the current chunk
  private dataEndSeen = 0; // bytes of the CRLF after a chunk's data seen so far
  private chunkSignature = '';
  private previousSignature: string;
  private hash: Hash | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private decoded = 0;
  private readonly trailerLines: string[] = [];
  private readonly trailerValues: Record<string, string> = {};

  constructor(private readonly opts: AwsChunkedOptions) {
    super();
    this.previousSignature = opts.signing?.seedSignature ?? '';
  }

  trailers(): Record<string, string> {
    return { ...this.trailerValues };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    // A body may end right after its last trailer line without the closing empty line.
    const endedAtLine = this.state === 'trailer' && this.line === undefined;
    if (this.state !== 'done' && !endedAtLine) {
      cb(incomplete());
      return;
    }
    try {
      if (this.state !== 'done') this.finishTrailer();
      const expected = this.opts.decodedLength;
      if (expected !== undefined && this.decoded !== expected) {
        throw incomplete(
          `The decoded body is ${this.decoded} bytes; x-amz-decoded-content-length says ${expected}.`,
        );
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case 'header':
        case 'trailer': {
          const nl = buf.indexOf(LF, i);
          const end = nl < 0 ? buf.length : nl;
          const piece = buf.subarray(i, end);
          this.line = this.line ? Buffer.concat([this.line, piece]) : piece;
          if (this.line.length > MAX_LINE) throw badChunk('A chunk header line is too long.');
          if (nl < 0) return; // the line continues in the next write
          const text = this.takeLine();
          i = nl + 1;
          if (this.state === 'header') this.onChunkHeader(text);
          else this.onTrailerLine(text);
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, buf.length - i);
          this.onData(buf.subarray(i, i + n));
          i += n;
          break;
        }
        case 'data-end': {
          const want = this.dataEndSeen === 0 ? CR : LF;
          if (buf[i] !== want) throw badChunk('A chunk is longer than its declared size.');
          i++;
          if (++this.dataEndSeen === 2) this.state = 'header';
          break;
        }
        case 'done':
          throw badChunk('The body continues after its final chunk.');
      }
    }
  }

  private takeLine(): string {
    const line = this.line!;
    this.line = undefined;
    if (line.length === 0 || line[line.length - 1] !== CR) {
      throw badChunk('A chunk header line must end with CRLF.');
    }
    return line.toString('latin1', 0, line.length - 1);
  }

  /** `<hex size>[;chunk-signature=<sig>][;other extensions]` */
  private onChunkHeader(text: string): void {
    const parts = text.split(';');
    const sizeText = parts[0]!.trim();
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) {
      throw badChunk(`Invalid chunk size "${sizeText.slice(0, 32)}".`);
    }
    const size = Number.parseInt(sizeText, 16);
    this.chunkSignature = '';
    for (const ext of parts.slice(1)) {
      const eq = ext.indexOf('=');
      if (eq >= 0 && ext.slice(0, eq).trim() === 'chunk-signature') {
        this.chunkSignature = ext.slice(eq + 1).trim();
      }
    }
    if (this.opts.signing && this.chunkSignature === '') {
      throw badChunk('A signed chunk must carry a chunk-signature.');
    }
    if (this.opts.signing) this.hash = createHash('sha256');
    if (size === 0) {
      this.verifyChunk(EMPTY_SHA256);
      this.state = 'trailer';
      return;
    }
    const limit = this.opts.decodedLength;
    if (limit !== undefined && this.decoded + size > limit) {
      throw incomplete('The chunks hold more bytes than x-amz-decoded-content-length says.');
    }
    this.remaining = size;
    this.state = 'data';
  }

  private onData(piece: Buffer): void {
    this.remaining -= piece.length;
    this.decoded += piece.length;
    if (!this.opts.signing) {
      this.push(piece);
    } else {
      this.hash!.update(piece);
      this.held.push(piece);
      this.heldBytes += piece.length;
      if (this.heldBytes > HOLD_LIMIT) this.release();
    }
    if (this.remaining === 0) {
      if (this.opts.signing) {
        this.verifyChunk(this.hash!.digest('hex'));
        this.release();
      }
      this.dataEndSeen = 0;
      this.state = 'data-end';
    }
  }

  private release(): void {
    for (const piece of this.held) this.push(piece);
    this.held = [];
    this.heldBytes = 0;
  }

  /** Checks the current chunk's signature (signed modes) and chains it. */
  private verifyChunk(dataHash: string): void {
    const signing = this.opts.signing;
    if (!signing) return;
    const toSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      signing.amzDate,
      signing.scope,
      this.previousSignature,
      EMPTY_SHA256,
      dataHash,
    ].join('\n');
    const expected = createHmac('sha256', signing.signingKey).update(toSign).digest('hex');
    if (!signaturesEqual(expected, this.chunkSignature)) throw chunkSignatureMismatch('chunk');
    this.previousSignature = this.chunkSignature;
  }

  private onTrailerLine(text: string): void {
    if (text === '') {
      this.finishTrailer();
      this.state = 'done';
      return;
    }
    if (!this.opts.trailer) throw badChunk('This body may not carry trailers.');
    if (this.trailerLines.length >= MAX_TRAILER_LINES) throw badChunk('Too many trailer headers.');
    const colon = text.indexOf(':');
    if (colon <= 0) throw badChunk('A trailer header is malformed.');
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name !== 'x-amz-trailer-signature') this.trailerLines.push(`${name}:${value}\n`);
    if (Object.hasOwn(this.trailerValues, name)) throw badChunk(`Trailer ${name} is repeated.`);
    this.trailerValues[name] = value;
  }

  /** Signed trailers: `x-amz-trailer-signature` over the other trailer lines, chained. */
  private finishTrailer(): void {
    const signing = this.opts.signing;
    if (!signing || !this.opts.trailer) return;
    const provided = this.trailerValues['x-amz-trailer-signature'];
    if (provided === undefined) throw incomplete('The trailer signature is missing.');
    delete this.trailerValues['x-amz-trailer-signature'];
    const toSign = [
      'AWS4-HMAC-SHA256-TRAILER',
      signing.amzDate,
      signing.scope,
      this.previousSignature,
      createHash('sha256').update(this.trailerLines.join('')).digest('hex'),
    ].join('\n');
    const expected = createHmac('sha256', signing.signingKey).update(toSign).digest('hex');
    if (!signaturesEqual(expected, provided)) throw chunkSignatureMismatch('trailer');
  }
}

/** Content-Encoding without `aws-chunked` (what to store), or undefined when nothing is left. */
export function storedContentEncoding(contentEncoding: string | undefined): string | undefined {
  if (contentEncoding === undefined) return undefined;
  const rest = contentEncoding
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return rest.length > 0 ? rest.join(',') : undefined;
}

/** Whether a Content-Encoding value lists `aws-chunked` (among others or alone). */
export function isAwsChunked(contentEncoding: string | undefined): boolean {
  return (contentEncoding ?? '').split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}
