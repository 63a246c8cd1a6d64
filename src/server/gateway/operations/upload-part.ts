// UploadPart (PUT …?partNumber=&uploadId=): the body (aws-chunked decoded, signatures checked)
// is received as PutObject's is (receive-upload.ts: spooled and hashed in one pass), its MD5 —
// the part's ETag — and x-amz-checksum-* / Content-MD5 verified by upload-digests.ts before the
// part is recorded; a mismatch is BadDigest and the part is not kept.
import { declaredLength } from '../body.js';
import { partNumberOf, uploadOfKey } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { receiveUpload } from '../receive-upload.js';
import { UploadDigests } from '../upload-digests.js';

export const uploadPart: Operation = {
  name: 'UploadPart',
  permission: writeAsk,
  async handle(g: GatewayContext, call: S3Call) {
    const { s3, reply } = call;
    const partNumber = partNumberOf(s3);
    const digests = new UploadDigests(s3.headers);
    const repo = await repositoryOf(g, s3);
    const { uploadId } = await uploadOfKey(repo, s3);
    const body = call.body();
    const received = await receiveUpload(repo, body, declaredLength(call.req), digests);
    try {
      const { md5, checksums } = digests.finish(body.trailers());
      const part = await repo.uploadPart(uploadId, partNumber, received.body, {
        md5,
        ...(checksums ? { checksums } : {}),
      });
      reply.header('etag', `"${part.etag}"`);
      for (const [alg, value] of Object.entries(checksums ?? {}))
        reply.header(`x-amz-checksum-${alg}`, value);
      return reply.code(200).send();
    } finally {
      await received.cleanup();
    }
  },
};
