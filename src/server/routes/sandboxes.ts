// /repositories/{repository}/sandboxes: list, create `{name, from?, ttl?, private?}`, delete — a
// developer's zero-copy branch sandbox/NAME (`sluice sandbox`). The owner is the request's user
// (the handler runs as them, and createSandbox's default owner is the acting user); a private
// sandbox is listed only to those who may read it (its owner and admins: the one decision).
import * as z from 'zod';
import { SandboxDeletedJson, SandboxJson, SandboxStatusJson } from '../../api/schemas.js';
import { authorize } from '../../auth/index.js';
import { sandboxJson, sandboxStatusJson } from '../../internal.js';
import {
  type CreateSandboxOptions,
  createSandbox,
  deleteSandbox,
  listSandboxes,
  parseDuration,
  sandboxBranch,
} from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { factsOf, type PermissionAsk } from '../permissions.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { PageQuery, Pagination, page, RepoParams, withErrors } from './schemas.js';

const SandboxParams = RepoParams.extend({ name: z.string().min(1).max(100) });

const CreateBody = z.object({
  name: z.string().min(1).max(100).describe('letters, digits, ".", "_", "-"'),
  from: z.string().min(1).max(1000).optional().describe('any ref (default: the default branch)'),
  ttl: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .describe('removed at the first gc after this long (7d, 24h, 30m)'),
  private: z.boolean().optional().describe('readable only by its owner and admins'),
});

export function registerSandboxRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/sandboxes',
    {
      schema: {
        summary: 'List sandboxes with their age, expiry and state (`sluice sandbox list`)',
        tags: ['sandboxes'],
        params: RepoParams,
        querystring: PageQuery,
        response: withErrors({
          200: z.object({ results: z.array(SandboxStatusJson), pagination: Pagination }),
        }),
      },
      config: {
        permission: (req) => ({ action: 'repo:Read', repository: paramsOf(req).repository }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { after, amount, prefix } = req.query;
      const fetched = [];
      for (const s of await listSandboxes(repo)) {
        if (prefix !== undefined && !s.name.startsWith(prefix)) continue;
        if (after !== undefined && s.name <= after) continue;
        const facts = await factsOf(ctx.host, {
          action: 'repo:Read',
          repository: repo.name,
          branch: s.branch,
        });
        if (req.subject && !authorize(req.subject, 'repo:Read', facts).allowed) continue;
        fetched.push(sandboxStatusJson(s));
        if (fetched.length > amount) break;
      }
      return page(fetched, amount, (s) => s.name);
    },
  );

  api.post(
    '/repositories/:repository/sandboxes',
    {
      schema: {
        summary: 'Create a sandbox: the branch sandbox/NAME, in O(1), from a ref',
        tags: ['sandboxes'],
        params: RepoParams,
        body: CreateBody,
        response: withErrors({ 201: z.object({ sandbox: SandboxJson }) }),
      },
      config: {
        permission: (req): PermissionAsk[] => {
          const repository = paramsOf(req).repository;
          const body = req.body as z.infer<typeof CreateBody>;
          return [
            { action: 'sandbox:Create', repository, branch: sandboxBranch(body.name) },
            body.from === undefined
              ? { action: 'repo:Read', repository }
              : { action: 'repo:Read', repository, ref: body.from },
          ];
        },
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const { name, from, ttl } = req.body;
      const ttlMs = ttl === undefined ? undefined : parseDuration(ttl, 'ttl');
      const opts: CreateSandboxOptions = {
        ...(from !== undefined ? { from } : {}),
        ...(ttlMs !== undefined ? { ttlMs } : {}),
        ...(req.body.private !== undefined ? { private: req.body.private } : {}),
      };
      const s = await createSandbox(repo, name, opts);
      reply.code(201);
      return { sandbox: sandboxJson(s) };
    },
  );

  api.delete(
    '/repositories/:repository/sandboxes/:name',
    {
      schema: {
        summary: 'Delete a sandbox: its branch (with uncommitted changes) and its record',
        tags: ['sandboxes'],
        params: SandboxParams,
        response: withErrors({ 200: z.object({ deleted: SandboxDeletedJson }) }),
      },
      config: {
        permission: (req) => ({
          action: 'branch:Delete',
          repository: paramsOf(req).repository,
          branch: sandboxBranch(paramsOf(req).name ?? ''),
        }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { sandbox: s, branchDeleted } = await deleteSandbox(repo, req.params.name);
      return { deleted: { sandbox: s.name, branch: s.branch, branchDeleted } };
    },
  );
}
