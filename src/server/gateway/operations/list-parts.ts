// ListParts (GET …?uploadId=): the parts uploaded so far, after part-number-marker, at most
// max-parts (default and cap 1000). Asks write permission on the branch: an upload in progress
// is a write, and its parts are not readable data yet.
import { pageSize } from '../listing-params.js';
import { principal, uploadOfKey } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { sendXml } from '../respond.js';
import { S3Error } from '../s3-errors.js';
import { xmlDocument } from '../xml.js';

function markerOf(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  if (!/^\d{1,5}$/.test(raw))
    throw new S3Error('InvalidArgument', 'part-number-marker must be a part number', {
      ArgumentName: 'part-number-marker',
      ArgumentValue: raw.slice(0, 20),
    });
  return Number(raw);
}

export const listParts: Operation = {
  name: 'ListParts',
  permission: writeAsk,
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const repo = await repositoryOf(g, s3);
    const { uploadId } = await uploadOfKey(repo, s3);
    const marker = markerOf(s3.query.get('part-number-marker'));
    const max = pageSize(s3, 'max-parts');
    const { upload, parts, truncated } = await repo.listParts(uploadId, {
      afterPart: marker,
      max,
    });
    const last = parts.at(-1);
    return sendXml(
      reply,
      xmlDocument('ListPartsResult', {
        Bucket: s3.bucket,
        Key: s3.key,
        UploadId: uploadId,
        Initiator: principal(upload.initiator),
        Owner: principal(upload.initiator),
        StorageClass: 'STANDARD',
        PartNumberMarker: marker,
        NextPartNumberMarker: last?.partNumber ?? marker,
        MaxParts: max,
        IsTruncated: truncated,
        ChecksumAlgorithm: upload.checksumAlgorithm,
        Part: parts.map((p) => ({
          PartNumber: p.partNumber,
          LastModified: p.lastModified.toISOString(),
          ETag: `"${p.etag}"`,
          Size: p.size,
          ChecksumCRC32: p.checksums.crc32,
          ChecksumCRC32C: p.checksums.crc32c,
          ChecksumSHA1: p.checksums.sha1,
          ChecksumSHA256: p.checksums.sha256,
        })),
      }),
    );
  },
};
