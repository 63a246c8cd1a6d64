// CreateBucket: repositories are created with `sluice init` or the API, never through S3. But
// tools that make sure a bucket exists before writing (rclone, S3A's bucket probe) send it for a
// bucket that is there: they are answered BucketAlreadyOwnedByYou, as S3 answers its owner, which
// they take as "go on". A bucket that does not exist is NotImplemented, and nothing is created.
import { enforce } from '../../permissions.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { S3Error } from '../s3-errors.js';

export const createBucket: Operation = {
  name: 'CreateBucket',
  // Signed in is enough to ask; that the repository is there is told to those who may read it.
  permission: () => [],
  async handle(g: GatewayContext, { s3, req }: S3Call) {
    const exists = (await g.server.host.list()).some((r) => r.name === s3.bucket);
    if (exists && req.subject)
      await enforce(g.server.host, req.subject, [
        { action: 'repo:Read', repository: s3.bucket as string },
      ]);
    if (!exists)
      throw new S3Error(
        'NotImplemented',
        `CreateBucket is not implemented by the Sluice gateway: create the repository ${String(s3.bucket)} with \`sluice init\` or the API`,
      );
    throw new S3Error(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: s3.bucket as string },
    );
  },
};
