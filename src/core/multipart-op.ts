// S3 multipart uploads, the library side (issue 16): an upload is a record in the metadata store
// (MultipartStore, shared by every server replica) and its parts' bytes are store objects under
// tmp/uploads/<uploadId>/ — outside the content-addressed layout, since a part is not an object.
// Each upload of a part gets its own key, so the record and the bytes it names always agree even
// when two clients race on one part number; the replaced key is deleted by whoever replaced it.
// Completion (concatenating the parts into one object) lives in multipart-complete.ts.
import { createHash, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, UploadNotFoundError } from '../common/errors.js';
import { parseRepoPath } from '../common/ids.js';
import { OffloadedMd5 } from '../common/md5-offload.js';
import type {
  MultipartStore,
  MultipartUploadRecord,
  RefStore,
  StagingStore,
  UploadPartRecord,
} from '../meta/meta-store.js';
import { putLocalFile } from '../storage/put-file.js';
import type { RepoContext } from './context.js';
import type { EntryChecksums } from './entry.js';
import { consumingSpools } from './hashing-spool.js';
import { partKey, uploadPrefix } from './layout.js';
import { type Body, type HashedBody, isHashedBody } from './object-io.js';
import { openObject } from './read-ops.js';
import { resolveBranch } from './refs.js';
import type { WriteGuard } from './write-policy.js';

export type MultipartMeta = RefStore & StagingStore & MultipartStore;

/** S3's limits: part numbers 1..10000; every part but the last at least 5 MiB. */
export const MAX_PART_NUMBER = 10_000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface MultipartUpload {
  uploadId: string;
  branch: string;
  path: string;
  initiated: Date;
  initiator: string;
  contentType?: string;
  metadata: Record<string, string>;
  checksumAlgorithm?: string;
}

export interface UploadedPart {
  partNumber: number;
  /** Hex MD5 of the part (without quotes). */
  etag: string;
  size: number;
  checksums: EntryChecksums;
  lastModified: Date;
}

export interface CreateUploadOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** The S3 checksum algorithm the client declared (recorded, returned by ListParts). */
  checksumAlgorithm?: string;
  authorization?: unknown;
}

export function toUpload(r: MultipartUploadRecord): MultipartUpload {
  return {
    uploadId: r.id,
    branch: r.branch,
    path: r.path,
    initiated: r.createdAt,
    initiator: r.initiator,
    ...(r.contentType !== undefined && { contentType: r.contentType }),
    metadata: r.metadata,
    ...(r.checksumAlgorithm !== undefined && { checksumAlgorithm: r.checksumAlgorithm }),
  };
}

export const toPart = (p: UploadPartRecord): UploadedPart => ({
  partNumber: p.partNumber,
  etag: p.md5,
  size: p.size,
  checksums: p.checksums as EntryChecksums,
  lastModified: p.createdAt,
});

/** The upload's record, or UploadNotFoundError. */
export async function getUpload(
  ctx: RepoContext<MultipartStore>,
  uploadId: string,
): Promise<MultipartUploadRecord> {
  const rec = await ctx.meta.getUpload(ctx.repo, uploadId);
  if (!rec) throw new UploadNotFoundError(`no upload ${uploadId}`, { uploadId });
  return rec;
}

/**
 * Starts an upload to `path` on a branch. The write policy is asked now (a protected branch
 * refuses at once) and again at completion. The id is 144 random bits, url-safe.
 */
