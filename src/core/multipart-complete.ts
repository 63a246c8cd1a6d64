// Completing a multipart upload: the parts the client names are checked against the records
// (S3's rules: ascending numbers, ETags that match, every part but the last ≥ 5 MiB), then read
// in order as one stream that is hashed and spooled in a single pass (hashing-spool.ts: on the
// local store the spool sits on the store's filesystem and becomes the object by a rename), never
// held whole in memory. The entry is staged like any write — through the write policy, optionally
// only if the path is absent — with the S3 multipart ETag, md5-of-md5s-N. Only then are the
// upload's records and parts deleted, so a refused completion can be retried.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  EntityTooSmallError,
  InvalidArgumentError,
  InvalidPartError,
  InvalidPartOrderError,
} from '../common/errors.js';
import type { RepoPath } from '../common/ids.js';
import type { UploadPartRecord } from '../meta/meta-store.js';
import { refuseExisting, stageIfAbsent } from './conditional-stage.js';
import { guessContentType } from './content-type.js';
import type { RepoContext } from './context.js';
import type { EntryChecksums, TreeEntry } from './entry.js';
import { discardSpool, hashingSpool, spoolDirFor } from './hashing-spool.js';
import {
  deleteUploadKeys,
  getUpload,
  MAX_PART_NUMBER,
  MIN_PART_SIZE,
  type MultipartMeta,
} from './multipart-op.js';
import { storeBody } from './object-io.js';
import { resolveBranch } from './refs.js';
import type { WriteGuard } from './write-policy.js';

export interface CompletedPart {
  partNumber: number;
  /** As the client sends it: quotes are ignored. */
  etag: string;
}

export interface CompleteOptions {
  /** Refuse (PreconditionFailedError, nothing staged) when the path holds an entry. */
  ifAbsent?: boolean;
  authorization?: unknown;
  signal?: AbortSignal;
  /** The smallest size of a part that is not the last (default 5 MiB, as S3). */
  minPartSize?: number;
  /** Checksums of the whole object the caller computed (e.g. S3 composite `…-N`), recorded as given. */
  checksums?: EntryChecksums;
}

/** S3's multipart ETag: MD5 of the concatenated binary MD5s of the parts, then `-N`. */
export function multipartEtag(md5s: readonly string[]): string {
  const h = createHash('md5');
  for (const m of md5s) h.update(Buffer.from(m, 'hex'));
  return `${h.digest('hex')}-${md5s.length}`;
}

/** The recorded parts the request names, in its order, checked by S3's rules. */
export function chooseParts(
  named: readonly CompletedPart[],
  recorded: readonly UploadPartRecord[],
  minPartSize = MIN_PART_SIZE,
): UploadPartRecord[] {
  if (named.length === 0)
    throw new InvalidArgumentError('a completion names at least one part', {
      argument: 'parts',
      reason: 'empty',
    });
  const byNumber = new Map(recorded.map((p) => [p.partNumber, p]));
  const chosen: UploadPartRecord[] = [];
  let last = 0;
  for (const n of named) {
    if (!Number.isInteger(n.partNumber) || n.partNumber < 1 || n.partNumber > MAX_PART_NUMBER)
      throw new InvalidPartError(`part ${n.partNumber} is not a part number`, {
        partNumber: n.partNumber,
        reason: 'out of range',
      });
    if (n.partNumber <= last)
      throw new InvalidPartOrderError(
        `parts must be listed in ascending order (${n.partNumber} after ${last})`,
        { partNumber: n.partNumber },
      );
    last = n.partNumber;
    const rec = byNumber.get(n.partNumber);
    if (!rec)
      throw new InvalidPartError(`part ${n.partNumber} was not uploaded`, {
        partNumber: n.partNumber,
        reason: 'not uploaded',
      });
    if (n.etag.replaceAll('"', '').toLowerCase() !== rec.md5)
      throw new InvalidPartError(`part ${n.partNumber}'s ETag is not the one uploaded`, {
        partNumber: n.partNumber,
        reason: 'etag mismatch',
      });
    chosen.push(rec);
  }
  for (const p of chosen.slice(0, -1)) {
    if (p.size < minPartSize)
      throw new EntityTooSmallError(
        `part ${p.partNumber} is ${p.size} bytes; every part but the last needs ${minPartSize}`,
        { partNumber: p.partNumber, size: p.size, minimum: minPartSize },
      );
  }
  return chosen;
}

/** The parts' bytes, in order, as one stream (each part's stream opened when reached). */
function concatenated(
  ctx: RepoContext<unknown>,
  parts: readonly UploadPartRecord[],
  signal?: AbortSignal,
): Readable {
  return Readable.from(
    (async function* () {
      for (const p of parts) {
        if (p.size === 0) continue;
        const stream = await ctx.store.getStream(p.key, { signal });
        for await (const chunk of stream) yield chunk as Buffer;
      }
    })(),
    { objectMode: false },
  );
}

/** Concatenates the named parts into one object and stages it at the upload's path. */
export async function completeUpload(
  ctx: RepoContext<MultipartMeta>,
  guard: WriteGuard,
  uploadId: string,
  named: readonly CompletedPart[],
  opts: CompleteOptions = {},
): Promise<TreeEntry> {
  const upload = await getUpload(ctx, uploadId);
  const branch = await resolveBranch(ctx, upload.branch);
  await guard('write', branch.name, opts.authorization, { paths: [upload.path] });
  if (opts.ifAbsent) await refuseExisting(ctx, branch.name, [upload.path]);
  const recorded = await ctx.meta.listUploadParts(ctx.repo, uploadId);
  const parts = chooseParts(named, recorded, opts.minPartSize);

  const spooled = await hashingSpool(
    concatenated(ctx, parts, opts.signal),
    await spoolDirFor(ctx.store),
    { signal: opts.signal, md5: false },
  );
  try {
    await storeBody(ctx.store, spooled.blob, spooled, opts.signal);
  } finally {
    await discardSpool(spooled); // gone already when moved in; removed when storing failed
  }
  const entry: TreeEntry = {
    path: upload.path as RepoPath,
    ...spooled.blob,
    contentType: upload.contentType ?? guessContentType(upload.path),
    metadata: upload.metadata,
    etag: multipartEtag(parts.map((p) => p.md5)),
    ...(opts.checksums !== undefined && { checksums: opts.checksums }),
    mtime: Date.now(),
  };
  const { path, ...value } = entry;
  if (opts.ifAbsent) await stageIfAbsent(ctx, branch.name, [{ path, value }]);
  else await ctx.meta.stage(ctx.repo, branch.name, [{ path, value }]);

  if (await ctx.meta.deleteUpload(ctx.repo, uploadId)) await deleteUploadKeys(ctx, uploadId);
  return entry;
}
