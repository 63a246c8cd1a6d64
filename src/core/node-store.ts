// Reads and writes tree nodes through the ObjectStore. Reads verify the id against the bytes
// (a damaged range is an ObjectCorruptedError, never silently wrong data) and are cached.
import { ObjectCorruptedError, ObjectNotFoundError } from '../common/errors.js';
import type { NodeId } from '../common/ids.js';
import type { ObjectStore } from '../storage/object-store.js';
import { putMany } from '../storage/put-many.js';
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

const BATCH = 512;
const MAX_BATCHES_IN_FLIGHT = 2;

export class NodeStore {
  private readonly cache = new Lru<string, TreeNode>(4096);
  /** Nodes waiting for the next batch, by store key. */
  private queued = new Map<string, Uint8Array>();
  /** Nodes in a batch being written: readable from here until they are stored. */
  private readonly unwritten = new Map<string, Uint8Array>();
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
      bytes = this.queued.get(key) ?? this.unwritten.get(key) ?? (await this.store.get(key));
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
   * Encodes a node and queues its upload; uploads go out in batches (one directory sync per
   * batch on local disks, overlapping fsyncs), and a build waits only when two batches are in
   * flight. Always writes, even when the node was seen before: GC may have removed an old copy.
   */
  async put(node: TreeNode): Promise<NodeId> {
    const bytes = encodeNode(node);
    const id = nodeIdOf(bytes);
    if (id === EMPTY_TREE_ID) return id;
    this.cache.set(id, node);
    this.queued.set(nodeKey(id), bytes);
    if (this.queued.size >= BATCH) {
      while (this.inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(this.inFlight);
      this.sendBatch();
    }
    return id;
  }

  private sendBatch(): void {
    const batch = this.queued;
    this.queued = new Map();
    const items = [...batch].map(([key, body]) => ({ key, body }));
    for (const [key, body] of batch) this.unwritten.set(key, body);
    const p: Promise<void> = putMany(this.store, items, { concurrency: 64 })
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        for (const key of batch.keys()) this.unwritten.delete(key);
        this.inFlight.delete(p);
      });
    this.inFlight.add(p);
  }

  /** Waits for every queued node to be stored; throws the first failure. */
  async flush(): Promise<void> {
    if (this.queued.size > 0) this.sendBatch();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
  }
}
