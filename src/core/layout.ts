// Where things live in the ObjectStore. Two hex characters of fan-out keep directories small on
// local disks and spread keys on S3.
import type { NodeId, ObjectAddress } from '../common/ids.js';

export const DATA_PREFIX = 'data/';
export const RANGES_PREFIX = 'ranges/';
export const PACKS_PREFIX = 'packs/';

export const dataKey = (address: ObjectAddress | string): string =>
  `${DATA_PREFIX}${address.slice(0, 2)}/${address}`;
export const nodeKey = (id: NodeId | string): string => `${RANGES_PREFIX}${id.slice(0, 2)}/${id}`;
export const packKey = (id: string): string => `${PACKS_PREFIX}${id.slice(0, 2)}/${id}`;

/** The address, node id or pack id a store key names, or undefined for keys that are neither. */
export function idFromKey(key: string): string | undefined {
  const m = /^(?:data|ranges|packs)\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(key);
  return m?.[1];
}
