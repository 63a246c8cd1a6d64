// AbortMultipartUpload (DELETE …?uploadId=): the upload and its parts' bytes go; 204 as S3.

import { uploadOfKey } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';

export const abortMultipartUpload: Operation = {
  name: 'AbortMultipartUpload',
  permission: writeAsk,
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const repo = await repositoryOf(g, s3);
    const upload = await uploadOfKey(repo, s3);
    await repo.abortMultipartUpload(upload.uploadId);
    return reply.code(204).send();
  },
};
