// Opens the ObjectStore a URI names: `memory://`, `s3://bucket/prefix`, or a local directory
// (absolute path or `file://` URL). The S3 SDK is only loaded when an s3:// store is used.
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../common/errors.js';
import { LocalFsStore, type LocalFsStoreOptions } from './local-fs-store.js';
import { MemoryStore } from './memory-store.js';
import type { ObjectStore } from './object-store.js';
import { type OpenS3StoreOptions, openS3Store, S3Store } from './s3-store.js';

export { parseS3Uri } from './s3-store.js';

export interface OpenObjectStoreOptions {
  local?: LocalFsStoreOptions;
  s3?: OpenS3StoreOptions;
}

export async function openObjectStore(
  uri: string,
  opts: OpenObjectStoreOptions = {},
): Promise<ObjectStore> {
  if (uri === 'memory://' || uri === 'memory:') return new MemoryStore();
  if (uri.startsWith('s3://')) return openS3Store(uri, opts.s3);
  const path = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
  if (!isAbsolute(path)) {
    throw new InvalidArgumentError(
      `object store must be memory://, s3://… or an absolute path: ${uri}`,
      {
        argument: 'uri',
        reason: 'unsupported or relative',
      },
    );
  }
  return new LocalFsStore(path, opts.local);
}

/**
 * A store on the root of an S3 bucket, for objects Sluice did not write (imports, exports): over
 * `like`'s connection settings and credentials when `like` is an S3 store on that bucket, else
 * from the standard AWS environment (AWS_ENDPOINT_URL[_S3], AWS_REGION, credentials chain).
 */
export async function openBucketStore(bucket: string, like?: ObjectStore): Promise<ObjectStore> {
  if (like instanceof S3Store && like.bucket === bucket) return like.forBucket(bucket);
  return openS3Store(`s3://${bucket}`);
}