export async function createUpload(
  ctx: RepoContext<MultipartMeta>,
  guard: WriteGuard,
  branchName: string,
  path: string,
  opts: CreateUploadOptions = {},
): Promise<MultipartUpload> {
  const p = parseRepoPath(path);
  const branch = await resolveBranch(ctx, branchName);
  await guard('write', branch.name, opts.authorization, { paths: [p] });
  const rec: MultipartUploadRecord = {
    id: randomBytes(18).toString('base64url'),
    branch: branch.name,
    path: p,
    initiator: ctx.committer,
    createdAt: new Date(),
    metadata: opts.metadata ?? {},
    ...(opts.contentType !== undefined && { contentType: opts.contentType }),
    ...(opts.checksumAlgorithm !== undefined && { checksumAlgorithm: opts.checksumAlgorithm }),
  };
  await ctx.meta.createUpload(ctx.repo, rec);
  return toUpload(rec);
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER)
    throw new InvalidArgumentError(`part number ${n} is not within 1..${MAX_PART_NUMBER}`, {
      argument: 'partNumber',
      reason: 'out of range',
    });
}

export interface PartOptions {
  /** Hex MD5 of the body, when the caller computed it while streaming; else computed here. */
  md5?: string;
  checksums?: EntryChecksums;
  signal?: AbortSignal;
}

/** Stores a part's bytes under `key` in one pass, computing its MD5 unless given. */
async function storePart(
  ctx: RepoContext<unknown>,
  key: string,
  body: Body | HashedBody,
  opts: PartOptions,
): Promise<{ md5: string; size: number }> {
  const { signal } = opts;
  if (isHashedBody(body)) {
    await putLocalFile(ctx.store, key, body.file, { signal });
    return { md5: opts.md5 ?? body.md5, size: body.blob.size };
  }
  if (body instanceof Uint8Array) {
    await ctx.store.put(key, body, { signal });
    return {
      md5: opts.md5 ?? createHash('md5').update(body).digest('hex'),
      size: body.byteLength,
    };
  }
  if (opts.md5 !== undefined) {
    await ctx.store.put(key, body.open(), { size: body.size, signal });
    return { md5: opts.md5, size: body.size };
  }
  return storeStreamWithMd5(ctx, key, body.open(), body.size, signal);
}

/** Streams into the store while hashing with MD5 (one pass; the MD5 on the worker thread). */
async function storeStreamWithMd5(
  ctx: RepoContext<unknown>,
  key: string,
  source: NodeJS.ReadableStream,
  size: number,
  signal?: AbortSignal,
): Promise<{ md5: string; size: number }> {
  const md5 = new OffloadedMd5();
  let seen = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.byteLength;
      const wait = md5.update(chunk);
      if (wait) wait.then(() => cb(null, chunk), cb);
      else cb(null, chunk);
    },
  });
  try {
    await Promise.all([
      pipeline(source, tap, { signal }),
      ctx.store.put(key, tap, { size, signal }),
    ]);
  } catch (err) {
    tap.destroy(); // a failed put must not leave the source open
    md5.discard();
    throw err;
  }
  return { md5: await md5.digest(), size: seen };
}

/** Records a stored part; a replaced part's bytes are deleted, and so are ours if the upload went. */
async function recordPart(
  ctx: RepoContext<MultipartStore>,
  uploadId: string,
  part: UploadPartRecord,
): Promise<UploadedPart> {
  const previous = await ctx.meta.putUploadPart(ctx.repo, uploadId, part);
  if (previous === false) {
    await ctx.store.delete(part.key).catch(() => {});
    throw new UploadNotFoundError(`no upload ${uploadId} (completed or aborted)`, { uploadId });
  }
  if (previous && previous.key !== part.key) await ctx.store.delete(previous.key).catch(() => {});
  return toPart(part);
}

/** Stores part `partNumber` of an upload (replacing an earlier one of that number). */
export async function uploadPart(
  ctx: RepoContext<MultipartMeta>,
  uploadId: string,
  partNumber: number,
  body: Body | HashedBody,
  opts: PartOptions = {},
): Promise<UploadedPart> {
  return consumingSpools([body], async () => {
    checkPartNumber(partNumber);
    await getUpload(ctx, uploadId);
    const key = partKey(uploadId, partNumber, randomBytes(6).toString('hex'));
    const { md5, size } = await storePart(ctx, key, body, opts);
    return recordPart(ctx, uploadId, {
      partNumber,
      size,
      md5,
      checksums: opts.checksums ?? {},
      key,
      createdAt: new Date(),
    });
  });
}

