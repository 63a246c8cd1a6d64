// What a multipart request names beyond its key (object-target.ts): the upload, which must be
// this bucket's and this key's (else NoSuchUpload: an upload id is no capability for another
// key), and the part number (1..10000).
import type { MultipartUpload, Repository } from '../../index.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

export function uploadIdOf(s3: S3Request): string {
  const id = s3.query.get('uploadId') ?? '';
  if (id === '') throw new S3Error('InvalidArgument', 'uploadId is empty');
  return id;
}

function noSuchUpload(id: string): S3Error {
  return new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: id },
  );
}

/** The upload the request names, checked to be for this key (`{branch}/{path}`). */
export async function uploadOfKey(repo: Repository, s3: S3Request): Promise<MultipartUpload> {
  const id = uploadIdOf(s3);
  let upload: MultipartUpload;
  try {
    ({ upload } = await repo.listParts(id, { max: 0 }));
  } catch (err) {
    if ((err as { code?: string }).code === 'UploadNotFoundError') throw noSuchUpload(id);
    throw err;
  }
  if (upload.branch !== s3.ref || upload.path !== s3.path) throw noSuchUpload(id);
  return upload;
}

/** partNumber: 1..10000, else InvalidArgument (as S3). */
export function partNumberOf(s3: S3Request): number {
  const raw = s3.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= 10_000))
    throw new S3Error(
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: raw.slice(0, 20),
      },
    );
  return n;
}

/** `Initiator` / `Owner` of an upload in S3's documents. */
export function principal(user: string): { ID: string; DisplayName: string } {
  return { ID: user, DisplayName: user };
}
