// How the gateway answers an error: S3's XML document (Code, Message, Resource, RequestId and any
// extra fields), the status S3 gives the code, no body for HEAD. Internal errors are logged with
// their cause and answered without it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toS3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';
import { xmlDocument } from './xml.js';

export const XML_TYPE = 'application/xml';

/** Sends `xml` with S3's content type. */
export function sendXml(reply: FastifyReply, xml: string, status = 200): FastifyReply {
  return reply.code(status).header('content-type', XML_TYPE).send(xml);
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function sendS3Error(
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
  s3: S3Request | undefined,
): FastifyReply {
  const e = toS3Error(err);
  if (e.status >= 500 && e.code !== 'NotImplemented')
    req.log.error({ err, operation: s3?.operation }, 'S3 gateway request failed');
  (reply as unknown as { sluiceError?: string }).sluiceError = e.code;
  reply.header('x-amz-request-id', String(req.id));
  // A refused upload is not read: the connection closes instead of draining gigabytes.
  if (!req.raw.readableEnded && hasBody(req)) reply.header('connection', 'close');
  if (e.code === 'SlowDown') reply.header('retry-after', '1');
  if (req.method === 'HEAD') return reply.code(e.status).send();
  const resource = s3?.rawPath ?? (req.originalUrl ?? req.url).split('?')[0];
  return sendXml(
    reply,
    xmlDocument(
      'Error',
      {
        Code: e.code,
        Message: e.message,
        ...e.extra,
        Resource: resource,
        RequestId: String(req.id),
      },
      { xmlns: false },
    ),
    e.status,
  );
}
