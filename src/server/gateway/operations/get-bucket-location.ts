// GetBucketLocation: the region clients should sign for (`--region`, default us-east-1). S3
// answers an empty LocationConstraint for us-east-1, and SDKs expect exactly that.
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';
import { xmlDocument } from '../xml.js';

export const getBucketLocation: Operation = {
  name: 'GetBucketLocation',
  permission: (s3) => [{ action: 'repo:Read', repository: s3.bucket as string }],
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    await g.server.host.get(s3.bucket as string);
    const region = g.region === 'us-east-1' ? '' : g.region;
    return sendXml(reply, xmlDocument('LocationConstraint', { '#text': region }));
  },
};
