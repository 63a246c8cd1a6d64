// /repositories/{repository}/runs: the long operations of the server — a run's status and outcome,
// its log (paged, or as Server-Sent Events while it runs), the runs of a kind. Everything is read
// from the metadata store, so any replica answers for a run another started. `accepted` is how a
// route that starts an operation answers: 202 with the run.
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { RunJson, RunLogLineJson } from '../../api/schemas.js';
import type { Repository } from '../../index.js';
import type { RunJson as RunShape } from '../../internal.js';
import {
  isFinished,
  RUN_STATUSES,
  runJson,
  runLogLineJson,
  type ServerRunRecord,
  type ServerRunStatus,
} from '../../internal.js';
import type { ServerContext } from '../context.js';
import { API_PREFIX, paramsOf } from '../route-config.js';
import type { RunLog, RunOutcome } from '../runs.js';
import type { ApiRoutes } from './index.js';
import { Pagination, page, RepoParams, withErrors } from './schemas.js';

const RunParams = RepoParams.extend({ runId: z.string().min(1).max(100) });

/** Lines per page of a log (and per read of an event stream). */
const LOG_PAGE = 1000;

export function runPath(repository: string, id: string): string {
  return `${API_PREFIX}/repositories/${encodeURIComponent(repository)}/runs/${encodeURIComponent(id)}`;
}

export function runJsonOf(repository: string, rec: ServerRunRecord): RunShape {
  return runJson(rec, runPath(repository, rec.id));
}

/**
 * Starts `op` as a run of `kind` for the request's user and answers 202 with the run, a Location
 * header naming it.
 */
export async function accepted(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  repo: Repository,
  kind: string,
  request: unknown,
  op: (log: RunLog) => Promise<RunOutcome>,
): Promise<RunShape> {
  const rec = await ctx.runs.start(repo, kind, req.user ?? 'anonymous', request, op);
  const json = runJsonOf(repo.name, rec);
  reply.code(202).header('location', json.links.self);
  return json;
}

const readRepo = (req: FastifyRequest) => ({
  action: 'repo:Read' as const,
  repository: paramsOf(req).repository,
});

/** One Server-Sent Event. */
function sse(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerRunRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/runs',
    {
      schema: {
        summary: 'List the long operations started on a repository, newest first',
        tags: ['runs'],
        params: RepoParams,
        querystring: z.object({
          kind: z.string().max(100).optional(),
          after: z.string().max(100).optional().describe('return runs older than this run id'),
          amount: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: withErrors({
          200: z.object({ results: z.array(RunJson), pagination: Pagination }),
        }),
      },
      config: { permission: readRepo },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { kind, after, amount } = req.query;
      const recs = await repo.meta.listServerRuns(repo.name, {
        ...(kind !== undefined ? { kind } : {}),
        ...(after !== undefined ? { before: after } : {}),
        limit: amount + 1,
      });
      const now = new Date();
      const runs = recs.map((r) =>
        runJsonOf(repo.name, { ...r, status: ctx.runs.statusOf(r, now) }),
      );
      return page(runs, amount, (r) => r.runId);
    },
  );

  api.get(
    '/repositories/:repository/runs/:runId',
    {
      schema: {
        summary: 'A run: its status, and its result or error once finished',
        tags: ['runs'],
        params: RunParams,
        response: withErrors({ 200: RunJson }),
      },
      config: { permission: readRepo },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      return runJsonOf(repo.name, await ctx.runs.get(repo, req.params.runId));
    },
  );

  api.get(
    '/repositories/:repository/runs/:runId/log',
    {
      schema: {
        summary: "A run's log lines after a line number (readable while it runs)",
        tags: ['runs'],
        params: RunParams,
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0).describe('the last line already read'),
          amount: z.coerce.number().int().min(1).max(LOG_PAGE).default(LOG_PAGE),
        }),
        response: withErrors({
          200: z.object({
            status: z.enum(RUN_STATUSES).describe("the run's status before these lines were read"),
            results: z.array(RunLogLineJson),
            pagination: Pagination,
          }),
        }),
      },
      config: { permission: readRepo },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      // The status first: a finished run has written every line before its status.
      const run = await ctx.runs.get(repo, req.params.runId);
      const { after, amount } = req.query;
      const lines = await repo.meta.listServerRunLog(repo.name, run.id, {
        after,
        limit: amount + 1,
      });
      return {
        status: run.status,
        ...page(lines.map(runLogLineJson), amount, (l) => String(l.seq)),
      };
    },
  );

  api.get(
    '/repositories/:repository/runs/:runId/events',
    {
      schema: {
        summary: "A run's log as Server-Sent Events: `log` events as lines come, then `status`",
        description:
          'Each `log` event carries a line `{seq, time, line}` with `id: seq`; the last event is `status` with the finished run. Resume with `Last-Event-ID` or `?after=`.',
        tags: ['runs'],
        params: RunParams,
        querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
        response: withErrors({ 200: z.string().describe('text/event-stream') }),
      },
      config: { permission: readRepo },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const first = await ctx.runs.get(repo, req.params.runId); // 404 before the stream opens
      const lastId = Number(req.headers['last-event-id']);
      let after = req.query.after ?? (Number.isInteger(lastId) && lastId > 0 ? lastId : 0);
      reply.hijack();
      const raw = reply.raw;
      let closed = false;
      raw.on('close', () => {
        closed = true;
      });
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      try {
        let run = first;
        for (;;) {
          // Lines after the status read: once the status is final, every line is written.
          const lines = await repo.meta.listServerRunLog(repo.name, run.id, {
            after,
            limit: LOG_PAGE,
          });
          for (const l of lines) {
            raw.write(sse('log', runLogLineJson(l), l.seq));
            after = l.seq;
          }
          if (closed) break;
          if (lines.length === LOG_PAGE) continue;
          if (isFinished(run.status as ServerRunStatus)) {
            raw.write(sse('status', runJsonOf(repo.name, run)));
            break;
          }
          await sleep(ctx.runs.pollMs);
          run = await ctx.runs.get(repo, run.id);
        }
      } catch (err) {
        req.log.error({ err }, 'run event stream failed');
        raw.write(sse('error', { message: 'the event stream failed; read the run again' }));
      }
      raw.end();
    },
  );
}
