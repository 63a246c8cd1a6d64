// Merge, revert, cherry-pick. A merge goes through the destination's gate exactly as `sluice
// merge` does (workflow's gatedMerge: checks first on a protected branch, the merge event
// recorded): a refusing gate is 412 GateFailedError with its report, conflicts 409
// MergeConflictError with the paths. It asks branch:Merge on the destination (with the source)
// and repo:Read on the source.
import * as z from 'zod';
import { CommitJson, MergeOutcomeJson } from '../../api/schemas.js';
import { GateFailedError, MergeConflictError } from '../../index.js';
import { commitJson, mergeJson } from '../../internal.js';
import { gatedMerge } from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { BranchParams, RepoParams, withErrors } from './schemas.js';

const RefName = z.string().min(1).max(1000);

export function registerMergeRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/refs/:source/merge/:destination',
    {
      schema: {
        summary: 'Merge a ref into a branch (through its gate)',
        description:
          'Three-way; fast-forwards when it can. On a protected branch the gate runs the checks of the changed tables first; `force` merges past failing checks where the rules allow it.',
        tags: ['merge'],
        params: RepoParams.extend({ source: RefName, destination: RefName }),
        body: z
          .object({
            strategy: z.enum(['fail', 'source-wins', 'dest-wins']).optional(),
            message: z.string().max(100_000).optional(),
            metadata: z.record(z.string().max(1000), z.string().max(10_000)).optional(),
            noFastForward: z.boolean().optional(),
            force: z.boolean().optional(),
          })
          .default({}),
        response: withErrors({ 200: MergeOutcomeJson }),
      },
      config: {
        permission: (req) => {
          const { repository, source, destination } = paramsOf(req);
          return [
            { action: 'branch:Merge', repository, branch: destination, source },
            { action: 'repo:Read', repository, ref: source },
          ];
        },
      },
    },
    async (req) => {
      const { source, destination } = req.params;
      const body = req.body ?? {};
      const repo = await ctx.host.get(req.params.repository);
      let merged: Awaited<ReturnType<typeof gatedMerge>>;
      try {
        merged = await gatedMerge(repo, source, destination, {
          ...(body.strategy ? { strategy: body.strategy } : {}),
          ...(body.message !== undefined ? { message: body.message } : {}),
          ...(body.metadata ? { metadata: body.metadata } : {}),
          noFastForward: body.noFastForward === true,
          force: body.force === true,
          onEventError: (err) => req.log.warn({ err }, 'the merge event was not recorded'),
        });
      } catch (err) {
        const outcome =
          err instanceof GateFailedError
            ? 'refused'
            : err instanceof MergeConflictError
              ? 'conflict'
              : 'error';
        ctx.metrics.merges.inc({ outcome });
        if (err instanceof GateFailedError) ctx.metrics.gateRefusals.inc();
        throw err;
      }
      const { result, gate, event } = merged;
      ctx.metrics.merges.inc({ outcome: 'success' });
      if (result.commit && !result.upToDate) ctx.metrics.commits.inc();
      return { merge: mergeJson(source, destination, result, gate), event: event?.id ?? null };
    },
  );

  registerReplay(api, ctx, 'revert', 'Commit the inverse of a commit’s changes on a branch');
  registerReplay(api, ctx, 'cherry-pick', 'Commit a commit’s changes again on a branch');
}

function registerReplay(
  api: ApiRoutes,
  ctx: ServerContext,
  kind: 'revert' | 'cherry-pick',
  summary: string,
): void {
  api.post(
    `/repositories/:repository/branches/:branch/${kind}`,
    {
      schema: {
        summary,
        tags: ['commits'],
        params: BranchParams,
        body: z.object({
          ref: RefName.describe('the commit to replay'),
          parent: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe('for a merge commit: the parent (1-based) its changes are taken against'),
        }),
        response: withErrors({ 201: CommitJson }),
      },
      config: {
        permission: (req) => {
          const { repository, branch } = paramsOf(req);
          return [
            { action: 'branch:Write', repository, branch },
            { action: 'repo:Read', repository, ref: (req.body as { ref: string }).ref },
          ];
        },
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const opts = req.body.parent === undefined ? {} : { parent: req.body.parent };
      const c =
        kind === 'revert'
          ? await repo.revert(req.params.branch, req.body.ref, opts)
          : await repo.cherryPick(req.params.branch, req.body.ref, opts);
      ctx.metrics.commits.inc();
      reply.code(201);
      return commitJson(c);
    },
  );
}
