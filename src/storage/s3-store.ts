// ObjectStore on S3 or any S3-compatible service (AWS SDK v3). Keys live under an optional prefix.
// The SDK is imported on first use so CLI commands that never touch S3 do not pay its load time.
// Every request goes through `call`: an outage — the endpoint unreachable, the credentials
// refused, a server error after the SDK's retries — is an ObjectStoreUnavailableError naming the
// bucket and host, scrubbed of the keys.
import { PassThrough, Readable, Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  InvalidArgumentError,
  ObjectNotFoundError,
  ObjectStoreUnavailableError,
  SluiceError,
} from '../common/errors.js';
import { Secrets } from '../common/secrets.js';
import { checkRange, validateKey } from './keys.js';
import type {
  ByteRange,
  DirectAccess,
  ObjectInfo,
  ObjectStore,
  OpOptions,
} from './object-store.js';
import { streamFileIn } from './put-file.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing `/`. */
  prefix?: string;
  /** Custom endpoint (MinIO, s3rver, …); implies path-style addressing unless told otherwise. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Defaults to the SDK's provider chain (environment, profile, instance role). */
  credentials?: S3Credentials;
}

export type OpenS3StoreOptions = Omit<S3StoreOptions, 'bucket' | 'prefix'>;

let sdkPromise: Promise<S3Sdk> | undefined;
function loadSdk(): Promise<S3Sdk> {
  sdkPromise ??= import('@aws-sdk/client-s3');
  return sdkPromise;
}

export class S3Store implements ObjectStore {
  readonly kind = 's3' as const;
  readonly uri: string;
  readonly bucket: string;
  readonly prefix: string;
  /** `prefix/`, or '' for the bucket root; prepended to every key. */
  private readonly keyPrefix: string;
  private connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(private readonly options: S3StoreOptions) {
    checkBucket(options.bucket);
    const prefix = normalizePrefix(options.prefix ?? '');
    this.bucket = options.bucket;
    this.prefix = prefix;
    this.keyPrefix = prefix ? `${prefix}/` : '';
    this.uri = `s3://${this.bucket}${prefix ? `/${prefix}` : ''}`;
  }

  /** Streams the file in, then removes it (see ObjectStore.putFile). */
  putFile(key: string, file: string, opts: OpOptions = {}): Promise<void> {
    return streamFileIn(this, key, file, opts);
  }

