// Reads and writes tree nodes through the ObjectStore. Reads verify the id against the bytes
// (a damaged range is an ObjectCorruptedError, never silently wrong data) and are cached.
import { ObjectCorruptedError, ObjectNotFoundError } from '../common/errors.js';
import type { NodeId } from '../common/ids.js';
import type { ObjectStore } from '../storage/object-store.js';
import { nodeKey } from './layout.js';
import { Lru } from './lru.js';
import {
  decodeNode,
  EMPTY_LEAF,
  EMPTY_TREE_ID,
  encodeNode,
  nodeIdOf,
  type TreeNode,
} from './node-codec.js';

const MAX_IN_FLIGHT = 32;

export class NodeStore {
  private readonly cache = new Lru<string, TreeNode>(4096);
  /** Uploads started but not yet finished, so a tree build overlaps its writes. */
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly store: ObjectStore) {}

  async get(id: NodeId): Promise<TreeNode> {
    if (id === EMPTY_TREE_ID) return EMPTY_LEAF;
    const hit = this.cache.get(id);
    if (hit) return hit;
    const key = nodeKey(id);
    let bytes: Uint8Array;
    try {
      bytes = await this.store.get(key);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) {
        throw new ObjectNotFoundError(`tree node ${id} is missing from the object store`, { key });
      }
      throw err;
    }
    const actual = nodeIdOf(bytes);
    if (actual !== id) {
      throw new ObjectCorruptedError(
        `tree node ${key} is corrupted (its bytes hash to ${actual})`,
        {
          key,
          expected: id,
          actual,
        },
      );
    }
    const node = decodeNode(bytes, id);
    this.cache.set(id, node);
    return node;
  }

  /**
   * Encodes a node and starts its upload; waits only when too many uploads are in flight.
   * Always writes, even when the node was seen before: GC may have removed an old copy.
   */
  async put(node: TreeNode): Promise<NodeId> {
    const bytes = encodeNode(node);
    const id = nodeIdOf(bytes);
    if (id === EMPTY_TREE_ID) return id;
    this.cache.set(id, node);
    while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    const p: Promise<void> = this.store
      .put(nodeKey(id), bytes)
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return id;
  }

  /** Waits for every upload started by put(); throws the first failure. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
  }

  /** Reads a node's raw bytes without the cache (fsck). */
  async readRaw(id: NodeId): Promise<Uint8Array> {
    return this.store.get(nodeKey(id));
  }
}
