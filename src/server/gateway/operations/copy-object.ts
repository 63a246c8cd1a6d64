// CopyObject within a repository, across refs, without moving a byte: the source entry (its
// address, size, checksum, ETag) is staged at the destination key (Repository.putEntries). The
// metadata directive COPY keeps the source's content type and user metadata, REPLACE takes the
// request's; `x-amz-copy-source-if-*` conditions apply to the source. Asks read on the source ref
// and write on the destination branch.
import type { PermissionAsk } from '../../permissions.js';
import { checkCopySourceConditions } from '../object-conditions.js';
import { etagOf, lastModifiedOf, metadataFromHeaders, quotedEtag } from '../object-headers.js';
import { readPath, repositoryOf, writableBranch, writePath } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { sendXml } from '../respond.js';
import { S3Error } from '../s3-errors.js';
import type { S3Request } from '../s3-request.js';
import { xmlDocument } from '../xml.js';

interface CopySource {
  bucket: string;
  ref: string;
  path: string;
  key: string;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source is not valid percent-encoding');
  }
}

/** `x-amz-copy-source: /{bucket}/{ref}/{path}` (URL-encoded), in this repository only. */
export function copySourceOf(s3: S3Request): CopySource {
  const raw = String(s3.headers['x-amz-copy-source'] ?? '');
  const q = raw.indexOf('?');
  if (q >= 0 && new URLSearchParams(raw.slice(q + 1)).has('versionId'))
    throw new S3Error(
      'NotImplemented',
      'object versions are not implemented by the Sluice gateway: copy from a ref (a tag or commit id) instead',
    );
  const text = decode(q < 0 ? raw : raw.slice(0, q)).replace(/^\//, '');
  const slash = text.indexOf('/');
  if (slash <= 0)
    throw new S3Error('InvalidArgument', 'x-amz-copy-source names {bucket}/{ref}/{path}');
  const bucket = text.slice(0, slash);
  const key = text.slice(slash + 1);
  if (bucket !== s3.bucket)
    throw new S3Error(
      'NotImplemented',
      `copies between repositories are not implemented by the Sluice gateway (${bucket} to ${String(s3.bucket)}): copy within one repository, or download and upload`,
    );
  const refEnd = key.indexOf('/');
  return {
    bucket,
    key,
    ref: refEnd < 0 ? key : key.slice(0, refEnd),
    path: refEnd < 0 ? '' : key.slice(refEnd + 1),
  };
}

function directive(s3: S3Request): 'COPY' | 'REPLACE' {
  const v = String(s3.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  if (v !== 'COPY' && v !== 'REPLACE')
    throw new S3Error('InvalidArgument', `Unknown metadata directive ${v.slice(0, 40)}`);
  return v;
}

function permission(s3: S3Request): PermissionAsk[] {
  const src = copySourceOf(s3);
  return [{ action: 'repo:Read', repository: src.bucket, ref: src.ref }, ...writeAsk(s3)];
}

export const copyObject: Operation = {
  name: 'CopyObject',
  permission,
  async handle(g: GatewayContext, call: S3Call) {
    const { s3, reply } = call;
    const src = copySourceOf(s3);
    const repo = await repositoryOf(g, s3);
    const branch = await writableBranch(g, repo, s3.ref as string);
    const path = writePath(s3);
    const sourcePath = readPath({ ...s3, key: src.key, path: src.path });
    const entry = await repo.stat(src.ref, sourcePath);
    const lastModified = await lastModifiedOf(repo, src.ref, entry);
    checkCopySourceConditions(s3, { etag: etagOf(entry), lastModified });
    const replace = directive(s3) === 'REPLACE';
    const sameKey = src.ref === s3.ref && sourcePath === path;
    if (sameKey && !replace)
      throw new S3Error(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    const contentType = s3.headers['content-type'];
    const mtime = Date.now();
    const copied = {
      ...entry,
      path,
      mtime,
      ...(replace
        ? {
            ...(typeof contentType === 'string' ? { contentType } : {}),
            metadata: metadataFromHeaders(s3.headers) ?? {},
          }
        : {}),
    };
    const [staged] = await repo.putEntries(branch, [copied]);
    return sendXml(
      reply,
      xmlDocument('CopyObjectResult', {
        ETag: quotedEtag(staged ?? copied),
        LastModified: new Date(mtime).toISOString(),
      }),
    );
  },
};
