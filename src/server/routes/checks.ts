// /repositories/{repository}/checks: run the project's checks at a ref (a run, like `sluice
// check`), the stored results at a ref, and a table's check history (`sluice check history`).
// The project — checks/*.yml, models/*.yml — is the server's own (ServerContext.projectDirOf).
import * as z from 'zod';
import { CheckHistoryJson, DocumentJson, RunJson } from '../../api/schemas.js';
import {
  type CheckRun,
  CheckSpecError,
  type CheckStatus,
  loadSpecs,
  type Repository,
  runChecks,
} from '../../index.js';
import { checkDocument, checkHistoryDocument } from '../../internal.js';
import { parseTableName } from '../../tables/index.js';
import { checkErrorEvent, checkEvent } from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import { recordRunEvent } from '../run-events.js';
import type { RunLog, RunOutcome } from '../runs.js';
import type { ApiRoutes } from './index.js';
import { accepted } from './runs.js';
import { RepoParams, withErrors } from './schemas.js';

/** `sluice check`'s exit codes: 0 all pass, 1 warnings only, 2 failures, 3 errors. */
const EXIT: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2, error: 3 };

const CheckBody = z.object({
  ref: z.string().min(1).max(1000).optional().describe('default: the default branch'),
  table: z.string().min(1).max(1000).optional().describe('only the checks of this table'),
  sample: z.number().int().min(0).max(1000).optional().describe('failing rows to keep per check'),
  store: z.boolean().default(true).describe('store the results and profiles in the history'),
});
type CheckBody = z.infer<typeof CheckBody>;

/** What `sluice check` does, as a run: the run's document, or its error (a spec that cannot be used). */
async function checkRun(
  repo: Repository,
  project: string,
  body: CheckBody,
  log: RunLog,
): Promise<RunOutcome> {
  const ref = body.ref ?? repo.defaultBranch;
  const startedAt = Date.now();
  let run: CheckRun;
  try {
    run = await runChecks(repo, loadSpecs(project), {
      ref,
      table: body.table,
      sample: body.sample,
      store: body.store,
    });
  } catch (err) {
    await recordRunEvent(log, repo, 'check', () =>
      checkErrorEvent(repo, ref, body.table, err, startedAt),
    );
    if (err instanceof CheckSpecError) return { error: err, exitCode: EXIT.error };
    throw err;
  }
  const event = await recordRunEvent(log, repo, 'check', () => checkEvent(run));
  return { result: checkDocument(run, event), exitCode: EXIT[run.status] };
}

export function registerCheckRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/checks',
    {
      schema: {
        summary: "Run the project's checks at a ref (a run; its result is `sluice check --json`)",
        tags: ['checks'],
        params: RepoParams,
        body: CheckBody,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: (req) => {
          const repository = paramsOf(req).repository;
          const ref = (req.body as CheckBody).ref;
          return [
            { action: 'check:Run', repository, ...(ref ? { ref } : {}) },
            { action: 'repo:Read', repository, ...(ref ? { ref } : {}) },
          ];
        },
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const project = ctx.projectDirOf(repo.name);
      if (req.body.table !== undefined) parseTableName(req.body.table);
      return accepted(ctx, req, reply, repo, 'check', req.body, (log) =>
        checkRun(repo, project, req.body, log),
      );
    },
  );

  api.get(
    '/repositories/:repository/checks/results',
    {
      schema: {
        summary: 'The newest stored check run at the commit a ref names, with its results',
        tags: ['checks'],
        params: RepoParams,
        querystring: z.object({ ref: z.string().min(1).max(1000).optional() }),
        response: withErrors({
          200: z.object({
            ref: z.string(),
            commit: z.string(),
            run: z
              .object({
                id: z.string(),
                at: z.string(),
                status: z.string(),
                results: z.array(DocumentJson),
              })
              .nullable(),
          }),
        }),
      },
      config: {
        permission: (req) => {
          const ref = (req.query as { ref?: string }).ref;
          return {
            action: 'repo:Read',
            repository: paramsOf(req).repository,
            ...(ref ? { ref } : {}),
          };
        },
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      const ref = req.query.ref ?? repo.defaultBranch;
      const commit = (await repo.resolve(ref)).commit as string;
      const runs = await repo.meta.listCheckRuns(repo.name);
      const latest = runs.find((r) => r.commitId === commit);
      if (!latest) return { ref, commit, run: null };
      const results = await repo.meta.listCheckResults(repo.name, { runId: latest.id });
      return {
        ref,
        commit,
        run: {
          id: latest.id,
          at: latest.createdAt.toISOString(),
          status: latest.status,
          results: results.map((r) => JSON.parse(r.data) as Record<string, unknown>),
        },
      };
    },
  );

  api.get(
    '/repositories/:repository/checks/history',
    {
      schema: {
        summary: "A table's stored check results, newest run first (`sluice check history --json`)",
        tags: ['checks'],
        params: RepoParams,
        querystring: z.object({
          table: z.string().min(1).max(1000),
          amount: z.coerce.number().int().min(1).max(1000).default(20).describe('runs'),
        }),
        response: withErrors({ 200: CheckHistoryJson }),
      },
      config: {
        permission: (req) => ({ action: 'repo:Read', repository: paramsOf(req).repository }),
      },
    },
    async (req) => {
      const repo = await ctx.host.get(req.params.repository);
      parseTableName(req.query.table);
      const rows = await repo.meta.listCheckResults(repo.name, { table: req.query.table });
      const doc = checkHistoryDocument(req.query.table, rows, req.query.amount);
      return doc as unknown as z.infer<typeof CheckHistoryJson>;
    },
  );
}
