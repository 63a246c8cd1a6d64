// What every engine operation needs: the two stores, the repository name, and the caches.
import { currentActor } from '../common/actor.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { CommitStore } from './commit-store.js';
import { NodeStore } from './node-store.js';

/**
 * `M` is the part of the MetaStore an operation uses, named by its roles (`RefStore &
 * StagingStore`, …), so each function says which state it touches; `RepoContext<unknown>` uses
 * none. A Repository holds the whole `RepoContext` (every role) and passes it to each.
 */
export interface RepoContext<M = MetaStore> {
  readonly repo: string;
  readonly meta: M;
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
    // The server acts for many users through one handle: the request's user commits (actor.ts).
    get committer() {
      return currentActor() ?? committer;
    },
    nodes: new NodeStore(store),
    commits: new CommitStore(meta, repo),
  };
}
