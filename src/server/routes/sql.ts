// POST /repositories/{repository}/sql: SQL over the tables of one or more refs, like `sluice sql
// --read-only` — never anything else (sql-query.ts): a statement reaching past the refs' tables
// is ReadOnlySqlError (403), a row limit cuts the answer (`truncated`), a time limit stops DuckDB
// (QueryTimeoutError, 400). Asks repo:Read on every ref it attaches.
import * as z from 'zod';
import { QueryResultJson } from '../../api/schemas.js';
import type { ServerContext } from '../context.js';
import type { PermissionAsk } from '../permissions.js';
import { paramsOf } from '../route-config.js';
import { runReadOnlySql } from '../sql-query.js';
import type { ApiRoutes } from './index.js';
import { RepoParams, withErrors } from './schemas.js';

export const SQL_DEFAULT_LIMIT = 1000;
export const SQL_MAX_LIMIT = 100_000;
export const SQL_DEFAULT_TIMEOUT_MS = 30_000;
export const SQL_MAX_TIMEOUT_MS = 600_000;

const SqlBody = z.object({
  query: z
    .string()
    .min(1)
    .max(1024 * 1024)
    .describe('SQL; several statements run in order and the last one is answered'),
  refs: z
    .array(z.string().min(1).max(1000))
    .min(1)
    .max(16)
    .optional()
    .describe(
      'refs whose tables are views (default: the default branch); several: one schema each',
    ),
  limit: z.number().int().min(1).max(SQL_MAX_LIMIT).default(SQL_DEFAULT_LIMIT),
  timeoutMs: z.number().int().min(1).max(SQL_MAX_TIMEOUT_MS).default(SQL_DEFAULT_TIMEOUT_MS),
});

export function registerSqlRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/sql',
    {
      schema: {
        summary: 'Run read-only SQL over the tables of refs (`sluice sql --read-only`)',
        tags: ['tables'],
        params: RepoParams,
        body: SqlBody,
        response: withErrors({
          200: QueryResultJson.extend({
            truncated: z.boolean().describe('more rows than `limit`: the answer was cut'),
          }),
        }),
      },
      // A POST for its body's size, not to change anything: not an audited write.
      config: {
        readOnly: true,
        permission: (req): PermissionAsk[] => {
          const repository = paramsOf(req).repository;
          const refs = (req.body as { refs?: string[] }).refs;
          if (!refs?.length) return [{ action: 'repo:Read', repository }];
          return refs.map((ref) => ({ action: 'repo:Read', repository, ref }));
        },
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      return runReadOnlySql(repo, {
        query: req.body.query,
        ...(req.body.refs ? { refs: req.body.refs } : {}),
        limit: req.body.limit,
        timeoutMs: req.body.timeoutMs,
      });
    },
  );
}
