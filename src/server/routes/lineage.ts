// Lineage (`sluice lineage`: sources and seeds → models → exposures, column by column) and impact
// (`sluice impact`: what a branch changes against a base). Both compile the pipeline project, and
// the project is files — sluice.yml and models/ — not repository data: the server reads the
// project in the directory it was started in, which is its default repository's. Another
// repository of the same database has no project on the server (ProjectError, as the CLI answers
// in a directory without one).
import { resolve } from 'node:path';
import * as z from 'zod';
import { ImpactJson, LineageJson } from '../../api/schemas.js';
import { listTables, ProjectError, withDuck } from '../../index.js';
import { lineageJson } from '../../internal.js';
import {
  type CompiledProject,
  compileProject,
  impactOf,
  type Lineage,
  loadProject,
  projectLineage,
  selectNodes,
} from '../../pipeline/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf, queryOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { RefParams, RepoParams, withErrors } from './schemas.js';

/** The compiled project of a served repository: the server's own directory's, for its default. */
function projectOf(ctx: ServerContext, repository: string): CompiledProject {
  if (repository !== ctx.host.defaultRepository) {
    throw new ProjectError(
      `the server holds the pipeline project of its default repository (${ctx.host.defaultRepository}) only; run lineage and impact for ${repository} where its project is`,
      { file: 'sluice.yml', reason: 'no project for this repository on the server' },
    );
  }
  return compileProject(loadProject(resolve(ctx.host.root)));
}

/** Only what `node` depends on and what depends on it. */
function around(compiled: CompiledProject, lineage: Lineage, node: string): Lineage {
  const only = new Set(
    selectNodes(compiled.graph, { select: [`+${node}+`] }).map((n) => n.uniqueId),
  );
  return {
    nodes: lineage.nodes.filter((n) => only.has(n.id)),
    edges: lineage.edges.filter(([a, b]) => only.has(a) && only.has(b)),
    columns: Object.fromEntries(Object.entries(lineage.columns).filter(([id]) => only.has(id))),
  };
}

export function registerLineageRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/lineage',
    {
      schema: {
        summary:
          'The pipeline lineage at a ref: sources → models → exposures, column by column (`sluice lineage`)',
        tags: ['lineage'],
        params: RefParams,
        querystring: z.object({
          node: z
            .string()
            .min(1)
            .max(1000)
            .optional()
            .describe('only what this node depends on and what depends on it'),
        }),
        response: withErrors({ 200: LineageJson }),
      },
      config: {
        permission: (req) => ({
          action: 'repo:Read',
          repository: paramsOf(req).repository,
          ref: paramsOf(req).ref,
        }),
      },
    },
    async (req) => {
      const compiled = projectOf(ctx, req.params.repository);
      const repo = await ctx.host.get(req.params.repository);
      const tables = await listTables(repo, req.params.ref);
      const full = await withDuck({}, (duck) => projectLineage(compiled, duck, tables));
      const node = req.query.node;
      return lineageJson(req.params.ref, node ? around(compiled, full, node) : full);
    },
  );

  api.get(
    '/repositories/:repository/impact',
    {
      schema: {
        summary:
          'What a branch changes against a base: models, downstream, exposures, breaking columns (`sluice impact`)',
        tags: ['lineage'],
        params: RepoParams,
        querystring: z.object({
          base: z.string().min(1).max(1000).describe('the ref to compare with (e.g. main)'),
          branch: z
            .string()
            .min(1)
            .max(1000)
            .optional()
            .describe('the branch with the changes (default: the default branch)'),
        }),
        response: withErrors({ 200: ImpactJson }),
      },
      config: {
        permission: (req) => {
          const repository = paramsOf(req).repository;
          const { base, branch } = queryOf(req);
          return [
            { action: 'repo:Read', repository, ref: base as string },
            branch === undefined
              ? { action: 'repo:Read', repository }
              : { action: 'repo:Read', repository, ref: branch },
          ];
        },
      },
    },
    async (req) => {
      const compiled = projectOf(ctx, req.params.repository);
      const repo = await ctx.host.get(req.params.repository);
      const branch = req.query.branch ?? repo.defaultBranch;
      return withDuck({}, (duck) => impactOf(repo, compiled, duck, req.query.base, branch));
    },
  );
}
