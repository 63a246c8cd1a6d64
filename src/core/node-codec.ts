// Canonical bytes of tree nodes. A leaf ("range") lists entries; an index node lists children by
// their last key. The id of a node is the SHA-256 of these bytes, which begin with a type and
// version tag; decoding checks the tag, and readers verify the id (see node-store.ts).

import { IntegrityError } from '../common/errors.js';
import { canonicalJson, sha256Hex, tag } from '../common/hash.js';
import type { NodeId, ObjectAddress, RepoPath } from '../common/ids.js';
import type { TreeEntry } from './entry.js';

export interface ChildRef {
  id: NodeId;
  /** Height of the child: 0 for a leaf. */
  height: number;
  /** Greatest key in the child's subtree. */
  maxKey: string;
  /** Number of entries in the child's subtree. */
  count: number;
}

export type TreeNode =
  | { kind: 'leaf'; entries: TreeEntry[] }
  | { kind: 'index'; height: number; children: ChildRef[] };

const LEAF_TAG = tag('range');
const INDEX_TAG = tag('index');

export function encodeNode(node: TreeNode): Uint8Array {
  const lines: string[] = [];
  if (node.kind === 'leaf') {
    lines.push(LEAF_TAG);
    for (const e of node.entries) {
      const fields: unknown[] = [e.path, e.address, e.size, e.checksum, e.contentType, e.metadata];
      if (e.physical !== undefined) fields.push(e.physical);
      lines.push(canonicalJson(fields), '\n');
    }
  } else {
    lines.push(INDEX_TAG, String(node.height), '\n');
    for (const c of node.children) lines.push(canonicalJson([c.maxKey, c.id, c.count]), '\n');
  }
  return Buffer.from(lines.join(''), 'utf8');
}

export function nodeIdOf(bytes: Uint8Array): NodeId {
  return sha256Hex(bytes) as NodeId;
}

export function decodeNode(bytes: Uint8Array, id: string): TreeNode {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const bad = (why: string): never => {
    throw new IntegrityError(`tree node ${id} is malformed: ${why}`, { node: id });
  };
  const lines = text.split('\n');
  if (lines.at(-1) !== '') bad('missing final newline');
  lines.pop();
  const head = `${lines[0]}\n`;
  if (head === LEAF_TAG) {
    const entries: TreeEntry[] = [];
    for (let i = 1; i < lines.length; i++) {
      const [path, address, size, checksum, contentType, metadata, physical] = JSON.parse(
        lines[i] as string,
      ) as [string, string, number, string, string, Record<string, string>, string | undefined];
      const entry: TreeEntry = {
        path: path as RepoPath,
        address: address as ObjectAddress,
        size,
        checksum,
        contentType,
        metadata,
      };
      if (physical !== undefined) entry.physical = physical;
      entries.push(entry);
    }
    return { kind: 'leaf', entries };
  }
  if (head === INDEX_TAG) {
    const height = Number(lines[1]);
    if (!Number.isInteger(height) || height < 1) bad('bad height');
    const children: ChildRef[] = [];
    for (let i = 2; i < lines.length; i++) {
      const [maxKey, childId, count] = JSON.parse(lines[i] as string) as [string, string, number];
      children.push({ id: childId as NodeId, height: height - 1, maxKey, count });
    }
    return { kind: 'index', height, children };
  }
  return bad('unknown type tag');
}

export const EMPTY_LEAF: TreeNode = { kind: 'leaf', entries: [] };
export const EMPTY_TREE_ID: NodeId = nodeIdOf(encodeNode(EMPTY_LEAF));
