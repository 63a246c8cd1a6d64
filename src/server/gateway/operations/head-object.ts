// HeadObject: GetObject's headers (ETag, Last-Modified, length, metadata, checksums on request,
// the same conditions and range) without the bytes.
import { type Operation, readAsk } from '../operation.js';
import { answerObject } from './get-object.js';

export const headObject: Operation = {
  name: 'HeadObject',
  permission: readAsk,
  handle: (g, call) => answerObject(g, call, true),
};
