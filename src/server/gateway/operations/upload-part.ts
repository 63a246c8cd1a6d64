// UploadPart (PUT …?partNumber=&uploadId=): the body (aws-chunked decoded, signatures checked)
// is spooled while hashed — its MD5 is the part's ETag — and Content-MD5 is checked against it
// before the part is recorded; a mismatch is BadDigest and the part is not kept.
import { discardSpool, hashingSpool } from '../../../index.js';
import { partNumberOf, repositoryOf, uploadOfKey } from '../multipart-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { S3Error } from '../s3-errors.js';

/** Content-MD5 as hex, or undefined; InvalidDigest when it is not base64 of 16 bytes. */
function contentMd5(header: string | string[] | undefined): string | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined) return undefined;
  const bytes = Buffer.from(v.trim(), 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== v.trim())
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
  return bytes.toString('hex');
}

export const uploadPart: Operation = {
  name: 'UploadPart',
  permission: writeAsk,
  async handle(g: GatewayContext, call: S3Call) {
    const { s3, reply } = call;
    const partNumber = partNumberOf(s3);
    const expected = contentMd5(s3.headers['content-md5']);
    const repo = await repositoryOf(g, s3);
    const { uploadId } = await uploadOfKey(repo, s3);
    const spooled = await hashingSpool(call.body(), await repo.spoolDir());
    if (expected !== undefined && expected !== spooled.md5) {
      await discardSpool(spooled);
      throw new S3Error(
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    }
    try {
      const part = await repo.uploadPart(uploadId, partNumber, spooled, { md5: spooled.md5 });
      return reply.code(200).header('etag', `"${part.etag}"`).send();
    } catch (err) {
      await discardSpool(spooled).catch(() => {});
      throw err;
    }
  },
};
