// The server's singleton work, run by the replica holding its lease (leader.ts): the scheduler —
// the jobs `sluice schedule` runs, from the sluice.yml of the directory the server was started
// in — and periodic GC of every repository the database holds (what `sluice gc` does: expired
// sandboxes, run branches of killed builds, then unreachable objects).

import { loadWorkflowConfig } from '../index.js';
import type { RepositoryHost } from '../internal.js';
import { expireRunBranches } from '../pipeline/index.js';
import { expireSandboxes, scheduledJobs, startScheduler } from '../workflow/index.js';
import type { LeaderLog, SingletonTask } from './leader.js';

export const SCHEDULER_LEASE = 'scheduler';
export const GC_LEASE = 'gc';

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The scheduler, for as long as the lease is held. */
export function schedulerTask(host: RepositoryHost, log: LeaderLog): SingletonTask {
  return {
    name: SCHEDULER_LEASE,
    async run(signal) {
      const repo = await host.get(host.defaultRepository);
      const config = loadWorkflowConfig(host.root);
      const jobs = scheduledJobs(repo, host.root, config, (o) => log.info(o.line));
      if (jobs.length === 0) {
        log.info('nothing is scheduled: give an ingestor a `schedule:` cron in sluice.yml');
        return untilAborted(signal);
      }
      log.info(`scheduling ${jobs.map((j) => `${j.name} (${j.cron})`).join(', ')}`);
      const scheduler = startScheduler(jobs, {
        onSkip: (k) => log.info(`${k.job}: skipped a tick, the previous run is still going`),
        onFinish: (f) => {
          if (!f.ok && !f.aborted) log.error(f.error, `${f.job}: failed`);
        },
      });
      signal.addEventListener('abort', () => void scheduler.stop(), { once: true });
      await scheduler.done;
    },
  };
}

/** GC of every repository, every `intervalMs` (the first one interval after taking the lease). */
export function gcTask(host: RepositoryHost, intervalMs: number, log: LeaderLog): SingletonTask {
  return {
    name: GC_LEASE,
    async run(signal) {
      for (;;) {
        await sleep(intervalMs, signal);
        if (signal.aborted) return;
        for (const rec of await host.list()) {
          if (signal.aborted) return;
          try {
            await collect(host, rec.name, log);
          } catch (err) {
            log.error(err, `gc of ${rec.name} failed`);
          }
        }
      }
    },
  };
}

async function collect(host: RepositoryHost, name: string, log: LeaderLog): Promise<void> {
  const repo = await host.get(name);
  const sandboxes = await expireSandboxes(repo);
  const runs = await expireRunBranches(repo);
  const r = await repo.gc();
  log.info(
    `gc ${name}: ${sandboxes.removed.length} expired sandbox(es), ${runs.removed.length} run branch(es), ${r.objectsDeleted} object(s), ${r.nodesDeleted} node(s), ${r.commitsDeleted} commit(s) deleted`,
  );
}
