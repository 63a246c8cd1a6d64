// GetObject: an object's bytes at any ref (a branch shows its staged changes, as `sluice cat`
// does; a tag, an alias such as `production`, a commit id), one byte range (206), conditional
// headers (304/412), response-header overrides. The bytes are the library's stream handed to the
// socket as is: no copy or transform per chunk (a small object is one buffer).
import { Readable } from 'node:stream';
import type { TreeEntry } from '../../../index.js';
import { type ByteRange, parseRange } from '../../byte-range.js';
import { checkReadConditions, hasReadConditions } from '../object-conditions.js';
import { etagOf, lastModifiedOf, quotedEtag, setObjectHeaders } from '../object-headers.js';
import { readPath, repositoryOf } from '../object-target.js';
import { type GatewayContext, type Operation, readAsk, type S3Call } from '../operation.js';
import { S3Error } from '../s3-errors.js';

function header(call: S3Call, name: string): string | undefined {
  const v = call.s3.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Part 1 of an object written whole is the object (clients that download by part ask for it). */
function refuseParts(call: S3Call): void {
  const part = call.s3.query.get('partNumber');
  if (part !== null && part !== '1')
    throw new S3Error('InvalidArgument', `part ${part} of ${call.s3.key}: the object is whole`);
}

/** The range asked for; InvalidRange (416, the object's size in Content-Range) when unsatisfiable. */
function rangeOf(call: S3Call, entry: TreeEntry): ByteRange | undefined {
  try {
    return parseRange(header(call, 'range'), entry.size);
  } catch (err) {
    call.reply.header('content-range', `bytes */${entry.size}`);
    throw err;
  }
}

/** GetObject and HeadObject: the same headers and decisions; HEAD sends no bytes. */
export async function answerObject(g: GatewayContext, call: S3Call, head: boolean) {
  const { s3, reply } = call;
  const path = readPath(s3);
  refuseParts(call);
  const ref = s3.ref as string;
  const repo = await repositoryOf(g, s3);
  // Without a range or a condition, one open gives the entry and the bytes.
  const simple = !head && header(call, 'range') === undefined && !hasReadConditions(s3);
  const opened = simple ? await repo.openObject(ref, path) : undefined;
  const entry = opened?.entry ?? (await repo.stat(ref, path));
  const lastModified = await lastModifiedOf(repo, ref, entry).catch((err: unknown) => {
    opened?.stream.destroy();
    throw err;
  });
  reply.header('x-amz-request-id', s3.requestId);
  if (checkReadConditions(s3, { etag: etagOf(entry), lastModified }) === 'not-modified') {
    opened?.stream.destroy();
    return reply
      .code(304)
      .header('etag', quotedEtag(entry))
      .header('last-modified', lastModified.toUTCString())
      .send();
  }
  const range = rangeOf(call, entry);
  setObjectHeaders(reply, s3, entry, lastModified, { whole: range === undefined });
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${entry.size}`);
  }
  reply.header('content-length', String(range ? range.end - range.start + 1 : entry.size));
  // HEAD: an empty stream keeps the Content-Length above (Fastify's HEAD handling drains it).
  if (head) return reply.send(Readable.from([]));
  if (opened) {
    const b = opened.bytes;
    return reply.send(b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : opened.stream);
  }
  const { stream } = await repo.openObject(ref, path, range ? { range } : {});
  return reply.send(stream);
}

export const getObject: Operation = {
  name: 'GetObject',
  permission: readAsk,
  handle: (g, call) => answerObject(g, call, false),
};
