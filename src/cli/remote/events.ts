// `sluice --remote URL events` and `metrics`: the same output as the local commands (their
// printers, fed with the server's answers). The command line is checked as locally, and its times
// are sent as the instants they name here (`--since 7d` is 7 days before this command ran).
import { type EventJson, eventFromJson } from '../../internal.js';
import { type EventsOptions, eventsQuery, printEvents } from '../handlers/events.js';
import { type MetricsCommandOptions, metricsWindow, printMetrics } from '../handlers/metrics.js';
import type { CommandContext } from '../runner.js';
import { allPages } from './pages.js';

export async function events(ctx: CommandContext, opts: EventsOptions): Promise<number> {
  const q = eventsQuery(opts);
  const session = await ctx.remote();
  const repository = await session.repository();
  // Without a limit: the whole log oldest first; with one, the newest N, printed oldest first.
  const order = q.limit === undefined ? 'asc' : 'desc';
  const filter = {
    ...(q.since ? { since: q.since.toISOString() } : {}),
    ...(q.until ? { until: q.until.toISOString() } : {}),
    ...(q.types ? { type: q.types.join(',') } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    order,
  } as const;
  const all: EventJson[] = await allPages(
    (after) =>
      session.call(
        session.client.GET('/api/v1/repositories/{repository}/events', {
          params: {
            path: { repository },
            query: {
              ...filter,
              amount: Math.min(q.limit ?? 1000, 1000),
              ...(after ? { after: Number(after) } : {}),
            },
          },
        }),
      ),
    q.limit,
  );
  const list = all.map(eventFromJson);
  printEvents(ctx, order === 'desc' ? list.reverse() : list);
  return 0;
}

export async function metrics(ctx: CommandContext, opts: MetricsCommandOptions): Promise<number> {
  const now = new Date();
  const window = metricsWindow(opts, now);
  const session = await ctx.remote();
  const repository = await session.repository();
  const m = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/metrics', {
      params: {
        path: { repository },
        query: {
          since: window.since.toISOString(),
          until: window.until.toISOString(),
          env: window.environment,
        },
      },
    }),
  );
  printMetrics(ctx, m, opts, repository, now);
  return 0;
}
