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
  // Hand-rolled canonical JSON for the fixed-shape lines (bytes identical to canonicalJson, which
  // is pinned by golden vectors): tree building spends most of its time here.
  const lines: string[] = [];
  if (node.kind === 'leaf') {
    lines.push(LEAF_TAG);
    for (const e of node.entries) {
      const meta = isEmpty(e.metadata) ? '{}' : canonicalJson(e.metadata);
      const physical = e.physical === undefined ? '' : `,${JSON.stringify(e.physical)}`;
      lines.push(
        `[${JSON.stringify(e.path)},"${e.address}",${e.size},"${e.checksum}",${JSON.stringify(e.contentType)},${meta}${physical}]\n`,
      );
    }
  } else {
    lines.push(INDEX_TAG, String(node.height), '\n');
    for (const c of node.children)
      lines.push(`[${JSON.stringify(c.maxKey)},"${c.id}",${c.count}]\n`);
  }
  return Buffer.from(lines.join(''), 'utf8');
}

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

export function nodeIdOf(bytes: Uint8Array): NodeId {
  return sha256Hex(bytes) as NodeId;
}

export function decodeNode(bytes: Uint8Array, id: string): TreeNode {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const bad = (why: string): never => {
    throw new IntegrityError(`tree node ${id} is malformed: ${why}`, { node: id });
  };
  if (!text.endsWith('\n')) bad('missing final newline');
  // One JSON.parse for the whole node: lines hold no raw newline (JSON escapes them).
  const rows = (body: string): unknown[][] =>
    body === '' ? [] : (JSON.parse(`[${body.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[][]);
  if (text.startsWith(LEAF_TAG)) {
    const entries: TreeEntry[] = [];
    for (const r of rows(text.slice(LEAF_TAG.length))) {
      const entry: TreeEntry = {
        path: r[0] as RepoPath,
        address: r[1] as ObjectAddress,
        size: r[2] as number,
        checksum: r[3] as string,
        contentType: r[4] as string,
        metadata: r[5] as Record<string, string>,
      };
      if (r[6] !== undefined) entry.physical = r[6] as string;
      entries.push(entry);
    }
    return { kind: 'leaf', entries };
  }
  if (text.startsWith(INDEX_TAG)) {
    const nl = text.indexOf('\n', INDEX_TAG.length);
    const height = Number(text.slice(INDEX_TAG.length, nl));
    if (!Number.isInteger(height) || height < 1) bad('bad height');
    const children: ChildRef[] = rows(text.slice(nl + 1)).map((r) => ({
      id: r[1] as NodeId,
      height: height - 1,
      maxKey: r[0] as string,
      count: r[2] as number,
    }));
    return { kind: 'index', height, children };
  }
  return bad('unknown type tag');
}

export const EMPTY_LEAF: TreeNode = { kind: 'leaf', entries: [] };
export const EMPTY_TREE_ID: NodeId = nodeIdOf(encodeNode(EMPTY_LEAF));
