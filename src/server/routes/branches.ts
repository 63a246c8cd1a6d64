// /repositories/{repository}/branches: list, create `{name, source}`, get, delete, reset (to a
// commit, or discard the staged changes). Writes go through the repository's write policy (its
// protection rules) after the request's permission.
import * as z from 'zod';
import { BranchJson as BranchSchema } from '../../api/schemas.js';
import { branchJson } from '../../internal.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { BranchParams, PageQuery, Pagination, page, RepoParams, withErrors } from './schemas.js';

export function registerBranchRoutes(api: ApiRoutes, ctx: ServerContext): void {
  listBranchesRoute(api, ctx);
  createBranchRoute(api, ctx);
  getBranchRoute(api, ctx);
  deleteBranchRoute(api, ctx);
  resetBranchRoute(api, ctx);
}

function listBranchesRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/branches',
    {
      schema: {
        summary: 'List branches',
        tags: ['branches'],
        params: RepoParams,
        querystring: PageQuery,
        response: withErrors({
          200: z.object({ results: z.array(BranchSchema), pagination: Pagination }),
        }),
      },
      config: {
        permission: (req) => ({ action: 'repo:Read', repository: paramsOf(req).repository }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { after, amount, prefix } = req.query;
      const branches = repo.listBranches(prefix === undefined ? {} : { prefix });
      const fetched = [];
      for await (const b of branches) {
        if (after !== undefined && b.name <= after) continue;
        fetched.push(branchJson(b));
        if (fetched.length > amount) break;
      }
      return page(fetched, amount, (b) => b.name);
    },
  );
}

function createBranchRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/branches',
    {
      schema: {
        summary: 'Create a branch',
        tags: ['branches'],
        params: RepoParams,
        body: z.object({
          name: z.string().min(1).max(1000),
          source: z
            .string()
            .min(1)
            .max(1000)
            .optional()
            .describe('ref to branch from (default: the default branch)'),
        }),
        response: withErrors({ 201: BranchSchema }),
      },
      config: {
        permission: (req) => {
          const body = req.body as { name: string; source?: string };
          return [
            { action: 'branch:Create', repository: paramsOf(req).repository, branch: body.name },
            ...(body.source
              ? [
                  {
                    action: 'repo:Read' as const,
                    repository: paramsOf(req).repository,
                    ref: body.source,
                  },
                ]
              : []),
          ];
        },
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const info = await repo.createBranch(
        req.body.name,
        req.body.source ? { from: req.body.source } : {},
      );
      reply.code(201);
      return branchJson(info);
    },
  );
}

function getBranchRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/branches/:branch',
    {
      schema: {
        summary: 'Get a branch',
        tags: ['branches'],
        params: BranchParams,
        response: withErrors({ 200: BranchSchema }),
      },
      config: {
        permission: (req) => ({
          action: 'repo:Read',
          repository: paramsOf(req).repository,
          ref: paramsOf(req).branch,
        }),
      },
    },
    async (req) =>
      branchJson(await (await ctx.host.get(req.params.repository)).getBranch(req.params.branch)),
  );
}

function deleteBranchRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.delete(
    '/repositories/:repository/branches/:branch',
    {
      schema: {
        summary: 'Delete a branch (and its uncommitted changes)',
        tags: ['branches'],
        params: BranchParams,
        response: withErrors({ 204: z.null() }),
      },
      config: {
        permission: (req) => ({
          action: 'branch:Delete',
          repository: paramsOf(req).repository,
          branch: paramsOf(req).branch,
        }),
      },
    },
    async (req, reply) => {
      await (await ctx.host.get(req.params.repository)).deleteBranch(req.params.branch);
      return reply.code(204).send(null);
    },
  );
}

function resetBranchRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.put(
    '/repositories/:repository/branches/:branch/reset',
    {
      schema: {
        summary:
          'Reset a branch: to a commit (`to`), or discard its staged changes (optionally under `path`)',
        tags: ['branches'],
        params: BranchParams,
        body: z.object({
          to: z.string().min(1).max(1000).optional(),
          path: z.string().max(4096).optional(),
        }),
        response: withErrors({
          200: z.object({ branch: BranchSchema, discarded: z.number().int().optional() }),
        }),
      },
      config: {
        permission: (req) => {
          const body = req.body as { to?: string };
          return [
            {
              action: 'branch:Write',
              repository: paramsOf(req).repository,
              branch: paramsOf(req).branch,
            },
            ...(body.to
              ? [
                  {
                    action: 'repo:Read' as const,
                    repository: paramsOf(req).repository,
                    ref: body.to,
                  },
                ]
              : []),
          ];
        },
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      if (req.body.to !== undefined) {
        return { branch: branchJson(await repo.resetBranch(req.params.branch, req.body.to)) };
      }
      const discarded = await repo.resetStaging(
        req.params.branch,
        req.body.path ? { path: req.body.path } : {},
      );
      return { branch: branchJson(await repo.getBranch(req.params.branch)), discarded };
    },
  );
}
