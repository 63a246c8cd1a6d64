// PLACEHOLDER until branch i16-sigv4 lands (replaced wholesale by its index.ts): the interface the
// gateway frame calls. Never submitted in this form.
import type { Transform } from 'node:stream';
import { S3Error } from '../s3-errors.js';

export interface SigV4Request {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
}
export interface SigV4Secret {
  secretAccessKey: string;
  user: string;
}
export type SecretLookup = (accessKeyId: string) => Promise<SigV4Secret | undefined>;
export type PayloadMode =
  | { kind: 'unsigned' }
  | { kind: 'sha256'; hex: string }
  | {
      kind: 'streaming-signed';
      trailer: boolean;
      seedSignature: string;
      signingKey: Buffer;
      scope: string;
      amzDate: string;
    }
  | { kind: 'streaming-unsigned-trailer' };
export interface VerifiedRequest {
  accessKeyId: string;
  user: string;
  payload: PayloadMode;
  presigned: boolean;
  region: string;
}
export async function verifySigV4(
  _req: SigV4Request,
  _lookup: SecretLookup,
  _opts?: { now?: Date; maxSkewMs?: number },
): Promise<VerifiedRequest> {
  throw new S3Error('NotImplemented', 'signature checking lands with i16-sigv4');
}
export function payloadDecoder(
  _mode: PayloadMode,
  _opts?: { decodedLength?: number },
): Transform & { trailers(): Record<string, string> } {
  throw new S3Error('NotImplemented', 'signature checking lands with i16-sigv4');
}
export function presignUrl(_args: {
  method: string;
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  expiresSeconds: number;
  now?: Date;
  headers?: Record<string, string>;
}): string {
  throw new S3Error('NotImplemented', 'signature checking lands with i16-sigv4');
}
