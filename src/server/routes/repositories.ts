// /repositories: list, get, create — every repository the server's metadata database holds.
import * as z from 'zod';
import type { ServerContext } from '../context.js';
import type { ApiRoutes } from './index.js';
import { ErrorDoc, PageQuery, Pagination, page, RepoParams, withErrors } from './schemas.js';

export const RepositoryJson = z.object({
  name: z.string(),
  defaultBranch: z.string(),
  storage: z.string().describe('where its objects live (a local folder or s3://bucket/prefix)'),
  createdAt: z.string(),
});

const toJson = (r: {
  name: string;
  defaultBranch: string;
  storageUri: string;
  createdAt: Date;
}) => ({
  name: r.name,
  defaultBranch: r.defaultBranch,
  storage: r.storageUri,
  createdAt: r.createdAt.toISOString(),
});

export function registerRepositoryRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories',
    {
      schema: {
        summary: 'List repositories',
        tags: ['repositories'],
        querystring: PageQuery,
        response: withErrors({
          200: z.object({ results: z.array(RepositoryJson), pagination: Pagination }),
        }),
      },
      // Listing needs a signed-in user; each repository's contents need repo:Read on it.
      config: { permission: 'authenticated' },
    },
    async (req) => {
      const { after, amount, prefix } = req.query;
      const all = (await ctx.host.list())
        .filter((r) => (prefix ? r.name.startsWith(prefix) : true))
        .filter((r) => (after ? r.name > after : true))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      return page(all.slice(0, amount + 1).map(toJson), amount, (r) => r.name);
    },
  );

  api.get(
    '/repositories/:repository',
    {
      schema: {
        summary: 'Get a repository',
        tags: ['repositories'],
        params: RepoParams,
        response: withErrors({ 200: RepositoryJson }),
      },
      config: { permission: (req) => ({ action: 'repo:Read', repository: paramsRepo(req) }) },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const rec = await repo.meta.getRepository(repo.name);
      return toJson(
        rec ?? {
          name: repo.name,
          defaultBranch: repo.defaultBranch,
          storageUri: repo.store.uri,
          createdAt: new Date(0),
        },
      );
    },
  );

  api.post(
    '/repositories',
    {
      schema: {
        summary: 'Create a repository',
        tags: ['repositories'],
        body: z.object({
          name: z.string().min(1).max(63),
          storage: z.string().max(2048).optional().describe('s3://bucket/prefix (required on S3)'),
          defaultBranch: z.string().max(200).optional(),
        }),
        response: withErrors({ 201: RepositoryJson }),
      },
      config: { permission: () => ({ action: 'repo:Create' }) },
    },
    async (req, reply) => {
      const repo = await ctx.host.create(req.body);
      const rec = await repo.meta.getRepository(repo.name);
      reply.code(201);
      return toJson(
        rec ?? {
          name: repo.name,
          defaultBranch: repo.defaultBranch,
          storageUri: repo.store.uri,
          createdAt: new Date(),
        },
      );
    },
  );
  void ErrorDoc;
}

function paramsRepo(req: { params: unknown }): string {
  return (req.params as { repository: string }).repository;
}
