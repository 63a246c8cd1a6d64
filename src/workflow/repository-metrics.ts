// The outcome metrics of one repository over a window, read from its event log: the events the
// computation needs (metrics.ts) and no more. One home for what `sluice metrics` and the server's
// /metrics route read, so both answer the same numbers for the same window.
import type { Repository } from '../core/repository.js';
import { listEvents } from './events/index.js';
import { computeMetrics, type MetricsOptions, type OutcomeMetrics } from './metrics.js';

/** Deploys and rollbacks this long before the window are read too: what a rollback undid. */
const CONTEXT_MS = 90 * 86_400_000;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** computeMetrics over the repository's deploys, rollbacks and loads around the window. */
export async function repositoryMetrics(
  repo: Repository,
  opts: MetricsOptions,
): Promise<OutcomeMetrics> {
  const context = new Date(opts.since.getTime() - CONTEXT_MS);
  const events = [
    ...(await collect(listEvents(repo, { since: context, types: ['deploy', 'rollback'] }))),
    ...(await collect(listEvents(repo, { since: opts.since, until: opts.until, types: ['load'] }))),
  ];
  return computeMetrics(events, opts);
}