  async put(
    key: string,
    body: Uint8Array | Readable,
    opts: OpOptions & { size?: number } = {},
  ): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    // PutObject needs a content length; a stream of unknown size is buffered first.
    let payload: Uint8Array | Readable = body;
    let length = body instanceof Uint8Array ? body.length : opts.size;
    if (length === undefined) {
      payload = await readAll(body as Readable, opts.signal);
      length = payload.length;
    }
    await this.call((sdk, client) =>
      client.send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyPrefix + key,
          Body: payload,
          ContentLength: length,
        }),
        { abortSignal: opts.signal },
      ),
    );
  }

  async directAccess(key: string): Promise<DirectAccess> {
    validateKey(key);
    const { client } = await this.connect();
    const creds = await client.config.credentials();
    const region = this.options.region ?? 'us-east-1';
    const endpoint = new URL(this.options.endpoint ?? `https://s3.${region}.amazonaws.com`);
    const pathStyle = this.options.forcePathStyle ?? this.options.endpoint !== undefined;
    const path = (this.keyPrefix + key).split('/').map(uriEncode).join('/');
    const base = endpoint.pathname.replace(/\/+$/, '');
    const url = pathStyle
      ? `${endpoint.origin}${base}/${uriEncode(this.bucket)}/${path}`
      : `${endpoint.protocol}//${this.bucket}.${endpoint.host}${base}/${path}`;
    return {
      url,
      region,
      credentials: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        ...(creds.sessionToken !== undefined && { sessionToken: creds.sessionToken }),
      },
    };
  }

  async get(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Uint8Array> {
    const body = await this.getObject(key, opts);
    if (!body) return new Uint8Array(0);
    return readAll(body, opts.signal);
  }

  async getStream(key: string, opts: OpOptions & { range?: ByteRange } = {}): Promise<Readable> {
    return (await this.getObject(key, opts)) ?? Readable.from([]);
  }

  async head(key: string, opts: OpOptions = {}): Promise<ObjectInfo | undefined> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    try {
      const out = await this.call((sdk, client) =>
        client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }), {
          abortSignal: opts.signal,
        }),
      );
      return {
        key,
        size: out.ContentLength ?? 0,
        lastModified: out.LastModified ?? new Date(0),
        ...(out.ETag ? { etag: unquote(out.ETag) } : {}),
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string, opts: OpOptions = {}): Promise<void> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    try {
      await this.call((sdk, client) =>
        client.send(
          new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }),
          { abortSignal: opts.signal },
        ),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async *list(
    prefix: string,
    opts: OpOptions & { after?: string } = {},
  ): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    let first = true;
    // One page (≤ 1000 keys) in memory at a time; the next page is fetched when this one is used up.
    while (first || token) {
      opts.signal?.throwIfAborted();
      const startAfter =
        first && opts.after !== undefined ? this.keyPrefix + opts.after : undefined;
      const continuation = token;
      const out = await this.call((sdk, client) =>
        client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyPrefix + prefix,
            StartAfter: startAfter,
            ContinuationToken: continuation,
          }),
          { abortSignal: opts.signal },
        ),
      );
      first = false;
      for (const obj of out.Contents ?? []) {
        if (obj.Key === undefined) continue;
        yield {
          key: obj.Key.slice(this.keyPrefix.length),
          size: obj.Size ?? 0,
          lastModified: obj.LastModified ?? new Date(0),
          ...(obj.ETag ? { etag: unquote(obj.ETag) } : {}),
        };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    }
  }

  /**
   * The object under `key` only if its ETag is still `etag` (zero-copy imports read so): asked
   * with If-Match and checked on the answer too, as some S3 clones ignore If-Match. `changed`
   * when it differs; ObjectNotFoundError when the key is gone.
   */
  async openVersion(
    key: string,
    etag: string,
    opts: OpOptions & { range?: ByteRange } = {},
  ): Promise<Readable | 'changed'> {
    const body = await this.getObject(key, { ...opts, ifMatch: etag });
    return body ?? 'changed';
  }

  /** A store on another bucket (its root) over the same connection settings and credentials. */
  forBucket(bucket: string): S3Store {
    return new S3Store({ ...this.options, bucket, prefix: '' });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) (await connection).client.destroy();
  }

  /**
   * The body of a GetObject, or undefined for a range that starts past the end — or, with
   * `ifMatch`, for an object whose ETag is no longer that one.
   */
  private async getObject(
    key: string,
    opts: OpOptions & { range?: ByteRange; ifMatch?: string },
  ): Promise<Readable | undefined> {
    validateKey(key);
    checkRange(opts.range);
    opts.signal?.throwIfAborted();
    const range = opts.range && `bytes=${opts.range.start}-${opts.range.end ?? ''}`;
    try {
      const out = await this.call((sdk, client) =>
        client.send(
          new sdk.GetObjectCommand({
            Bucket: this.bucket,
            Key: this.keyPrefix + key,
            Range: range,
            ...(opts.ifMatch !== undefined ? { IfMatch: `"${opts.ifMatch}"` } : {}),
          }),
          { abortSignal: opts.signal },
        ),
      );
      // In Node the SDK's streaming body is an http.IncomingMessage.
      if (!(out.Body instanceof Readable)) {
        throw new SluiceError(`S3 GetObject returned no stream for ${key}`, { key });
      }
      // Some S3 clones ignore If-Match: the answer's ETag is checked too.
      if (
        opts.ifMatch !== undefined &&
        out.ETag !== undefined &&
        unquote(out.ETag) !== opts.ifMatch
      ) {
        out.Body.destroy();
        return undefined;
      }
      const body = this.outageInStream(out.Body);
      return opts.range ? trimToRange(body, out.ContentRange, opts.range) : body;
    } catch (err) {
      if (isNotFound(err))
        throw new ObjectNotFoundError(`no object ${key}`, { key }, { cause: err });
      if (httpStatus(err) === 416) return undefined; // InvalidRange: start at or past the end
      if (opts.ifMatch !== undefined && httpStatus(err) === 412) return undefined; // changed
      throw err;
    }
  }

  /**
   * `body` with a failure while it streams — the connection dropped mid-object — turned into the
   * outage it is (the request's own errors go through `call`). A reader that stops early releases
   * the connection.
   */
  private outageInStream(body: Readable): Readable {
    const out = new PassThrough();
    body.on('error', (err) => out.destroy((this.outage(err) ?? err) as Error));
    out.on('close', () => {
      if (!body.destroyed) body.destroy();
    });
    return body.pipe(out);
  }

  /** One request to S3; an outage comes out as an ObjectStoreUnavailableError (s3Outage). */
  private async call<T>(send: (sdk: S3Sdk, client: S3Client) => Promise<T>): Promise<T> {
    const { sdk, client } = await this.connect();
    try {
      return await send(sdk, client);
    } catch (err) {
      throw this.outage(err) ?? err;
    }
  }

  /** `err` as an outage of this store, or undefined when it is not one. */
  private outage(err: unknown): ObjectStoreUnavailableError | undefined {
    const { endpoint, region, credentials } = this.options;
    const env = process.env;
    const secrets = new Secrets().add(
      credentials?.accessKeyId,
      credentials?.secretAccessKey,
      credentials?.sessionToken,
      env.AWS_ACCESS_KEY_ID,
      env.AWS_SECRET_ACCESS_KEY,
      env.AWS_SESSION_TOKEN,
    );
    return s3Outage(err, {
      bucket: this.bucket,
      host: endpointHost(endpoint) ?? `s3.${region ?? 'us-east-1'}.amazonaws.com`,
      secrets,
    });
  }

  private connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    this.connection ??= loadSdk().then((sdk) => {
      const { endpoint, region, credentials } = this.options;
      const client = new sdk.S3Client({
        region: region ?? 'us-east-1',
        endpoint,
        forcePathStyle: this.options.forcePathStyle ?? endpoint !== undefined,
        credentials,
        // S3-compatible servers often reject the SDK's default aws-chunked checksum uploads.
        ...(endpoint !== undefined && {
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }),
      });
      return { sdk, client };
    });
    return this.connection;
  }
}

