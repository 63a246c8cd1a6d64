// What a multipart request names: the branch (only branches take writes — an alias, tag or
// commit is AccessDenied), the upload (which must be this bucket's and this key's, else
// NoSuchUpload: an upload id is not a capability for another key), the part number (1..10000).
// (object-target.ts of the objects work has the same branch rule for PutObject; one of the two
// should go when both have landed.)
import type { MultipartUpload, Repository } from '../../index.js';
import type { GatewayContext } from './operation.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

export function repositoryOf(g: GatewayContext, s3: S3Request): Promise<Repository> {
  return g.server.host.get(s3.bucket as string);
}

/** The branch a write to the key's ref goes to; AccessDenied for anything else. */
export async function writableBranch(repo: Repository, s3: S3Request): Promise<string> {
  const ref = s3.ref ?? '';
  const resolved = await repo.resolve(ref).catch(() => undefined);
  if (resolved === undefined)
    throw new S3Error(
      'InvalidArgument',
      `there is no branch ${JSON.stringify(ref)} in ${repo.name} to write to: create it first`,
    );
  if (resolved.kind === 'branch') return resolved.branch.name;
  const why =
    resolved.kind === 'alias'
      ? `${ref} is an alias of ${resolved.branch.name}: aliases are read-only (write to a branch, then deploy)`
      : `${ref} is a ${resolved.kind}: tags and commits are read-only`;
  throw new S3Error('AccessDenied', `${why}; only branches take writes through the gateway`);
}

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

/** `x-amz-meta-*` headers as the entry's user metadata (names lower-cased, as S3 keeps them). */
export function userMetadata(headers: S3Request['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      out[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

/** `Initiator` / `Owner` of an upload in S3's documents. */
export function principal(user: string): { ID: string; DisplayName: string } {
  return { ID: user, DisplayName: user };
}
