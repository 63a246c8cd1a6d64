// Commits live in the MetaStore as canonical bytes. Reads verify the id against the bytes and are
// cached (a commit never changes).
import { AmbiguousRefError, CommitNotFoundError, ObjectCorruptedError } from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type { CommitRecordStore } from '../meta/meta-store.js';
import {
  type Commit,
  type CommitContent,
  commitIdOf,
  decodeCommit,
  encodeCommit,
} from './commit-codec.js';
import { Lru } from './lru.js';

export class CommitStore {
  private readonly cache = new Lru<string, Commit>(10_000);

  constructor(
    private readonly meta: CommitRecordStore,
    private readonly repo: string,
  ) {}

  async put(content: CommitContent): Promise<Commit> {
    const data = encodeCommit(content);
    const id = commitIdOf(data);
    await this.meta.putCommit(this.repo, {
      id,
      generation: content.generation,
      createdAt: content.createdAt,
      data,
    });
    const commit = { ...content, id };
    this.cache.set(id, commit);
    return commit;
  }

  async get(id: CommitId | string): Promise<Commit> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const rec = await this.meta.getCommit(this.repo, id);
    if (!rec) throw new CommitNotFoundError(`commit ${id} not found`, { commit: id });
    const commit = this.verify(id, rec.data);
    this.cache.set(id, commit);
    return commit;
  }

  /** Decodes stored bytes after checking they hash to `id`. */
  verify(id: string, data: Uint8Array): Commit {
    const actual = commitIdOf(data);
    if (actual !== id) {
      throw new ObjectCorruptedError(`commit ${id} is corrupted (its bytes hash to ${actual})`, {
        key: `commit/${id}`,
        expected: id,
        actual,
      });
    }
    return decodeCommit(data, id);
  }

  /** The one commit whose id starts with `prefix` (>= 8 hex chars), or undefined. */
  async findByPrefix(prefix: string): Promise<CommitId | undefined> {
    const ids = await this.meta.findCommitIds(this.repo, prefix, 2);
    if (ids.length > 1) {
      const all = await this.meta.findCommitIds(this.repo, prefix, 10);
      throw new AmbiguousRefError(`${prefix} matches several commits`, {
        ref: prefix,
        candidates: all,
      });
    }
    return ids[0] as CommitId | undefined;
  }
}
