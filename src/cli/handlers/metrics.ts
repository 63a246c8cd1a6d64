// `sluice metrics [--since 30d|ISO] [--until …] [--env production] [--html FILE]`: the outcome
// (DORA) metrics computed from the event log — deployment frequency, lead time for changes,
// change-failure rate, time to restore — as a table, one JSON document, or an HTML page with a
// deploys-per-day chart. Definitions: src/workflow/metrics.ts. The printing is shared with the
// remote command (remote/metrics.ts).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '../../index.js';
import {
  metricsTable,
  type OutcomeMetrics,
  parseSince,
  renderMetricsHtml,
  repositoryMetrics,
} from '../../workflow/index.js';
import { nonEmpty } from '../options.js';
import type { CommandContext } from '../runner.js';

export interface MetricsCommandOptions {
  since?: string;
  until?: string;
  env?: string;
  html?: string;
}

/** The window and environment of the command line, checked before anything is opened. */
export function metricsWindow(opts: MetricsCommandOptions, now: Date) {
  const since = parseSince(opts.since ?? '30d', now, '--since');
  const until = opts.until === undefined ? now : parseSince(opts.until, now, '--until');
  if (until <= since) {
    throw new InvalidArgumentError(
      `--until (${until.toISOString()}) must be after --since (${since.toISOString()})`,
      { argument: '--until', reason: 'empty window' },
    );
  }
  return { since, until, environment: nonEmpty(opts.env ?? 'production', '--env') };
}

export async function run(ctx: CommandContext, opts: MetricsCommandOptions): Promise<number> {
  const now = new Date();
  const window = metricsWindow(opts, now);
  const repo = await ctx.repo();
  printMetrics(ctx, await repositoryMetrics(repo, window), opts, repo.name, now);
  return 0;
}

/** What both the local and the remote command print and write (remote/metrics.ts). */
export function printMetrics(
  ctx: CommandContext,
  m: OutcomeMetrics,
  opts: MetricsCommandOptions,
  repoName: string,
  now: Date,
): void {
  const html = opts.html === undefined ? undefined : resolve(opts.html);
  if (html !== undefined) {
    try {
      writeFileSync(html, renderMetricsHtml(m, { repo: repoName, generatedAt: now }));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== 'string') throw err;
      throw new InvalidArgumentError(`cannot write ${html}: ${(err as Error).message}`, {
        argument: '--html',
        reason: code,
      });
    }
  }
  ctx.out.result({ ...m, ...(html !== undefined && { html }) }, () => {
    ctx.out.line(
      `Outcome metrics for ${m.environment}, ${m.since} → ${m.until} (${Number(m.days.toFixed(2))} days)`,
    );
    ctx.out.line();
    ctx.out.table(metricsTable(m));
    if (m.deploymentFrequency.deploys === 0 && m.changeFailureRate.deploys === 0)
      ctx.out.note(`no deploys to ${m.environment} in this window (sluice deploy records them)`);
    if (html !== undefined) ctx.out.note(`wrote ${html}`);
  });
}
