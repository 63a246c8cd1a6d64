// What every engine operation needs: the two stores, the repository name, and the caches.
import type { MetaStore } from '../meta/meta-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { CommitStore } from './commit-store.js';
import { NodeStore } from './node-store.js';

export interface RepoContext {
  readonly repo: string;
  readonly meta: MetaStore;
  readonly store: ObjectStore;
  readonly nodes: NodeStore;
  readonly commits: CommitStore;
  readonly defaultBranch: string;
  /** Who commits: recorded in every commit. */
  readonly committer: string;
}

export function makeContext(
  meta: MetaStore,
  store: ObjectStore,
  repo: string,
  defaultBranch: string,
  committer: string,
): RepoContext {
  return {
    repo,
    meta,
    store,
    defaultBranch,
    committer,
    nodes: new NodeStore(store),
    commits: new CommitStore(meta, repo),
  };
}