/** S3's URI encoding of one path segment (RFC 3986 unreserved characters kept, as SigV4 wants). */
function uriEncode(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Splits `s3://bucket/some/prefix` into bucket and prefix (no leading or trailing `/`). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match?.[1]) {
    throw new InvalidArgumentError(`not an s3:// URI: ${uri}`, {
      argument: 'uri',
      reason: 'expected s3://bucket/prefix',
    });
  }
  const bucket = match[1];
  if (bucket.includes('@')) {
    throw new InvalidArgumentError(
      'an s3:// URI must not hold credentials: S3 keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)',
      { argument: 'uri', reason: 'holds credentials' },
    );
  }
  checkBucket(bucket);
  return { bucket, prefix: normalizePrefix(match[2] ?? '') };
}

/** An S3Store for `s3://bucket/prefix`; endpoint and region default from the AWS environment variables. */
export async function openS3Store(uri: string, opts: OpenS3StoreOptions = {}): Promise<S3Store> {
  const { bucket, prefix } = parseS3Uri(uri);
  const env = process.env;
  return new S3Store({
    ...opts,
    bucket,
    prefix,
    endpoint: opts.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
    region: opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  });
}

function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

function checkBucket(bucket: string): void {
  // Loose check (S3 itself enforces the full rules); mainly keeps `/` and spaces out.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw new InvalidArgumentError(`invalid S3 bucket name: ${JSON.stringify(bucket)}`, {
      argument: 'bucket',
      reason: 'letters, digits, ".", "-", "_" only',
    });
  }
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed) validateKey(trimmed);
  return trimmed;
}

