// x-amz-copy-source of CopyObject and UploadPartCopy: `[/]{bucket}/{ref}/{path}` URL-encoded,
// within the request's repository (copies are zero-copy references inside one repository).
// A versionId names S3 object versions, which Sluice does not have.
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

export interface CopySource {
  ref: string;
  path: string;
}

export function copySourceOf(s3: S3Request): CopySource {
  const raw = s3.headers['x-amz-copy-source'];
  const value = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const [target = '', query] = value.split('?', 2);
  if (query !== undefined && /(^|&)versionId=/.test(query))
    throw new S3Error(
      'NotImplemented',
      'copying a versionId is not implemented by the Sluice gateway',
    );
  let decoded: string;
  try {
    decoded = decodeURIComponent(target).replace(/^\//, '');
  } catch {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source is not valid percent-encoding');
  }
  const [bucket, ref, ...rest] = decoded.split('/');
  const path = rest.join('/');
  if (!bucket || !ref || path === '')
    throw new S3Error('InvalidArgument', 'x-amz-copy-source must name {repository}/{ref}/{path}', {
      ArgumentName: 'x-amz-copy-source',
    });
  if (bucket !== s3.bucket)
    throw new S3Error(
      'NotImplemented',
      `copying from another repository (${bucket}) is not implemented: copies stay within ${s3.bucket}`,
    );
  return { ref, path };
}
