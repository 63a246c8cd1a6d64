// /repositories/{repository}/loads: one write–audit–publish run of an ingestor declared in the
// server's project (sluice.yml, ingestors/*.yml) — `sluice load` as a run, its phase lines the
// run's log. The ingestor's checks and gates decide; the request needs load:Run.
import * as z from 'zod';
import { RunJson } from '../../api/schemas.js';
import { loadWorkflowConfig, runLoad } from '../../index.js';
import { loadDocument, phaseLine } from '../../internal.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { accepted } from './runs.js';
import { RepoParams, withErrors } from './schemas.js';

const LoadBody = z.object({
  ingestor: z.string().min(1).max(200),
  into: z.string().min(1).max(1000).optional().describe("default: the ingestor's `into`"),
  idempotencyKey: z.string().min(1).max(200).optional(),
});

export function registerLoadRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/loads',
    {
      schema: {
        summary: 'Run an ingestor of the project (a run; its result is `sluice load --json`)',
        tags: ['loads'],
        params: RepoParams,
        body: LoadBody,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: (req) => ({ action: 'load:Run', repository: paramsOf(req).repository }),
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const dir = ctx.projectDirOf(repo.name);
      const config = loadWorkflowConfig(dir);
      const { ingestor, into, idempotencyKey } = req.body;
      return accepted(ctx, req, reply, repo, 'load', req.body, async (log) => {
        const run = await runLoad(repo, dir, config, ingestor, {
          ...(into ? { into } : {}),
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          onPhase: (phase, detail) => log(phaseLine(phase, detail)),
        });
        return { result: loadDocument(run), exitCode: run.status === 'failure' ? 2 : 0 };
      });
    },
  );
}