/**
 * HTTP lets a server ignore a Range (200 with the whole body) and some S3 clones widen it (s3rver
 * serves `bytes=0-0` whole); cut the body down to the bytes that were asked for.
 */
function trimToRange(body: Readable, contentRange: string | undefined, want: ByteRange): Readable {
  const served = contentRange ? /^bytes (\d+)-(\d+)\//.exec(contentRange) : null;
  const servedStart = served ? Number(served[1]) : 0;
  const servedEnd = served ? Number(served[2]) : Number.POSITIVE_INFINITY;
  const wantEnd = want.end ?? Number.POSITIVE_INFINITY;
  if (servedStart === want.start && servedEnd <= wantEnd) return body;
  if (servedStart > want.start) {
    body.destroy();
    throw new SluiceError(`S3 served bytes from ${servedStart}, asked from ${want.start}`, {});
  }
  let pos = servedStart; // offset of the next incoming byte
  const trim = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const from = Math.max(0, want.start - pos);
      const to = Math.min(chunk.length, wantEnd + 1 - pos);
      pos += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
  body.on('error', (err) => trim.destroy(err));
  return body.pipe(trim);
}

async function readAll(stream: Readable, signal: AbortSignal | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    signal?.throwIfAborted();
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return undefined;
  const meta = err.$metadata;
  return typeof meta === 'object' && meta !== null && 'httpStatusCode' in meta
    ? Number(meta.httpStatusCode)
    : undefined;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
]);
const REFUSED_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AccessDenied',
  'CredentialsProviderError',
]);

/**
 * An S3 failure that is an outage — the endpoint unreachable or not answering, the credentials
 * missing or refused (403), a server error (5xx) the SDK's retries did not get past — as an
 * ObjectStoreUnavailableError; undefined for anything else (a missing key, an abort).
 */
export function s3Outage(
  err: unknown,
  where: { bucket: string; host: string; secrets: Secrets },
): ObjectStoreUnavailableError | undefined {
  if (err instanceof ObjectStoreUnavailableError) return err;
  if (!(err instanceof Error) || err.name === 'AbortError') return undefined;
  const code = String((err as { code?: unknown }).code ?? '');
  const status = httpStatus(err);
  let reason: string;
  let what: string;
  if (REFUSED_CREDENTIALS.has(err.name) || status === 403) {
    reason = 'credentials refused';
    what =
      err.name === 'CredentialsProviderError' ? 'has no credentials' : 'refused the credentials';
  } else if (err.name === 'TimeoutError' || code === 'ETIMEDOUT') {
    reason = 'timeout';
    what = 'did not answer in time';
  } else if (NETWORK.has(code)) {
    reason = code === 'ECONNRESET' || code === 'EPIPE' ? 'connection lost' : 'unreachable';
    what = reason === 'unreachable' ? 'cannot be reached' : 'dropped the connection';
  } else if (status !== undefined && status >= 500) {
    reason = 'server error';
    what = `answered HTTP ${status}`;
  } else {
    return undefined;
  }
  const detail =
    err.name === 'Error' || err.name === 'Unknown' ? err.message : `${err.name}: ${err.message}`;
  return new ObjectStoreUnavailableError(
    where.secrets.scrub(
      `the object store (S3 bucket ${where.bucket} at ${where.host}) ${what}: ${detail}`,
    ),
    { store: 's3', host: where.host, bucket: where.bucket, reason },
  );
}

/** The host (and port) of an endpoint URL; undefined when there is none. */
function endpointHost(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    return new URL(endpoint).host;
  } catch {
    return new Secrets().addUrl(endpoint).scrub(endpoint);
  }
}

function isNotFound(err: unknown): boolean {
  if (err instanceof Error && (err.name === 'NoSuchKey' || err.name === 'NotFound')) return true;
  if (err instanceof Error && err.name === 'NoSuchBucket') return false; // a config problem
  return httpStatus(err) === 404;
}
