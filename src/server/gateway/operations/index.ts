// The operations the gateway implements, by S3 name. route-operation.ts names the operation a
// request asks for; one it names that is not here is NotImplemented.
import type { Operation } from '../operation.js';
import { abortMultipartUpload } from './abort-multipart-upload.js';
import { completeMultipartUpload } from './complete-multipart-upload.js';
import { copyObject } from './copy-object.js';
import { createMultipartUpload } from './create-multipart-upload.js';
import { deleteObject } from './delete-object.js';
import { deleteObjects } from './delete-objects.js';
import { getBucketLocation } from './get-bucket-location.js';
import { getObject } from './get-object.js';
import { headBucket } from './head-bucket.js';
import { headObject } from './head-object.js';
import { listBuckets } from './list-buckets.js';
import { listMultipartUploads } from './list-multipart-uploads.js';
import { listObjects } from './list-objects.js';
import { listObjectsV2 } from './list-objects-v2.js';
import { listParts } from './list-parts.js';
import { putObject } from './put-object.js';
import { uploadPart } from './upload-part.js';
import { uploadPartCopy } from './upload-part-copy.js';

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.fromEntries(
  [
    listBuckets,
    headBucket,
    getBucketLocation,
    listObjectsV2,
    listObjects,
    getObject,
    headObject,
    putObject,
    copyObject,
    deleteObject,
    deleteObjects,
    createMultipartUpload,
    uploadPart,
    uploadPartCopy,
    completeMultipartUpload,
    abortMultipartUpload,
    listParts,
    listMultipartUploads,
  ].map((op) => [op.name, op]),
);
