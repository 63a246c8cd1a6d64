// Tags (immutable names for commits: list, create `{name, ref}`, get, delete — tag:Write) and
// aliases (symbolic refs naming a branch: list, set `{name, branch}` — create or flip in one
// compare-and-swap — and delete — alias:Write). Creating a tag or pointing an alias also reads
// what it names (repo:Read on that ref).
import * as z from 'zod';
import { AliasJson, TagJson } from '../../api/schemas.js';
import { TagNotFoundError } from '../../index.js';
import { aliasJson, tagJson } from '../../internal.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { PageQuery, Pagination, page, RepoParams, withErrors } from './schemas.js';

const Name = z.string().min(1).max(1000);
const TagParams = RepoParams.extend({ tag: Name });
const AliasParams = RepoParams.extend({ alias: Name });

const repoAsk = (action: 'repo:Read' | 'tag:Write' | 'alias:Write') => (req: unknown) => ({
  action,
  repository: paramsOf(req as never).repository,
});

export function registerTagAliasRoutes(api: ApiRoutes, ctx: ServerContext): void {
  registerTags(api, ctx);
  registerAliases(api, ctx);
}

function registerTags(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/tags',
    {
      schema: {
        summary: 'List tags',
        tags: ['tags'],
        params: RepoParams,
        querystring: PageQuery,
        response: withErrors({
          200: z.object({ results: z.array(TagJson), pagination: Pagination }),
        }),
      },
      config: { permission: repoAsk('repo:Read') },
    },
    async (req) => {
      const { prefix, after, amount } = req.query;
      const repo = await ctx.host.get(req.params.repository);
      const fetched = [];
      for await (const t of repo.listTags(prefix === undefined ? {} : { prefix })) {
        if (after !== undefined && t.name <= after) continue;
        fetched.push(tagJson(t));
        if (fetched.length > amount) break;
      }
      return page(fetched, amount, (t) => t.name);
    },
  );

  api.post(
    '/repositories/:repository/tags',
    {
      schema: {
        summary: 'Create a tag at a ref’s commit',
        tags: ['tags'],
        params: RepoParams,
        body: z.object({ name: Name, ref: Name }),
        response: withErrors({ 201: TagJson }),
      },
      config: {
        permission: (req) => [
          { action: 'tag:Write', repository: paramsOf(req).repository },
          {
            action: 'repo:Read',
            repository: paramsOf(req).repository,
            ref: (req.body as { ref: string }).ref,
          },
        ],
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const rec = await repo.createTag(req.body.name, req.body.ref);
      reply.code(201);
      return tagJson(rec);
    },
  );

  api.get(
    '/repositories/:repository/tags/:tag',
    {
      schema: {
        summary: 'Get a tag',
        tags: ['tags'],
        params: TagParams,
        response: withErrors({ 200: TagJson }),
      },
      config: { permission: repoAsk('repo:Read') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      for await (const t of repo.listTags({ prefix: req.params.tag })) {
        if (t.name === req.params.tag) return tagJson(t);
      }
      throw new TagNotFoundError(`tag ${req.params.tag} not found`, { tag: req.params.tag });
    },
  );

  api.delete(
    '/repositories/:repository/tags/:tag',
    {
      schema: {
        summary: 'Delete a tag',
        tags: ['tags'],
        params: TagParams,
        response: withErrors({ 204: z.null() }),
      },
      config: { permission: repoAsk('tag:Write') },
    },
    async (req, reply) => {
      await (await ctx.host.get(req.params.repository)).deleteTag(req.params.tag);
      return reply.code(204).send(null);
    },
  );
}

function registerAliases(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/aliases',
    {
      schema: {
        summary: 'List aliases and the branches they name',
        tags: ['aliases'],
        params: RepoParams,
        response: withErrors({ 200: z.object({ results: z.array(AliasJson) }) }),
      },
      config: { permission: repoAsk('repo:Read') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const results = [];
      for await (const a of repo.listAliases()) results.push(aliasJson(a));
      return { results };
    },
  );

  api.post(
    '/repositories/:repository/aliases',
    {
      schema: {
        summary: 'Point an alias at a branch (create it, or flip it in one compare-and-swap)',
        tags: ['aliases'],
        params: RepoParams,
        body: z.object({ name: Name, branch: Name }),
        response: withErrors({
          200: z.object({ name: z.string(), target: z.string(), previous: z.string().nullable() }),
        }),
      },
      config: {
        permission: (req) => [
          { action: 'alias:Write', repository: paramsOf(req).repository },
          {
            action: 'repo:Read',
            repository: paramsOf(req).repository,
            ref: (req.body as { branch: string }).branch,
          },
        ],
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { alias, previous } = await repo.setAlias(req.body.name, req.body.branch);
      return { name: alias.name, target: alias.target, previous: previous ?? null };
    },
  );

  api.delete(
    '/repositories/:repository/aliases/:alias',
    {
      schema: {
        summary: 'Delete an alias (never the branch it names)',
        tags: ['aliases'],
        params: AliasParams,
        response: withErrors({ 204: z.null() }),
      },
      config: { permission: repoAsk('alias:Write') },
    },
    async (req, reply) => {
      await (await ctx.host.get(req.params.repository)).deleteAlias(req.params.alias);
      return reply.code(204).send(null);
    },
  );
}
