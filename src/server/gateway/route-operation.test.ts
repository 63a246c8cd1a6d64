// The router names operations by sub-resource and header, never by verb alone: every S3
// operation Sluice lacks is NotImplemented by name (tagging, ACLs, versioning, Select …).
import { describe, expect, it } from 'vitest';
import { routeOperation } from './route-operation.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

function req(method: string, target: string, headers: Record<string, string> = {}): S3Request {
  const [path, query = ''] = target.split('?') as [string, string?];
  const parts = path.replace(/^\//, '').split('/');
  const bucket = parts[0] || undefined;
  const key = parts.slice(1).join('/');
  const slash = key.indexOf('/');
  return {
    method,
    ...(bucket ? { bucket } : {}),
    key,
    ...(key ? { ref: slash < 0 ? key : key.slice(0, slash) } : {}),
    path: slash < 0 ? '' : key.slice(slash + 1),
    query: new URLSearchParams(query),
    headers,
    rawPath: path,
    rawQuery: query,
    requestId: 'r',
  };
}

const code = (f: () => unknown) => {
  try {
    f();
    return 'routed';
  } catch (err) {
    return err instanceof S3Error ? err.code : String(err);
  }
};

describe('routeOperation', () => {
  it.each([
    ['GET', '/', 'ListBuckets'],
    ['HEAD', '/repo', 'HeadBucket'],
    ['GET', '/repo?location', 'GetBucketLocation'],
    ['GET', '/repo?list-type=2&prefix=main/', 'ListObjectsV2'],
    ['GET', '/repo?prefix=main/&marker=a', 'ListObjects'],
    ['GET', '/repo?uploads', 'ListMultipartUploads'],
    ['POST', '/repo?delete', 'DeleteObjects'],
    ['GET', '/repo/main/a.csv', 'GetObject'],
    ['GET', '/repo/main/a.csv?x-id=GetObject&response-content-type=text/plain', 'GetObject'],
    ['HEAD', '/repo/main/a.csv', 'HeadObject'],
    ['PUT', '/repo/main/a.csv', 'PutObject'],
    ['DELETE', '/repo/main/a.csv', 'DeleteObject'],
    ['POST', '/repo/main/a.csv?uploads', 'CreateMultipartUpload'],
    ['PUT', '/repo/main/a.csv?partNumber=1&uploadId=u', 'UploadPart'],
    ['POST', '/repo/main/a.csv?uploadId=u', 'CompleteMultipartUpload'],
    ['DELETE', '/repo/main/a.csv?uploadId=u', 'AbortMultipartUpload'],
    ['GET', '/repo/main/a.csv?uploadId=u', 'ListParts'],
    ['PUT', '/repo', 'CreateBucket'],
  ])('%s %s is %s', (method, target, name) => {
    expect(routeOperation(req(method, target))).toBe(name);
  });

  it('copies are told by the x-amz-copy-source header', () => {
    const copy = { 'x-amz-copy-source': '/repo/main/a.csv' };
    expect(routeOperation(req('PUT', '/repo/dev/a.csv', copy))).toBe('CopyObject');
    expect(routeOperation(req('PUT', '/repo/dev/a.csv?partNumber=2&uploadId=u', copy))).toBe(
      'UploadPartCopy',
    );
  });

  it.each([
    ['PUT', '/repo/main/a.csv?tagging'],
    ['GET', '/repo/main/a.csv?tagging'],
    ['DELETE', '/repo/main/a.csv?tagging'],
    ['PUT', '/repo/main/a.csv?acl'],
    ['GET', '/repo?acl'],
    ['PUT', '/repo?versioning'],
    ['GET', '/repo?versioning'],
    ['GET', '/repo?versions'],
    ['GET', '/repo/main/a.csv?versionId=3'],
    ['POST', '/repo/main/a.csv?select&select-type=2'],
    ['POST', '/repo/main/a.csv?restore'],
    ['PUT', '/repo?policy'],
    ['PUT', '/repo?lifecycle'],
    ['DELETE', '/repo'],
    ['GET', '/repo/main/a.csv?attributes'],
    ['GET', '/repo/main/a.csv?some-new-thing'],
  ])('%s %s is NotImplemented', (method, target) => {
    expect(code(() => routeOperation(req(method, target)))).toBe('NotImplemented');
  });

  it('headers asking for tagging, object lock, encryption or another storage class are NotImplemented', () => {
    for (const h of <Record<string, string>[]>[
      { 'x-amz-tagging': 'a=b' },
      { 'x-amz-object-lock-mode': 'GOVERNANCE' },
      { 'x-amz-server-side-encryption': 'aws:kms' },
      { 'x-amz-storage-class': 'GLACIER' },
      { 'x-amz-acl': 'public-read' },
    ])
      expect(code(() => routeOperation(req('PUT', '/repo/main/a.csv', h)))).toBe('NotImplemented');
    expect(routeOperation(req('PUT', '/repo/main/a.csv', { 'x-amz-acl': 'private' }))).toBe(
      'PutObject',
    );
  });

  it('a part upload names both its number and its upload', () => {
    expect(code(() => routeOperation(req('PUT', '/repo/main/a?partNumber=1')))).toBe(
      'InvalidRequest',
    );
  });
});
