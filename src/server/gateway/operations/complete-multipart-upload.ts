// CompleteMultipartUpload (POST …?uploadId=): the parts the client names (ascending, ETags as
// uploaded) are concatenated by the library into one object staged on the branch with the ETag
// md5-of-md5s-N. Assembling gigabytes takes a while: if it is not done within KEEP_ALIVE_AFTER_MS
// the answer starts as S3's does — 200, the XML declaration, then a space every few seconds so
// proxies and clients do not time out — and ends with the result or an <Error> document in that
// 200 body (every S3 SDK checks for it). A quick completion answers normally, errors with status.
import type { FastifyReply } from 'fastify';
import type { CompletedPart, TreeEntry } from '../../../index.js';
import { uploadOfKey } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { sendXml, XML_TYPE } from '../respond.js';
import { S3Error, toS3Error } from '../s3-errors.js';
import type { S3Request } from '../s3-request.js';
import { asList, parseXmlBody, xmlDocument } from '../xml.js';

const KEEP_ALIVE_AFTER_MS = 2_000;
const KEEP_ALIVE_EVERY_MS = 5_000;
/** 10,000 parts of ~120 bytes each, with room to spare. */
const MAX_BODY = 4 * 1024 * 1024;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

async function readText(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += c.length;
    if (size > MAX_BODY)
      throw new S3Error('MalformedXML', 'The CompleteMultipartUpload document is too large.');
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function partsOf(text: string): CompletedPart[] {
  const doc = parseXmlBody(text, 'CompleteMultipartUpload');
  const parts = asList(doc.Part as Record<string, unknown> | Record<string, unknown>[] | undefined);
  if (parts.length === 0)
    throw new S3Error('MalformedXML', 'The XML you provided did not name any part.');
  return parts.map((p) => {
    const n = String(p.PartNumber ?? '');
    const etag = String(p.ETag ?? '');
    if (!/^\d{1,5}$/.test(n) || etag === '')
      throw new S3Error('MalformedXML', 'Every Part needs a PartNumber and an ETag.');
    return { partNumber: Number(n), etag: etag.replace(/&quot;/g, '"') };
  });
}

function resultXml(s3: S3Request, location: string, entry: TreeEntry): string {
  return xmlDocument('CompleteMultipartUploadResult', {
    Location: location,
    Bucket: s3.bucket,
    Key: s3.key,
    ETag: `"${entry.etag ?? entry.checksum}"`,
    ChecksumCRC32: entry.checksums?.crc32,
    ChecksumCRC32C: entry.checksums?.crc32c,
    ChecksumSHA1: entry.checksums?.sha1,
    ChecksumSHA256: entry.checksums?.sha256,
  });
}

function locationOf({ s3, req }: S3Call): string {
  const host = req.headers.host ?? 'localhost';
  return `${req.protocol}://${host}${s3.rawPath}`;
}

/** The answer once assembling outlasts KEEP_ALIVE_AFTER_MS: 200 now, the outcome at the end. */
async function answerLate(
  call: S3Call,
  done: Promise<TreeEntry>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': XML_TYPE, 'x-amz-request-id': call.s3.requestId });
  res.write(DECLARATION);
  const timer = setInterval(() => res.write(' '), KEEP_ALIVE_EVERY_MS);
  try {
    const entry = await done;
    res.end(resultXml(call.s3, locationOf(call), entry).slice(DECLARATION.length));
  } catch (err) {
    const e = toS3Error(err);
    if (e.status >= 500) call.req.log.error({ err }, 'CompleteMultipartUpload failed');
    res.end(
      xmlDocument(
        'Error',
        { Code: e.code, Message: e.message, ...e.extra, RequestId: call.s3.requestId },
        { xmlns: false },
      ).slice(DECLARATION.length),
    );
  } finally {
    clearInterval(timer);
  }
  return reply;
}

export const completeMultipartUpload: Operation = {
  name: 'CompleteMultipartUpload',
  permission: writeAsk,
  async handle(g: GatewayContext, call: S3Call) {
    const { s3, reply } = call;
    const repo = await repositoryOf(g, s3);
    const { uploadId } = await uploadOfKey(repo, s3);
    const parts = partsOf(await readText(call.body()));
    const ifAbsent = s3.headers['if-none-match'] === '*';
    const done = repo.completeMultipartUpload(uploadId, parts, ifAbsent ? { ifAbsent } : {});
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), KEEP_ALIVE_AFTER_MS);
    });
    try {
      const first = await Promise.race([done, late]);
      if (first === 'late') return await answerLate(call, done, reply);
      return sendXml(reply, resultXml(s3, locationOf(call), first));
    } finally {
      clearTimeout(timer);
    }
  },
};
