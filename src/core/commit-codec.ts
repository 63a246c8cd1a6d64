// Canonical bytes of a commit: a type-and-version tag, then canonical JSON. The commit id is the
// SHA-256 of these bytes, so a commit pins its tree, its parents and its metadata.
import { IntegrityError } from '../common/errors.js';
import { canonicalJson, sha256Hex, tag } from '../common/hash.js';
import type { CommitId, NodeId } from '../common/ids.js';

export interface Commit {
  id: CommitId;
  /** Root node of the commit's tree (the metarange). */
  tree: NodeId;
  parents: CommitId[];
  message: string;
  committer: string;
  createdAt: Date;
  metadata: Record<string, string>;
  /** 1 for a root commit, else 1 + the greatest parent generation. */
  generation: number;
}

export type CommitContent = Omit<Commit, 'id'>;

const COMMIT_TAG = tag('commit');

export function encodeCommit(c: CommitContent): Uint8Array {
  const body = canonicalJson({
    tree: c.tree,
    parents: c.parents,
    message: c.message,
    committer: c.committer,
    createdAt: c.createdAt.getTime(),
    metadata: c.metadata,
    generation: c.generation,
  });
  return Buffer.from(COMMIT_TAG + body, 'utf8');
}

export function commitIdOf(bytes: Uint8Array): CommitId {
  return sha256Hex(bytes) as CommitId;
}

export function decodeCommit(bytes: Uint8Array, id: string): Commit {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (!text.startsWith(COMMIT_TAG))
    throw new IntegrityError(`commit ${id} has an unknown type tag`, { commit: id });
  const o = JSON.parse(text.slice(COMMIT_TAG.length)) as {
    tree: string;
    parents: string[];
    message: string;
    committer: string;
    createdAt: number;
    metadata: Record<string, string>;
    generation: number;
  };
  return {
    id: id as CommitId,
    tree: o.tree as NodeId,
    parents: o.parents as CommitId[],
    message: o.message,
    committer: o.committer,
    createdAt: new Date(o.createdAt),
    metadata: o.metadata,
    generation: o.generation,
  };
}
