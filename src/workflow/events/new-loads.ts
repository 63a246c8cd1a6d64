// What a deploy brings: the successful loads whose ingest commit is in the deployed commit and not
// in the one live before — a deploy event's `loads`, from which lead time for changes is computed.
import type { CommitId } from '../../common/ids.js';
import type { Commit } from '../../core/commit-codec.js';
import type { Repository } from '../../core/repository.js';
import { listEvents } from './log.js';
import type { DeployedLoad } from './types.js';

/**
 * The successful loads whose ingest commit is in `to` and not in `from` (both refs or commit
 * ids; no `from` = everything in `to`), oldest commit first — what a deploy of `to` over `from`
 * brings to an environment, for its event's `loads`. One walk of the commits between the two
 * (git's `from..to`, highest generation first), then one read of the loads since the oldest of
 * them.
 */
export async function newLoads(
  repo: Repository,
  to: string,
  from?: string,
): Promise<DeployedLoad[]> {
  const commits = await commitsBetween(
    repo,
    (await repo.resolve(to)).commit,
    from === undefined ? undefined : (await repo.resolve(from)).commit,
  );
  if (commits.size === 0) return [];
  let oldest = Number.POSITIVE_INFINITY;
  for (const c of commits.values()) oldest = Math.min(oldest, c.createdAt.getTime());
  const out: DeployedLoad[] = [];
  const seen = new Set<string>();
  // A load event is recorded after its commit, so none of these is older than the oldest commit.
  for await (const e of listEvents(repo, { types: ['load'], since: new Date(oldest) })) {
    if (e.type !== 'load' || e.outcome !== 'success' || e.commit === undefined) continue;
    const c = commits.get(e.commit);
    if (!c || seen.has(e.runId)) continue;
    seen.add(e.runId);
    out.push({
      runId: e.runId,
      ingestor: e.ingestor,
      commit: e.commit,
      committedAt: c.createdAt.toISOString(),
    });
  }
  return out.sort((a, b) => a.committedAt.localeCompare(b.committedAt));
}

/** Commits reachable from `to` and not from `from`, by id. */
async function commitsBetween(
  repo: Repository,
  to: CommitId,
  from: CommitId | undefined,
): Promise<Map<string, Commit>> {
  const IN = 1;
  const OUT = 2;
  const flags = new Map<string, number>();
  const queued = new Set<string>();
  const queue = new MaxHeap<Commit>((c) => c.generation);
  let queuedIn = 0; // queued commits not (yet) known to be reachable from `from`
  const visit = async (id: CommitId, f: number): Promise<void> => {
    const old = flags.get(id);
    if (old === undefined) {
      flags.set(id, f);
      queued.add(id);
      if (f === IN) queuedIn++;
      queue.push(await repo.ctx.commits.get(id));
      return;
    }
    if ((old | f) === old) return;
    flags.set(id, old | f);
    if (old === IN && queued.has(id)) queuedIn--;
  };
  const result = new Map<string, Commit>();
  await visit(to, IN);
  if (from !== undefined) await visit(from, OUT);
  // Parents have lower generations than children: a commit's flags are final when it is popped.
  // Once every queued commit is reachable from `from`, so is everything older: stop.
  while (queuedIn > 0) {
    const c = queue.pop() as Commit;
    queued.delete(c.id);
    const f = flags.get(c.id) as number;
    if (f === IN) {
      queuedIn--;
      result.set(c.id, c);
    }
    for (const p of c.parents) await visit(p, f);
  }
  return result;
}

/** A binary max-heap by `key`. */
class MaxHeap<T> {
  readonly #items: T[] = [];
  constructor(readonly key: (x: T) => number) {}
  push(x: T): void {
    const a = this.#items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.key(a[p] as T) >= this.key(a[i] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l] as T) > this.key(a[m] as T)) m = l;
        if (r < a.length && this.key(a[r] as T) > this.key(a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}
