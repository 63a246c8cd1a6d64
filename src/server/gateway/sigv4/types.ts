// The shapes the gateway frame and the SigV4 verifier agree on: what a request looks like before
// authentication, and what a verified request tells the operations about its payload.

export interface SigV4Request {
  method: string;
  /** The request path exactly as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** The raw query string as sent (after '?', '' when none). */
  rawQuery: string;
  /** Node's IncomingHttpHeaders (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
}

export interface SigV4Secret {
  secretAccessKey: string;
  user: string;
}

export type SecretLookup = (accessKeyId: string) => Promise<SigV4Secret | undefined>;

/** How the body must be read: as sent, against a hash, or decoded from `aws-chunked`. */
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

export interface VerifyOptions {
  now?: Date;
  maxSkewMs?: number;
}

/** A credential scope: `<date>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
