// /repositories/{repository}/environments: their status (`sluice env status`), and promote,
// deploy and rollback as runs (their phase lines the run's log, their results the commands'
// --json documents). The environments are those of the server's project (sluice.yml).
import * as z from 'zod';
import { DocumentJson, RunJson } from '../../api/schemas.js';
import {
  deploy,
  envStatus,
  InvalidArgumentError,
  loadWorkflowConfig,
  promote,
  rollback,
} from '../../index.js';
import { phaseLine, rollbackDocument, workflowRunJson } from '../../internal.js';
import { parseSince } from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { accepted } from './runs.js';
import { RepoParams, withErrors } from './schemas.js';

const EnvParams = RepoParams.extend({ env: z.string().min(1).max(100) });

const RollbackBody = z.object({
  to: z.string().min(1).max(200).optional().describe('the deploy id to restore'),
  detectedAt: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('when the problem was detected (a time, or an age like 15m)'),
});

/** The request's detection time, as `sluice rollback --detected-at` reads it. */
function detectedAtOf(given: string | undefined): Date | undefined {
  if (given === undefined) return undefined;
  const at = parseSince(given, new Date(), 'detectedAt');
  if (at.getTime() > Date.now())
    throw new InvalidArgumentError(`detectedAt: ${given} is in the future`, {
      argument: 'detected-at',
      reason: 'in the future',
    });
  return at;
}

export function registerEnvironmentRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/environments',
    {
      schema: {
        summary: 'The environments: staging and production, their commits and last runs',
        tags: ['environments'],
        params: RepoParams,
        response: withErrors({ 200: DocumentJson }),
      },
      config: {
        permission: (req) => ({ action: 'repo:Read', repository: paramsOf(req).repository }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const config = loadWorkflowConfig(ctx.projectDirOf(repo.name));
      return (await envStatus(repo, config)) as unknown as Record<string, unknown>;
    },
  );

  api.post(
    '/repositories/:repository/environments/:env/promote',
    {
      schema: {
        summary: 'Promote to an environment (a run; its result is `sluice promote --json`)',
        tags: ['environments'],
        params: EnvParams,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: (req) => ({ action: 'env:Promote', repository: paramsOf(req).repository }),
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const dir = ctx.projectDirOf(repo.name);
      const config = loadWorkflowConfig(dir);
      const { env } = req.params;
      return accepted(ctx, req, reply, repo, 'promote', { environment: env }, async (log) => {
        const run = await promote(repo, dir, config, env, {
          onPhase: (phase, detail) => log(phaseLine(phase, detail)),
        });
        return { result: workflowRunJson(run), exitCode: run.status === 'failure' ? 2 : 0 };
      });
    },
  );

  api.post(
    '/repositories/:repository/environments/:env/deploy',
    {
      schema: {
        summary:
          'Deploy to an environment, blue/green (a run; its result is `sluice deploy --json`)',
        tags: ['environments'],
        params: EnvParams,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: (req) => ({ action: 'env:Deploy', repository: paramsOf(req).repository }),
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const dir = ctx.projectDirOf(repo.name);
      const config = loadWorkflowConfig(dir);
      const { env } = req.params;
      return accepted(ctx, req, reply, repo, 'deploy', { environment: env }, async (log) => {
        const run = await deploy(repo, dir, config, env, {
          onPhase: (phase, detail) => log(phaseLine(phase, detail)),
        });
        return { result: workflowRunJson(run), exitCode: run.status === 'failure' ? 2 : 0 };
      });
    },
  );

  api.post(
    '/repositories/:repository/environments/:env/rollback',
    {
      schema: {
        summary: 'Roll an environment back to an earlier deploy (a run; `sluice rollback --json`)',
        tags: ['environments'],
        params: EnvParams,
        body: RollbackBody,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: (req) => ({ action: 'env:Rollback', repository: paramsOf(req).repository }),
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const config = loadWorkflowConfig(ctx.projectDirOf(repo.name));
      const { env } = req.params;
      const detectedAt = detectedAtOf(req.body.detectedAt);
      const request = { environment: env, ...req.body };
      return accepted(ctx, req, reply, repo, 'rollback', request, async () => {
        const run = await rollback(repo, config, env, {
          ...(req.body.to ? { to: req.body.to } : {}),
          ...(detectedAt ? { detectedAt } : {}),
        });
        return { result: rollbackDocument(run), exitCode: 0 };
      });
    },
  );
}