/**
 * A part copied from a byte range (inclusive) of an object at any ref of this repository (S3
 * UploadPartCopy); the bytes flow through once, hashed with MD5 on the way.
 */
export async function uploadPartCopy(
  ctx: RepoContext<MultipartMeta>,
  uploadId: string,
  partNumber: number,
  source: { ref: string; path: string; range?: { start: number; end: number } },
  opts: { signal?: AbortSignal } = {},
): Promise<UploadedPart> {
  checkPartNumber(partNumber);
  await getUpload(ctx, uploadId);
  const { entry, stream } = await openObject(ctx, source.ref, source.path, {
    signal: opts.signal,
    range: source.range,
  });
  const size = source.range ? source.range.end - source.range.start + 1 : entry.size;
  const key = partKey(uploadId, partNumber, randomBytes(6).toString('hex'));
  const stored = await storeStreamWithMd5(ctx, key, stream, size, opts.signal);
  return recordPart(ctx, uploadId, {
    partNumber,
    size: stored.size,
    md5: stored.md5,
    checksums: {},
    key,
    createdAt: new Date(),
  });
}

export async function listParts(
  ctx: RepoContext<MultipartStore>,
  uploadId: string,
  opts: { afterPart?: number; max?: number } = {},
): Promise<{ upload: MultipartUpload; parts: UploadedPart[]; truncated: boolean }> {
  const upload = toUpload(await getUpload(ctx, uploadId));
  const max = opts.max ?? 1000;
  const rows = await ctx.meta.listUploadParts(ctx.repo, uploadId, {
    afterPart: opts.afterPart,
    limit: max + 1,
  });
  return { upload, parts: rows.slice(0, max).map(toPart), truncated: rows.length > max };
}

export interface ListUploadsOptions {
  branch?: string;
  /** Paths under this prefix (on `branch` when given). */
  prefix?: string;
  /** Resume after this (branch, path) … */
  keyMarker?: { branch: string; path: string };
  /** … and, for that same (branch, path), after this upload. */
  uploadIdMarker?: string;
  max?: number;
}

/** Uploads in progress, by (branch, path) then initiation; `truncated` when more remain. */
export async function listUploads(
  ctx: RepoContext<MultipartStore>,
  opts: ListUploadsOptions = {},
): Promise<{ uploads: MultipartUpload[]; truncated: boolean }> {
  const max = opts.max ?? 1000;
  let after: { createdAt: Date; id: string } | undefined;
  if (opts.keyMarker && opts.uploadIdMarker) {
    const m = await ctx.meta.getUpload(ctx.repo, opts.uploadIdMarker);
    if (m) after = { createdAt: m.createdAt, id: m.id };
  }
  const rows = await ctx.meta.listUploads(ctx.repo, {
    branch: opts.branch,
    prefix: opts.prefix,
    marker: opts.keyMarker && { ...opts.keyMarker, ...(after && { after }) },
    limit: max + 1,
  });
  return { uploads: rows.slice(0, max).map(toUpload), truncated: rows.length > max };
}

/** Deletes every store key under an upload's folder (its parts, and any left by a crash). */
export async function deleteUploadKeys(
  ctx: RepoContext<unknown>,
  uploadId: string,
  signal?: AbortSignal,
): Promise<number> {
  let n = 0;
  for await (const info of ctx.store.list(uploadPrefix(uploadId), { signal })) {
    await ctx.store.delete(info.key);
    n++;
  }
  return n;
}

/** Abandons an upload: its record, its part records and its parts' bytes. */
export async function abortUpload(
  ctx: RepoContext<MultipartStore>,
  uploadId: string,
): Promise<void> {
  if (!(await ctx.meta.deleteUpload(ctx.repo, uploadId)))
    throw new UploadNotFoundError(`no upload ${uploadId}`, { uploadId });
  await deleteUploadKeys(ctx, uploadId);
}
