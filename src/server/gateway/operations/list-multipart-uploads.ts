// ListMultipartUploads (GET /{repository}?uploads): uploads in progress, keys `{branch}/{path}`.
// A prefix naming a branch (`main/data/`) lists that branch's uploads (read permission on it);
// otherwise every branch's, each shown only to those who may read it. key-marker (and
// upload-id-marker for the same key) resumes; with a delimiter the page's keys roll up into
// CommonPrefixes (within the page: uploads in progress are few).

import { mayRead } from '../listing.js';
import { compareUtf8, listingAsk, pageSize } from '../listing-params.js';
import { principal } from '../multipart-target.js';
import { repositoryOf } from '../object-target.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';
import { xmlDocument } from '../xml.js';

function splitKey(key: string): { branch: string; path: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { branch: key, path: '' }
    : { branch: key.slice(0, slash), path: key.slice(slash + 1) };
}

export const listMultipartUploads: Operation = {
  name: 'ListMultipartUploads',
  permission: (s3) => listingAsk(s3),
  async handle(g: GatewayContext, { s3, req, reply }: S3Call) {
    const repo = await repositoryOf(g, s3);
    const prefix = s3.query.get('prefix') ?? '';
    const delimiter = s3.query.get('delimiter') || undefined;
    const keyMarker = s3.query.get('key-marker') ?? '';
    const uploadIdMarker = s3.query.get('upload-id-marker') ?? '';
    const max = pageSize(s3, 'max-uploads');
    const scope = prefix.includes('/') ? splitKey(prefix) : undefined;
    const { uploads, truncated } = await repo.listMultipartUploads({
      ...(scope ? { branch: scope.branch, prefix: scope.path } : {}),
      ...(keyMarker !== '' ? { keyMarker: splitKey(keyMarker) } : {}),
      ...(keyMarker !== '' && uploadIdMarker !== '' ? { uploadIdMarker } : {}),
      max,
    });
    const readable = new Map<string, boolean>();
    const shown = [];
    for (const u of uploads) {
      const key = `${u.branch}/${u.path}`;
      if (!key.startsWith(prefix)) continue;
      if (!readable.has(u.branch)) readable.set(u.branch, await mayRead(g, req, repo, u.branch));
      if (readable.get(u.branch)) shown.push({ key, u });
    }
    const prefixes = new Set<string>();
    const listed = shown.filter(({ key }) => {
      if (delimiter === undefined) return true;
      const cut = key.indexOf(delimiter, prefix.length);
      if (cut < 0) return true;
      prefixes.add(key.slice(0, cut + delimiter.length));
      return false;
    });
    const last = uploads.at(-1);
    return sendXml(
      reply,
      xmlDocument('ListMultipartUploadsResult', {
        Bucket: s3.bucket,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
        NextKeyMarker: truncated && last ? `${last.branch}/${last.path}` : undefined,
        NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
        Prefix: prefix,
        Delimiter: delimiter,
        MaxUploads: max,
        IsTruncated: truncated,
        Upload: listed.map(({ key, u }) => ({
          Key: key,
          UploadId: u.uploadId,
          Initiator: principal(u.initiator),
          Owner: principal(u.initiator),
          StorageClass: 'STANDARD',
          Initiated: u.initiated.toISOString(),
          ChecksumAlgorithm: u.checksumAlgorithm,
        })),
        CommonPrefixes: [...prefixes].sort(compareUtf8).map((p) => ({ Prefix: p })),
      }),
    );
  },
};
