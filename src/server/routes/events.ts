// /repositories/{repository}/events (the event log, paged by id, with `sluice events`' filters —
// the audit log too: every mutating request is a `request` event) and /metrics (the outcome
// metrics computed from it, like `sluice metrics`). Reads of the repository: repo:Read.
import * as z from 'zod';
import { EventJson, MetricsJson } from '../../api/schemas.js';
import { InvalidArgumentError, listEvents } from '../../index.js';
import { type EventJson as EventShape, eventJson, metricsJson } from '../../internal.js';
import {
  EVENT_TYPES,
  type EventType,
  parseSince,
  repositoryMetrics,
} from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { Pagination, page, RepoParams, withErrors } from './schemas.js';

const When = z.string().min(1).max(100);

const EventsQuery = z.object({
  since: When.optional().describe('a duration ago (7d, 24h, 30m) or an ISO time'),
  until: When.optional().describe('a duration ago or an ISO time'),
  type: z
    .string()
    .max(200)
    .optional()
    .describe(`comma-separated: ${EVENT_TYPES.join(', ')}`),
  actor: z.string().min(1).max(200).optional(),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('the last id of the page before (in `order`)'),
  amount: z.coerce.number().int().min(1).max(1000).default(100),
  order: z.enum(['asc', 'desc']).default('asc').describe('asc: oldest first (the default)'),
});

const MetricsQuery = z.object({
  since: When.default('30d').describe('start of the window: a duration ago or an ISO time'),
  until: When.optional().describe('end of the window (default now)'),
  env: z.string().min(1).max(200).default('production').describe('the environment deployed to'),
});

function eventTypes(value: string | undefined): EventType[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const known: readonly string[] = EVENT_TYPES;
  for (const n of names) {
    if (!known.includes(n)) {
      throw new InvalidArgumentError(
        `type: unknown event type ${JSON.stringify(n)} (expected ${EVENT_TYPES.join(', ')})`,
        { argument: 'type', reason: `unknown event type ${n}` },
      );
    }
  }
  return names as EventType[];
}

const readsRepository = (req: Parameters<typeof paramsOf>[0]) => ({
  action: 'repo:Read' as const,
  repository: paramsOf(req).repository,
});

export function registerEventRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/events',
    {
      schema: {
        summary: 'The event log (`sluice events`), paged by id',
        tags: ['events'],
        params: RepoParams,
        querystring: EventsQuery,
        response: withErrors({
          200: z.object({ results: z.array(EventJson), pagination: Pagination }),
        }),
      },
      config: { permission: readsRepository },
    },
    async (req) => {
      const q = req.query;
      const now = new Date();
      const since = q.since === undefined ? undefined : parseSince(q.since, now, 'since');
      const until = q.until === undefined ? undefined : parseSince(q.until, now, 'until');
      const types = eventTypes(q.type);
      const repo = await ctx.host.get(req.params.repository);
      const cursor =
        q.after === undefined
          ? {}
          : q.order === 'asc'
            ? { afterId: q.after }
            : { beforeId: q.after };
      const fetched: EventShape[] = [];
      const filter = {
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(types ? { types } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...cursor,
        limit: q.amount + 1,
        order: q.order,
      };
      for await (const e of listEvents(repo, filter)) fetched.push(eventJson(e));
      return page(fetched, q.amount, (e) => String(e.id));
    },
  );

  api.get(
    '/repositories/:repository/metrics',
    {
      schema: {
        summary:
          'Outcome metrics from the event log: deployment frequency, lead time, change-failure rate, time to restore (`sluice metrics`)',
        tags: ['events'],
        params: RepoParams,
        querystring: MetricsQuery,
        response: withErrors({ 200: MetricsJson }),
      },
      config: { permission: readsRepository },
    },
    async (req) => {
      const now = new Date();
      const since = parseSince(req.query.since, now, 'since');
      const until = req.query.until === undefined ? now : parseSince(req.query.until, now, 'until');
      if (until <= since) {
        throw new InvalidArgumentError(
          `until (${until.toISOString()}) must be after since (${since.toISOString()})`,
          { argument: 'until', reason: 'empty window' },
        );
      }
      const repo = await ctx.host.get(req.params.repository);
      return metricsJson(
        await repositoryMetrics(repo, { since, until, environment: req.query.env }),
      );
    },
  );
}
