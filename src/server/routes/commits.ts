// Commits and diffs: commit a branch's staged changes (all, or those under `paths`, optionally
// under an idempotency key), the log of a ref (with a path filter), one commit and its changes
// (`sluice show`), a branch's uncommitted changes (`sluice status`/`diff`) and the changes between
// two refs. Lists are pages (`?after=&amount=`).
import * as z from 'zod';
import { ChangeCounts, ChangeJson, CommitJson } from '../../api/schemas.js';
import { type Change, InvalidArgumentError, parseRepoPath } from '../../index.js';
import { changeJson, commitChanges, commitJson, countChanges } from '../../internal.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import {
  BranchParams,
  PageQuery,
  Pagination,
  page,
  RefParams,
  RepoParams,
  withErrors,
} from './schemas.js';

const ChangePage = z.object({ results: z.array(ChangeJson), pagination: Pagination });

const Metadata = z.record(z.string().max(1000), z.string().max(10_000));

/** A page of changes in path order after `after`: at most `amount`, one more fetched to know. */
async function changePage(
  changes: AsyncIterable<Change>,
  after: string | undefined,
  amount: number,
) {
  const fetched = [];
  for await (const c of changes) {
    if (after !== undefined && c.path <= after) continue;
    fetched.push(changeJson(c));
    if (fetched.length > amount) break;
  }
  return page(fetched, amount, (c) => c.path);
}

function checkPrefix(prefix: string | undefined): void {
  if (prefix) parseRepoPath(prefix, { allowTrailingSlash: true });
}

export function registerCommitRoutes(api: ApiRoutes, ctx: ServerContext): void {
  registerCommit(api, ctx);
  registerHistory(api, ctx);
  registerDiffs(api, ctx);
}

function registerCommit(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/branches/:branch/commits',
    {
      schema: {
        summary: 'Commit a branch’s staged changes',
        description:
          'All of them, or with `paths` only those at or under the paths (the rest stays staged). With `idempotencyKey` (and `paths`), a retried request commits nothing new and answers the first commit.',
        tags: ['commits'],
        params: BranchParams,
        body: z.object({
          message: z.string().trim().min(1).max(100_000),
          metadata: Metadata.optional(),
          allowEmpty: z.boolean().optional(),
          paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000).optional(),
          idempotencyKey: z.string().min(1).max(200).optional(),
        }),
        response: withErrors({ 201: CommitJson, 200: CommitJson }),
      },
      config: {
        permission: (req) => ({
          action: 'branch:Write',
          repository: paramsOf(req).repository,
          branch: paramsOf(req).branch,
        }),
      },
    },
    async (req, reply) => {
      const { message, metadata, allowEmpty, paths, idempotencyKey } = req.body;
      const repo = await ctx.host.get(req.params.repository);
      const branch = req.params.branch;
      const opts = {
        message,
        ...(metadata ? { metadata } : {}),
        allowEmpty: allowEmpty === true,
      };
      if (idempotencyKey !== undefined) {
        if (!paths)
          throw new InvalidArgumentError(
            'idempotencyKey needs paths: a retried request commits exactly its own paths',
            { argument: 'idempotencyKey', reason: 'without paths' },
          );
        const outcome = await repo.commitRequest(branch, {
          ...opts,
          paths,
          idempotency: { key: idempotencyKey, request: `commit ${paths.join(', ')} on ${branch}` },
        });
        if (!outcome.replayed) ctx.metrics.commits.inc();
        reply.code(outcome.replayed ? 200 : 201);
        return commitJson(outcome.commit);
      }
      const c = await repo.commit(branch, { ...opts, ...(paths ? { paths } : {}) });
      ctx.metrics.commits.inc();
      reply.code(201);
      return commitJson(c);
    },
  );
}

function registerHistory(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/commits',
    {
      schema: {
        summary: 'The log: commits reachable from a ref, newest first',
        tags: ['commits'],
        params: RefParams,
        querystring: PageQuery.omit({ prefix: true }).extend({
          path: z
            .string()
            .min(1)
            .max(4096)
            .optional()
            .describe('only commits that changed this path (or under it, with a trailing /)'),
        }),
        response: withErrors({
          200: z.object({ results: z.array(CommitJson), pagination: Pagination }),
        }),
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
      const { path, after, amount } = req.query;
      const repo = await ctx.host.get(req.params.repository);
      const fetched = [];
      // The cursor is the last commit of the page before: the page starts after it.
      let skipping = after !== undefined;
      for await (const c of repo.log(req.params.ref, path === undefined ? {} : { path })) {
        if (skipping) {
          if (c.id === after) skipping = false;
          continue;
        }
        fetched.push(commitJson(c));
        if (fetched.length > amount) break;
      }
      return page(fetched, amount, (c) => c.id);
    },
  );

  api.get(
    '/repositories/:repository/commits/:commit',
    {
      schema: {
        summary: 'A commit and its changes against its first parent (`sluice show`)',
        tags: ['commits'],
        params: RepoParams.extend({
          commit: z.string().min(1).max(1000).describe('a commit id, or any ref'),
        }),
        response: withErrors({
          200: z.object({ commit: CommitJson, changes: z.array(ChangeJson), counts: ChangeCounts }),
        }),
      },
      config: {
        permission: (req) => ({
          action: 'repo:Read',
          repository: paramsOf(req).repository,
          ref: paramsOf(req).commit,
        }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const c = await repo.getCommit(req.params.commit);
      const changes = await commitChanges(repo, c);
      return {
        commit: commitJson(c),
        changes: changes.map(changeJson),
        counts: countChanges(changes),
      };
    },
  );
}

function registerDiffs(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/branches/:branch/diff',
    {
      schema: {
        summary: 'A branch’s uncommitted changes (`sluice status`)',
        tags: ['commits'],
        params: BranchParams,
        querystring: PageQuery,
        response: withErrors({ 200: ChangePage }),
      },
      config: {
        permission: (req) => ({
          action: 'repo:Read',
          repository: paramsOf(req).repository,
          ref: paramsOf(req).branch,
        }),
      },
    },
    async (req) => {
      const { prefix, after, amount } = req.query;
      checkPrefix(prefix);
      const repo = await ctx.host.get(req.params.repository);
      return changePage(repo.status(req.params.branch, { prefix }), after, amount);
    },
  );

  api.get(
    '/repositories/:repository/refs/:left/diff/:right',
    {
      schema: {
        summary: 'Changes from one ref to another (their commits: staging is not included)',
        tags: ['commits'],
        params: RepoParams.extend({
          left: z.string().min(1).max(1000),
          right: z.string().min(1).max(1000),
        }),
        querystring: PageQuery,
        response: withErrors({ 200: ChangePage }),
      },
      config: {
        permission: (req) => [
          { action: 'repo:Read', repository: paramsOf(req).repository, ref: paramsOf(req).left },
          { action: 'repo:Read', repository: paramsOf(req).repository, ref: paramsOf(req).right },
        ],
      },
    },
    async (req) => {
      const { prefix, after, amount } = req.query;
      checkPrefix(prefix);
      const repo = await ctx.host.get(req.params.repository);
      return changePage(repo.diff(req.params.left, req.params.right, { prefix }), after, amount);
    },
  );
}
