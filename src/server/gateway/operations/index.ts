// The operations the gateway implements, by S3 name. route-operation.ts names the operation a
// request asks for; one it names that is not here is NotImplemented.
import type { Operation } from '../operation.js';
import { getBucketLocation } from './get-bucket-location.js';
import { headBucket } from './head-bucket.js';
import { listBuckets } from './list-buckets.js';
import { listObjects } from './list-objects.js';
import { listObjectsV2 } from './list-objects-v2.js';

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.fromEntries(
  [listBuckets, headBucket, getBucketLocation, listObjectsV2, listObjects].map((op) => [
    op.name,
    op,
  ]),
);
