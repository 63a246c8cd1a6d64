// The operations the gateway implements, by S3 name. route-operation.ts names the operation a
// request asks for; one it names that is not here is NotImplemented.
import type { Operation } from '../operation.js';
import { getBucketLocation } from './get-bucket-location.js';
import { headBucket } from './head-bucket.js';
import { listBuckets } from './list-buckets.js';

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.fromEntries(
  [listBuckets, headBucket, getBucketLocation].map((op) => [op.name, op]),
);
