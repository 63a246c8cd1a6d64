// Where things live in the ObjectStore. Two hex characters of fan-out keep directories small on
// local disks and spread keys on S3.
import type { NodeId, ObjectAddress } from '../common/ids.js';

export const DATA_PREFIX = 'data/';
export const RANGES_PREFIX = 'ranges/';
export const PACKS_PREFIX = 'packs/';
/**
 * Parts of multipart uploads in progress: outside the content-addressed layout (their bytes are
 * not an object yet), one folder per upload so that abort and GC remove an upload's parts by prefix.
 */
export const UPLOADS_PREFIX = 'tmp/uploads/';

export const dataKey = (address: ObjectAddress | string): string =>
  `${DATA_PREFIX}${address.slice(0, 2)}/${address}`;
export const nodeKey = (id: NodeId | string): string => `${RANGES_PREFIX}${id.slice(0, 2)}/${id}`;
export const packKey = (id: string): string => `${PACKS_PREFIX}${id.slice(0, 2)}/${id}`;

export const uploadPrefix = (uploadId: string): string => `${UPLOADS_PREFIX}${uploadId}/`;
/** A part's key: its number (zero-padded, so keys sort by it) and a nonce per upload of it. */
export const partKey = (uploadId: string, partNumber: number, nonce: string): string =>
  `${uploadPrefix(uploadId)}${String(partNumber).padStart(5, '0')}-${nonce}`;

/** The address, node id or pack id a store key names, or undefined for keys that are neither. */
export function idFromKey(key: string): string | undefined {
  const m = /^(?:data|ranges|packs)\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(key);
  return m?.[1];
}
