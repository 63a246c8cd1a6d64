// ListObjects (V1, GET /{repository} without list-type=2): one page of keys after a marker.
// As S3: Owner on every object, and NextMarker only when a delimiter is given (without one a
// client continues from the last key it got).

import { listPage } from '../listing.js';
import { listingAsk, listParamsV1 } from '../listing-params.js';
import { ownerXml, pageXml, urlEncodeKey, XmlText } from '../listing-xml.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';

export const listObjects: Operation = {
  name: 'ListObjects',
  permission: (s3) => listingAsk(s3),
  async handle(g: GatewayContext, { s3, req, reply }: S3Call) {
    const p = listParamsV1(s3);
    const page = await listPage(g, req, s3.bucket as string, p);
    const enc = p.urlEncoded ? urlEncodeKey : (s: string) => s;
    const next =
      page.truncated && p.delimiter !== undefined && page.lastKey !== undefined
        ? enc(page.lastKey)
        : undefined;
    const doc = new XmlText('ListBucketResult')
      .el('Name', s3.bucket)
      .el('Prefix', enc(p.prefix))
      .el('Marker', enc(p.marker))
      .el('NextMarker', next)
      .el('MaxKeys', p.maxKeys)
      .el('Delimiter', p.delimiter === undefined ? undefined : enc(p.delimiter))
      .el('EncodingType', p.urlEncoded ? 'url' : undefined)
      .el('IsTruncated', page.truncated)
      .raw(pageXml(page, { enc, owner: ownerXml(s3.user as string) }))
      .done();
    return sendXml(reply, doc);
  },
};
