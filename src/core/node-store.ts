// Reads and writes tree nodes through the ObjectStore. Reads verify the id against the bytes
// (a damaged range is an ObjectCorruptedError, never silently wrong data) and are cached.
//
// New nodes go into node packs: one store object per 64 MiB of nodes instead of one per node, so
// a commit that rewrites thousands of nodes creates one file (or makes one S3 PUT), not thousands.
// A parent records where each packed child is (see node-codec.ts), so a pack needs its id before
// it is complete: node packs are named by a random id, not by their hash. The root of every tree
// that a build returns is also stored loose under its id, since commits name trees by id alone.
import { randomBytes } from 'node:crypto';
import { ObjectCorruptedError, ObjectNotFoundError } from '../common/errors.js';
import { tag } from '../common/hash.js';
import type { ObjectStore } from '../storage/object-store.js';
import { nodeKey, packKey } from './layout.js';
import { Lru } from './lru.js';
import {
  nodeCopyKey as copyKey,
  decodeNode,
  EMPTY_LEAF,
  EMPTY_TREE_ID,
  encodeNode,
  type NodeLocation,
  type NodeRef,
  nodeIdOf,
  type TreeNode,
} from './node-codec.js';

/** Packs of nodes begin with the same tag as packs of objects and share their namespace. */
const PACK_TAG = Buffer.from(tag('pack'));
const PACK_TARGET_SIZE = 64 * 1024 * 1024;
const MAX_PACKS_IN_FLIGHT = 2;

interface PackInProgress {
  id: string;
  chunks: Uint8Array[];
  size: number;
  byOffset: Map<number, Uint8Array>;
}

/** Node reads from the store (cache misses) and node writes, for benchmarks and tests. */
export interface NodeIoStats {
  read: number;
  readBytes: number;
  written: number;
  writtenBytes: number;
}

export class NodeStore {
  private readonly cache = new Lru<string, TreeNode>(4096);
  /** The pack new nodes are appended to. */
  private open: PackInProgress | undefined;
  /** Packs being written: their nodes are readable from here until they are stored. */
  private readonly unwritten = new Map<string, PackInProgress>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  readonly stats: NodeIoStats = { read: 0, readBytes: 0, written: 0, writtenBytes: 0 };

  private readonly packTargetSize: number;

  constructor(
    private readonly store: ObjectStore,
    opts: { packTargetSize?: number } = {},
  ) {
    this.packTargetSize = opts.packTargetSize ?? PACK_TARGET_SIZE;
  }

  /**
   * A node by reference: the packed copy it names, or the loose node stored under its id. Packed
   * copies never change. A loose root can be stored again with other child locations (a later
   * build made the same tree), so GC and fsck read loose nodes with `fresh`, bypassing the cache.
   */
  async get(ref: NodeRef, opts: { fresh?: boolean } = {}): Promise<TreeNode> {
    if (ref.id === EMPTY_TREE_ID) return EMPTY_LEAF;
    const ck = copyKey(ref);
    const hit = opts.fresh ? undefined : this.cache.get(ck);
    if (hit) return hit;
    const bytes = await this.readBytes(ref);
    const node = decodeNode(bytes, ref.id);
    this.cache.set(ck, node);
    return node;
  }

  /** The stored bytes of one copy of a node, checked against its id. */
  private async readBytes(ref: NodeRef): Promise<Uint8Array> {
    const { id, at } = ref;
    const key = at ? packKey(at.pack) : nodeKey(id);
    let bytes = at ? this.pending(at) : undefined;
    if (bytes === undefined) {
      try {
        bytes = await this.store.get(
          key,
          at ? { range: { start: at.offset, end: at.offset + at.length - 1 } } : undefined,
        );
      } catch (err) {
        if (err instanceof ObjectNotFoundError) {
          throw new ObjectNotFoundError(`tree node ${id} is missing from the object store`, {
            key,
          });
        }
        throw err;
      }
      this.stats.read++;
      this.stats.readBytes += bytes.byteLength;
    }
    const actual = nodeIdOf(bytes);
    if (actual !== id) {
      const where = at ? `${key} at offset ${at.offset}` : key;
      throw new ObjectCorruptedError(
        `tree node ${id} is corrupted in ${where} (its bytes hash to ${actual})`,
        { key, expected: id, actual },
      );
    }
    return bytes;
  }

  private pending(at: NodeLocation): Uint8Array | undefined {
    const pack = this.open?.id === at.pack ? this.open : this.unwritten.get(at.pack);
    return pack?.byOffset.get(at.offset);
  }

  /**
   * Encodes a node and appends it to the open pack; returns where it is. A full pack is sent to the
   * store in the background (a build waits only when two are in flight). Always writes, even when
   * the node was seen before: GC may have removed an old copy.
   */
  async put(node: TreeNode): Promise<NodeRef> {
    const bytes = encodeNode(node);
    const id = nodeIdOf(bytes);
    if (id === EMPTY_TREE_ID) return { id };
    if (this.open && this.open.size + bytes.byteLength > this.packTargetSize) await this.sendPack();
    this.open ??= {
      id: randomBytes(32).toString('hex'),
      chunks: [PACK_TAG],
      size: PACK_TAG.byteLength,
      byOffset: new Map(),
    };
    const pack = this.open;
    const at: NodeLocation = { pack: pack.id, offset: pack.size, length: bytes.byteLength };
    pack.chunks.push(bytes);
    pack.byOffset.set(at.offset, bytes);
    pack.size += bytes.byteLength;
    this.stats.written++;
    this.stats.writtenBytes += bytes.byteLength;
    this.cache.set(copyKey({ id, at }), node);
    return { id, at };
  }

  private async sendPack(): Promise<void> {
    const pack = this.open;
    if (!pack) return;
    this.open = undefined;
    this.unwritten.set(pack.id, pack);
    while (this.inFlight.size >= MAX_PACKS_IN_FLIGHT) await Promise.race(this.inFlight);
    const p: Promise<void> = this.store
      .put(packKey(pack.id), Buffer.concat(pack.chunks, pack.size))
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.unwritten.delete(pack.id);
        this.inFlight.delete(p);
      });
    this.inFlight.add(p);
  }

  /**
   * Makes a built tree durable: stores the open pack and every pack in flight, and the root loose
   * under its id (a root reused from a pack is copied out). Throws the first failure.
   */
  async finishTree(root: NodeRef): Promise<void> {
    let rootBytes: Uint8Array | undefined;
    const open = this.open;
    const at = root.at;
    if (root.id === EMPTY_TREE_ID || at === undefined) {
      // Nothing new, or an old loose node.
    } else if (open?.id === at.pack && at.offset + at.length === open.size) {
      // A new root is the last node put: it leaves the pack (nothing points at that copy), and a
      // tree of one node writes no pack at all.
      rootBytes = open.chunks.pop() as Uint8Array;
      open.size -= at.length;
      open.byOffset.delete(at.offset);
      if (open.chunks.length === 1) this.open = undefined;
    } else {
      rootBytes = await this.readBytes(root);
      this.cache.set(copyKey(root), decodeNode(rootBytes, root.id));
    }
    // Packs first, the loose root after them: the root may replace a copy another process
    // already reads (the same tree built twice), so it must never point at a pack that is not
    // stored yet — nor, after a crash in between, at one that never will be.
    await this.sendPack();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
    if (rootBytes !== undefined) await this.store.put(nodeKey(root.id), rootBytes);
    // What this handle reads as the loose root from now on is the copy it just stored.
    const node = this.cache.get(copyKey(root));
    if (node) this.cache.set(root.id, node);
  }
}
