// /repositories/{repository}/refs/{ref}/tables: the tables at a ref (list), one table's schema,
// size and files (`sluice table show`), its first rows (preview), the commits that changed it
// (`sluice table history`), and its diff against another ref (`sluice table diff`). Reads only:
// each route asks repo:Read on every ref it reads.
import * as z from 'zod';
import { CommitJson, TableDiffJson, TableInfoJson, TableSummaryJson } from '../../api/schemas.js';
import { diffTable, listTables, showTable, tableHistory } from '../../index.js';
import { commitJson, tableDiffJson, tableInfoJson, tableSummaryJson } from '../../internal.js';
import type { ServerContext } from '../context.js';
import type { PermissionAsk } from '../permissions.js';
import { paramsOf } from '../route-config.js';
import { runReadOnlySql } from '../sql-query.js';
import type { ApiRoutes } from './index.js';
import { PageQuery, Pagination, page, RefParams, RepoParams, withErrors } from './schemas.js';

const TableParams = RefParams.extend({ table: z.string().min(1).max(1000) });
const DiffParams = RepoParams.extend({
  left: z.string().min(1).max(1000),
  table: z.string().min(1).max(1000),
  right: z.string().min(1).max(1000),
});

/** repo:Read on each ref a route reads. */
function readsRefs(...names: string[]) {
  return (req: Parameters<typeof paramsOf>[0]): PermissionAsk[] => {
    const p = paramsOf(req);
    return names.map((n) => ({ action: 'repo:Read', repository: p.repository, ref: p[n] }));
  };
}

const quoteIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export function registerTableRoutes(api: ApiRoutes, ctx: ServerContext): void {
  listTablesRoute(api, ctx);
  showTableRoute(api, ctx);
  previewTable(api, ctx);
  tableHistoryRoute(api, ctx);
  diffTableRoute(api, ctx);
}

function listTablesRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/tables',
    {
      schema: {
        summary: 'List the tables at a ref (`sluice table list`)',
        tags: ['tables'],
        params: RefParams,
        querystring: PageQuery,
        response: withErrors({
          200: z.object({
            ref: z.string(),
            results: z.array(TableSummaryJson),
            pagination: Pagination,
          }),
        }),
      },
      config: { permission: readsRefs('ref') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { ref } = req.params;
      const { after, amount, prefix } = req.query;
      // Names first (manifests only); only the page's tables are described (row counts, sizes).
      const names = [...(await listTables(repo, ref)).keys()]
        .filter((n) => (prefix === undefined || n.startsWith(prefix)) && (after ? n > after : true))
        .sort()
        .slice(0, amount + 1);
      const fetched = [];
      for (const name of names) fetched.push(tableSummaryJson(await showTable(repo, ref, name)));
      return { ref, ...page(fetched, amount, (t) => t.name) };
    },
  );
}

function showTableRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/tables/:table',
    {
      schema: {
        summary: "A table's columns, key, rows, size and files (`sluice table show`)",
        tags: ['tables'],
        params: TableParams,
        response: withErrors({ 200: z.object({ table: TableInfoJson }) }),
      },
      config: { permission: readsRefs('ref') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      return { table: tableInfoJson(await showTable(repo, req.params.ref, req.params.table)) };
    },
  );
}

function previewTable(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/tables/:table/preview',
    {
      schema: {
        summary: "A table's first rows",
        tags: ['tables'],
        params: TableParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: withErrors({
          200: z.object({
            table: z.string(),
            ref: z.string(),
            columns: z.array(z.object({ name: z.string(), type: z.string() })),
            rows: z.array(z.record(z.string(), z.unknown())),
            truncated: z.boolean().describe('the table has more rows than `limit`'),
          }),
        }),
      },
      config: { permission: readsRefs('ref') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { ref, table } = req.params;
      await showTable(repo, ref, table); // TableNotFoundError before DuckDB starts
      const answer = await runReadOnlySql(repo, {
        query: `SELECT * FROM ${quoteIdent(table)}`,
        refs: [ref],
        limit: req.query.limit,
        timeoutMs: 60_000,
      });
      return { table, ref, ...answer };
    },
  );
}

function tableHistoryRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/tables/:table/history',
    {
      schema: {
        summary: 'The commits that changed a table, newest first (`sluice table history`)',
        tags: ['tables'],
        params: TableParams,
        querystring: PageQuery.omit({ prefix: true }).extend({
          after: z.string().max(200).optional().describe('a commit id: the commits after it'),
        }),
        response: withErrors({
          200: z.object({
            table: z.string(),
            ref: z.string(),
            results: z.array(CommitJson),
            pagination: Pagination,
          }),
        }),
      },
      config: { permission: readsRefs('ref') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { ref, table } = req.params;
      const { after, amount } = req.query;
      const fetched = [];
      let skipping = after !== undefined;
      for await (const c of tableHistory(repo, ref, table)) {
        if (skipping) {
          skipping = c.id !== after;
          continue;
        }
        fetched.push(commitJson(c));
        if (fetched.length > amount) break;
      }
      return { table, ref, ...page(fetched, amount, (c) => c.id) };
    },
  );
}

function diffTableRoute(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:left/tables/:table/diff/:right',
    {
      schema: {
        summary:
          'How a table differs between two refs: schema, then rows added, removed and changed (`sluice table diff`)',
        tags: ['tables'],
        params: DiffParams,
        querystring: z.object({
          sample: z.coerce
            .number()
            .int()
            .min(0)
            .max(1000)
            .optional()
            .describe('rows shown per kind of change (default 5)'),
        }),
        response: withErrors({ 200: z.object({ diff: TableDiffJson }) }),
      },
      config: { permission: readsRefs('left', 'right') },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const { left, right, table } = req.params;
      const sample = req.query.sample;
      const d = await diffTable(repo, table, left, right, sample === undefined ? {} : { sample });
      return { diff: tableDiffJson(d) };
    },
  );
}
