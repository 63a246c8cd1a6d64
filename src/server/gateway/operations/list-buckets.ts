// ListBuckets: the repositories the caller may read, as buckets (GET /).
import { authorize } from '../../../auth/index.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';
import { xmlDocument } from '../xml.js';

export const listBuckets: Operation = {
  name: 'ListBuckets',
  // Signed in is enough to ask; each repository shows only to those who may read it.
  permission: () => [],
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const subject = await g.server.auth.subjectOf(s3.user as string);
    const all = await g.server.host.list();
    const visible = all
      .filter((r) => authorize(subject, 'repo:Read', { repository: r.name }).allowed)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return sendXml(
      reply,
      xmlDocument('ListAllMyBucketsResult', {
        Owner: { ID: s3.user as string, DisplayName: s3.user as string },
        Buckets: {
          Bucket: visible.map((r) => ({
            Name: r.name,
            CreationDate: r.createdAt.toISOString(),
          })),
        },
      }),
    );
  },
};
