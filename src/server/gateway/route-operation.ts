// Picks the S3 operation a request asks for, as S3 does: by level (service, bucket, object), by
// method, then by the query's sub-resources (`?uploads`, `?uploadId=`, `?list-type=2`, `?delete`
// …) and headers (`x-amz-copy-source`). A sub-resource or header Sluice does not implement
// (tagging, ACLs, versioning, Select, policies, object lock, encryption …) is NotImplemented by
// name — never taken for a plainer operation (lakeFS #7025 ran put-object-tagging as a put).

import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

/** Query parameters that are not sub-resources: options of the operation they accompany. */
const PARAMETERS = new Set([
  'x-id',
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'continuation-token',
  'fetch-owner',
  'start-after',
  'list-type',
  'key-marker',
  'upload-id-marker',
  'max-uploads',
  'max-parts',
  'part-number-marker',
  'partNumber',
  'uploadId',
  'uploads',
  'delete',
  'location',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
  'X-Amz-Checksum-Mode',
  'x-amz-checksum-mode',
]);

/** Sub-resources and parameters S3 has and Sluice does not implement, with the operation's family. */
const UNSUPPORTED_QUERY: Record<string, string> = {
  acl: 'ACLs',
  tagging: 'object and bucket tagging',
  versioning: 'bucket versioning',
  versions: 'object versions',
  versionId: 'object versions',
  policy: 'bucket policies',
  'policy-status': 'bucket policies',
  lifecycle: 'lifecycle rules',
  cors: 'CORS configuration',
  website: 'static website hosting',
  logging: 'server access logging',
  notification: 'event notifications',
  replication: 'replication',
  encryption: 'bucket encryption',
  'object-lock': 'object lock',
  retention: 'object lock',
  'legal-hold': 'object lock',
  requestPayment: 'requester pays',
  accelerate: 'transfer acceleration',
  analytics: 'analytics configuration',
  metrics: 'metrics configuration',
  inventory: 'inventory configuration',
  'intelligent-tiering': 'intelligent tiering',
  ownershipControls: 'ownership controls',
  publicAccessBlock: 'public access block',
  select: 'SelectObjectContent',
  'select-type': 'SelectObjectContent',
  restore: 'RestoreObject',
  torrent: 'BitTorrent',
  attributes: 'GetObjectAttributes',
  session: 'S3 Express sessions',
};

/** Request headers that ask for something Sluice does not do. */
const UNSUPPORTED_HEADERS: Record<string, string> = {
  'x-amz-tagging': 'object tagging',
  'x-amz-object-lock-mode': 'object lock',
  'x-amz-object-lock-retain-until-date': 'object lock',
  'x-amz-object-lock-legal-hold': 'object lock',
  'x-amz-server-side-encryption': 'server-side encryption',
  'x-amz-server-side-encryption-customer-algorithm': 'server-side encryption with customer keys',
  'x-amz-server-side-encryption-aws-kms-key-id': 'server-side encryption with KMS',
  'x-amz-website-redirect-location': 'website redirects',
  'x-amz-grant-read': 'ACLs',
  'x-amz-grant-write': 'ACLs',
  'x-amz-grant-read-acp': 'ACLs',
  'x-amz-grant-write-acp': 'ACLs',
  'x-amz-grant-full-control': 'ACLs',
  'x-amz-bucket-object-lock-enabled': 'object lock',
};

function notImplemented(what: string, s3: S3Request): S3Error {
  return new S3Error(
    'NotImplemented',
    `${what} is not implemented by the Sluice gateway (${s3.method} ${s3.rawPath}); the supported operations are listed in docs/s3-gateway.md`,
  );
}

/** Refuses a request that names anything unsupported, before any operation is chosen. */
function refuseUnsupported(s3: S3Request): void {
  for (const name of s3.query.keys()) {
    const what = UNSUPPORTED_QUERY[name];
    if (what) throw notImplemented(what, s3);
    if (!PARAMETERS.has(name) && !name.toLowerCase().startsWith('x-amz-'))
      throw notImplemented(`the query parameter "${name}"`, s3);
  }
  for (const [name, value] of Object.entries(s3.headers)) {
    const what = UNSUPPORTED_HEADERS[name];
    if (what === undefined || value === undefined) continue;
    // Private is every object's ACL here, as the bucket owner's: saying so changes nothing.
    throw notImplemented(what, s3);
  }
  const acl = s3.headers['x-amz-acl'];
  if (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control')
    throw notImplemented(`the canned ACL ${String(acl)}`, s3);
  const storage = s3.headers['x-amz-storage-class'];
  if (storage !== undefined && storage !== 'STANDARD')
    throw notImplemented(`the storage class ${String(storage)}`, s3);
}

const has = (s3: S3Request, name: string) => s3.query.has(name);

function serviceOperation(s3: S3Request): string {
  if (s3.method === 'GET') return 'ListBuckets';
  throw notImplemented(`${s3.method} on the service`, s3);
}

function bucketOperation(s3: S3Request): string {
  switch (s3.method) {
    case 'GET':
      if (has(s3, 'location')) return 'GetBucketLocation';
      if (has(s3, 'uploads')) return 'ListMultipartUploads';
      return s3.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'HEAD':
      return 'HeadBucket';
    case 'POST':
      if (has(s3, 'delete')) return 'DeleteObjects';
      throw notImplemented('POST on a bucket (browser form uploads)', s3);
    case 'PUT':
      // Tools that "make sure the bucket exists" (rclone) are told it does; a new one is refused.
      return 'CreateBucket';
    case 'DELETE':
      throw notImplemented('DeleteBucket (delete a repository with the API)', s3);
    default:
      throw new S3Error('MethodNotAllowed', `${s3.method} is not allowed on a bucket`);
  }
}

function objectOperation(s3: S3Request): string {
  const copy = s3.headers['x-amz-copy-source'] !== undefined;
  switch (s3.method) {
    case 'GET':
      return has(s3, 'uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (has(s3, 'uploadId') || has(s3, 'partNumber')) {
        if (!has(s3, 'uploadId') || !has(s3, 'partNumber'))
          throw new S3Error('InvalidRequest', 'a part upload names both partNumber and uploadId');
        return copy ? 'UploadPartCopy' : 'UploadPart';
      }
      return copy ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (has(s3, 'uploads')) return 'CreateMultipartUpload';
      if (has(s3, 'uploadId')) return 'CompleteMultipartUpload';
      throw notImplemented('POST on an object', s3);
    case 'DELETE':
      return has(s3, 'uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      throw new S3Error('MethodNotAllowed', `${s3.method} is not allowed on an object`);
  }
}

/** The operation's name; NotImplemented for anything Sluice does not do. */
export function routeOperation(s3: S3Request): string {
  refuseUnsupported(s3);
  if (s3.bucket === undefined) return serviceOperation(s3);
  if (s3.key === '') return bucketOperation(s3);
  return objectOperation(s3);
}
