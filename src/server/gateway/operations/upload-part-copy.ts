// UploadPartCopy (PUT …?partNumber=&uploadId= with x-amz-copy-source): a part copied from an
// object of this repository at any ref (read permission on the source ref), whole or the range
// x-amz-copy-source-range `bytes=a-b` (inclusive). Answers CopyPartResult.

import { partNumberOf, uploadOfKey } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { sendXml } from '../respond.js';
import { S3Error } from '../s3-errors.js';
import type { S3Request } from '../s3-request.js';
import { xmlDocument } from '../xml.js';
import { copySourceOf } from './copy-object.js';

function rangeOf(s3: S3Request): { start: number; end: number } | undefined {
  const raw = s3.headers['x-amz-copy-source-range'];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(v.trim());
  if (!m || Number(m[2]) < Number(m[1]))
    throw new S3Error(
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    );
  return { start: Number(m[1]), end: Number(m[2]) };
}

export const uploadPartCopy: Operation = {
  name: 'UploadPartCopy',
  permission: (s3) => {
    const source = copySourceOf(s3);
    return [
      ...writeAsk(s3),
      { action: 'repo:Read', repository: s3.bucket as string, ref: source.ref },
    ];
  },
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const partNumber = partNumberOf(s3);
    const { ref, path } = copySourceOf(s3);
    if (path === '')
      throw new S3Error('InvalidArgument', 'x-amz-copy-source names {repository}/{ref}/{path}');
    const source = { ref, path };
    const range = rangeOf(s3);
    const repo = await repositoryOf(g, s3);
    const { uploadId } = await uploadOfKey(repo, s3);
    if (range !== undefined) {
      const entry = await repo.stat(source.ref, source.path);
      if (range.end >= entry.size)
        throw new S3Error('InvalidRange', 'The requested range is not satisfiable', {
          RangeRequested: `bytes=${range.start}-${range.end}`,
          ActualObjectSize: String(entry.size),
        });
    }
    const part = await repo.uploadPartCopy(uploadId, partNumber, {
      ...source,
      ...(range !== undefined ? { range } : {}),
    });
    return sendXml(
      reply,
      xmlDocument('CopyPartResult', {
        ETag: `"${part.etag}"`,
        LastModified: part.lastModified.toISOString(),
      }),
    );
  },
};
