// HeadBucket: does the repository exist, and may the caller read it (200, 403 or 404, no body).
import type { GatewayContext, Operation, S3Call } from '../operation.js';

export const headBucket: Operation = {
  name: 'HeadBucket',
  permission: (s3) => [{ action: 'repo:Read', repository: s3.bucket as string }],
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    await g.server.host.get(s3.bucket as string);
    return reply.code(200).header('x-amz-bucket-region', g.region).send();
  },
};
