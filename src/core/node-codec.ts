// Canonical bytes of tree nodes. A leaf ("range") lists entries; an index node lists children by
// their last key. The id of a node is the SHA-256 of these bytes, which begin with a type and
// version tag; decoding checks the tag, and readers verify the id (see node-store.ts).
//
// An index node whose children live in node packs is stored with a trailer after the canonical
// bytes: where each child's bytes are (pack, offset, length). The trailer is not part of the id
// (a location says where a copy is, not what the tree holds), so equal trees keep equal ids; it
// needs no hash of its own, because a child read through it is verified against its id.

import { IntegrityError } from '../common/errors.js';
import { canonicalJson, sha256Hex, tag } from '../common/hash.js';
import type { NodeId, ObjectAddress, RepoPath } from '../common/ids.js';
import { type EntryExtras, extrasOf, type TreeEntry } from './entry.js';

/** Where a copy of a node is stored inside a node pack. */
export interface NodeLocation {
  pack: string;
  offset: number;
  length: number;
}

/** A node and, when it is packed, the copy to read; without `at` it is stored loose by id. */
export interface NodeRef {
  id: NodeId;
  at?: NodeLocation;
}

/**
 * Names one stored copy of a node. The same node may be stored in several packs (a later build
 * wrote it again), and each copy's own child locations are what a walk over it must follow.
 */
export const nodeCopyKey = (ref: NodeRef): string =>
  ref.at ? `${ref.id}@${ref.at.pack}:${ref.at.offset}` : ref.id;

export interface ChildRef extends NodeRef {
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
/** Starts the trailer: canonical lines start with `[` or a tag, never with `#`. */
const TRAILER = '#at\n';
const TRAILER_START = Buffer.from(`\n${TRAILER}`);

export function encodeNode(node: TreeNode): Uint8Array {
  // Hand-rolled canonical JSON for the fixed-shape lines (bytes identical to canonicalJson, which
  // is pinned by golden vectors): tree building spends most of its time here.
  const lines: string[] = [];
  if (node.kind === 'leaf') {
    lines.push(LEAF_TAG);
    for (const e of node.entries) {
      const meta = isEmpty(e.metadata) ? '{}' : canonicalJson(e.metadata);
      const x = extrasOf(e);
      // Optional trailing fields: `physical` (null when only the extras are set), then the extras.
      const physical =
        x !== undefined
          ? `,${e.physical === undefined ? 'null' : JSON.stringify(e.physical)},${canonicalJson(x)}`
          : e.physical === undefined
            ? ''
            : `,${JSON.stringify(e.physical)}`;
      lines.push(
        `[${JSON.stringify(e.path)},"${e.address}",${e.size},"${e.checksum}",${JSON.stringify(e.contentType)},${meta}${physical}]\n`,
      );
    }
  } else {
    lines.push(INDEX_TAG, String(node.height), '\n');
    for (const c of node.children)
      lines.push(`[${JSON.stringify(c.maxKey)},"${c.id}",${c.count}]\n`);
    if (node.children.some((c) => c.at !== undefined)) lines.push(TRAILER, encodeLocations(node));
  }
  return Buffer.from(lines.join(''), 'utf8');
}

/** `[[packs…],[[pack index, offset, length] | null, …]]`: each pack id is written once. */
function encodeLocations(node: { children: ChildRef[] }): string {
  const packs: string[] = [];
  const index = new Map<string, number>();
  const at = node.children.map((c) => {
    if (c.at === undefined) return 'null';
    let i = index.get(c.at.pack);
    if (i === undefined) {
      i = packs.length;
      packs.push(c.at.pack);
      index.set(c.at.pack, i);
    }
    return `[${i},${c.at.offset},${c.at.length}]`;
  });
  return `[${JSON.stringify(packs)},[${at.join(',')}]]\n`;
}

/** Length of the canonical part (the bytes the id covers). */
function canonicalLength(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const i = buf.indexOf(TRAILER_START);
  return i < 0 ? bytes.byteLength : i + 1;
}

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

/** The id of stored node bytes: the hash of their canonical part. */
export function nodeIdOf(bytes: Uint8Array): NodeId {
  const n = canonicalLength(bytes);
  return sha256Hex(n === bytes.byteLength ? bytes : bytes.subarray(0, n)) as NodeId;
}

export function decodeNode(bytes: Uint8Array, id: string): TreeNode {
  const bad = (why: string): never => {
    throw new IntegrityError(`tree node ${id} is malformed: ${why}`, { node: id });
  };
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = canonicalLength(bytes);
  const text = all.toString('utf8', 0, n);
  const trailer = n < all.byteLength ? all.toString('utf8', n + TRAILER.length) : undefined;
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
      if (r[6] !== undefined && r[6] !== null) entry.physical = r[6] as string;
      if (r[7] !== undefined) Object.assign(entry, r[7] as EntryExtras);
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
    if (trailer !== undefined) decodeLocations(trailer, children, bad);
    return { kind: 'index', height, children };
  }
  return bad('unknown type tag');
}

function decodeLocations(trailer: string, children: ChildRef[], bad: (why: string) => never): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(trailer);
  } catch {
    bad('unreadable child locations');
  }
  const [packs, at] = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(packs) || !Array.isArray(at) || at.length !== children.length)
    bad('child locations do not match the children');
  for (let i = 0; i < children.length; i++) {
    const loc = (at as unknown[])[i];
    if (loc === null) continue;
    const [p, offset, length] = Array.isArray(loc) ? loc : [];
    const pack = (packs as unknown[])[p as number];
    if (
      typeof pack !== 'string' ||
      !/^[0-9a-f]{64}$/.test(pack) ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      (offset as number) < 0 ||
      (length as number) <= 0
    )
      bad(`bad location for child ${i}`);
    (children[i] as ChildRef).at = {
      pack: pack as string,
      offset: offset as number,
      length: length as number,
    };
  }
}

export const EMPTY_LEAF: TreeNode = { kind: 'leaf', entries: [] };
export const EMPTY_TREE_ID: NodeId = nodeIdOf(encodeNode(EMPTY_LEAF));
