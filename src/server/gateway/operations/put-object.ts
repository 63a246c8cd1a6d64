// PutObject: stages the body on a branch, like `sluice put`, with the MD5 as its ETag, the
// checksums the client sent (verified) and the time of the write. Only branches take writes
// (object-target.ts); `If-None-Match: *` writes only if the key holds nothing, `If-Match` only over
// the named ETag. Nothing is staged unless the whole body arrived and every digest matched. A
// zero-byte key ending in `/` is a directory marker (the AWS console and rclone make them): Sluice
// has no directories, so it is answered as written and stages nothing.
import type { Repository, TreeEntry } from '../../../index.js';
import { declaredLength } from '../body.js';
import { etagOf, metadataFromHeaders } from '../object-headers.js';
import {
  entryAt,
  isDirectoryMarker,
  repositoryOf,
  writableBranch,
  writePath,
} from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';
import { receiveUpload } from '../receive-upload.js';
import { S3Error } from '../s3-errors.js';
import type { S3Request } from '../s3-request.js';
import { UploadDigests } from '../upload-digests.js';

/** Types a client sends when it knows no better: the path's guess is better. */
const UNKNOWN_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

function header(s3: S3Request, name: string): string | undefined {
  const v = s3.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function contentTypeOf(s3: S3Request): string | undefined {
  const given = header(s3, 'content-type');
  return given === undefined || UNKNOWN_TYPES.has(given.toLowerCase()) ? undefined : given;
}

/** If-None-Match: * and If-Match, checked before the body is read (and ifAbsent again at staging). */
async function checkWriteConditions(
  s3: S3Request,
  repo: Repository,
  branch: string,
  path: string,
): Promise<{ ifAbsent: boolean }> {
  const ifNoneMatch = header(s3, 'if-none-match');
  const ifMatch = header(s3, 'if-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*')
    throw new S3Error('NotImplemented', 'PutObject takes If-None-Match: * only');
  if (ifNoneMatch === undefined && ifMatch === undefined) return { ifAbsent: false };
  const existing = await entryAt(repo, branch, path);
  if (ifNoneMatch !== undefined && existing)
    throw new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'If-None-Match',
      },
    );
  if (ifMatch !== undefined) {
    if (!existing)
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: s3.key });
    const wanted = ifMatch.split(',').map((t) => t.trim().replace(/^"(.*)"$/, '$1'));
    if (!wanted.includes('*') && !wanted.includes(etagOf(existing)))
      throw new S3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: 'If-Match',
        },
      );
  }
  return { ifAbsent: ifNoneMatch !== undefined };
}

/** The answer's headers: the ETag and the checksums verified. */
function answer(call: S3Call, md5: string, checksums: TreeEntry['checksums']) {
  call.reply.header('etag', `"${md5}"`);
  for (const [alg, value] of Object.entries(checksums ?? {}))
    if (value !== undefined) call.reply.header(`x-amz-checksum-${alg}`, value);
  return call.reply.code(200).send();
}

/** A directory marker: the body is read (and checked) and nothing is staged. */
async function directoryMarker(call: S3Call, digests: UploadDigests) {
  if (declaredLength(call.req) !== 0)
    throw new S3Error(
      'InvalidArgument',
      `the key ${JSON.stringify(call.s3.key)} ends in "/": only an empty directory marker may (Sluice has no directories, and stages nothing for it)`,
    );
  const body = call.body();
  for await (const chunk of body) digests.update(chunk as Buffer);
  const { md5, checksums } = digests.finish(body.trailers());
  return answer(call, md5, checksums);
}

export const putObject: Operation = {
  name: 'PutObject',
  permission: writeAsk,
  async handle(g: GatewayContext, call: S3Call) {
    const { s3 } = call;
    const repo = await repositoryOf(g, s3);
    const branch = await writableBranch(g, repo, s3.ref as string);
    const digests = new UploadDigests(s3.headers);
    if (isDirectoryMarker(s3)) return directoryMarker(call, digests);
    const path = writePath(s3);
    const { ifAbsent } = await checkWriteConditions(s3, repo, branch, path);
    const body = call.body();
    const received = await receiveUpload(repo, body, declaredLength(call.req), digests);
    try {
      const { md5, checksums } = digests.finish(body.trailers());
      const contentType = contentTypeOf(s3);
      const metadata = metadataFromHeaders(s3.headers);
      await repo.putObject(branch, path, received.body, {
        ...(contentType ? { contentType } : {}),
        ...(metadata ? { metadata } : {}),
        etag: md5,
        ...(checksums ? { checksums } : {}),
        mtime: Date.now(),
        ...(ifAbsent ? { ifAbsent } : {}),
      });
      return answer(call, md5, checksums);
    } finally {
      await received.cleanup();
    }
  },
};
