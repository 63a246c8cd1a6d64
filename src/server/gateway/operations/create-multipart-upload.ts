// CreateMultipartUpload (POST /{repository}/{branch}/{path}?uploads): starts an upload to a
// branch (an alias, tag, commit or protected branch is AccessDenied now, not at the end),
// recording Content-Type, x-amz-meta-* and the declared checksum algorithm.
import { metadataFromHeaders } from '../object-headers.js';
import { repositoryOf, writableBranch, writePath } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { sendXml } from '../respond.js';
import { xmlDocument } from '../xml.js';

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const createMultipartUpload: Operation = {
  name: 'CreateMultipartUpload',
  permission: writeAsk,
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const repo = await repositoryOf(g, s3);
    const branch = await writableBranch(g, repo, s3.ref as string);
    const path = writePath(s3);
    const contentType = single(s3.headers['content-type']);
    const algorithm = single(s3.headers['x-amz-checksum-algorithm'])?.toUpperCase();
    const metadata = metadataFromHeaders(s3.headers);
    const upload = await repo.createMultipartUpload(branch, path, {
      ...(metadata ? { metadata } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
      ...(algorithm !== undefined ? { checksumAlgorithm: algorithm } : {}),
    });
    if (algorithm !== undefined) reply.header('x-amz-checksum-algorithm', algorithm);
    return sendXml(
      reply,
      xmlDocument('InitiateMultipartUploadResult', {
        Bucket: s3.bucket,
        Key: s3.key,
        UploadId: upload.uploadId,
      }),
    );
  },
};
