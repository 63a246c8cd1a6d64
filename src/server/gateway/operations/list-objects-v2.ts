// ListObjectsV2 (GET /{repository}?list-type=2): one page of keys under a prefix. Keys are
// `{ref}/{path}`; a prefix without `/` lists the refs (listing.ts). The continuation token is
// opaque (listing-params.ts); KeyCount counts keys and common prefixes, as S3 does.

import { listPage } from '../listing.js';
import { encodeToken, listingAsk, listParamsV2 } from '../listing-params.js';
import { ownerXml, pageXml, urlEncodeKey, XmlText } from '../listing-xml.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';

export const listObjectsV2: Operation = {
  name: 'ListObjectsV2',
  permission: (s3) => listingAsk(s3),
  async handle(g: GatewayContext, { s3, req, reply }: S3Call) {
    const p = listParamsV2(s3);
    const page = await listPage(g, req, s3.bucket as string, p);
    const enc = p.urlEncoded ? urlEncodeKey : (s: string) => s;
    const fetchOwner = s3.query.get('fetch-owner') === 'true';
    const doc = new XmlText('ListBucketResult')
      .el('Name', s3.bucket)
      .el('Prefix', enc(p.prefix))
      .el('Delimiter', p.delimiter === undefined ? undefined : enc(p.delimiter))
      .el('MaxKeys', p.maxKeys)
      .el('EncodingType', p.urlEncoded ? 'url' : undefined)
      .el('KeyCount', page.contents.length + page.prefixes.length)
      .el('IsTruncated', page.truncated)
      .el('ContinuationToken', p.token)
      .el(
        'NextContinuationToken',
        page.truncated && page.lastKey !== undefined ? encodeToken(page.lastKey) : undefined,
      )
      .el('StartAfter', p.startAfter === undefined ? undefined : enc(p.startAfter))
      .raw(pageXml(page, { enc, owner: fetchOwner ? ownerXml(s3.user as string) : '' }))
      .done();
    return sendXml(reply, doc);
  },
};
