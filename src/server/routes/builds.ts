// /repositories/{repository}/builds: the project's seeds, models and tests in DAG order on a
// branch, landing as one commit — `sluice build | run | test | seed` as a run, its node lines the
// run's log. The project is the server's own directory (ServerContext.projectDirOf), never a path
// a client names; OpenLineage delivery (a client-chosen file or URL) is not offered here.
import * as z from 'zod';
import { RunJson } from '../../api/schemas.js';
import { type BuildCommand, buildProject, type Repository } from '../../index.js';
import { buildDocument, buildNodeLine } from '../../internal.js';
import { buildErrorEvent, buildEvent } from '../../workflow/index.js';
import type { ServerContext } from '../context.js';
import { paramsOf } from '../route-config.js';
import { recordRunEvent } from '../run-events.js';
import type { RunLog, RunOutcome } from '../runs.js';
import type { ApiRoutes } from './index.js';
import { accepted } from './runs.js';
import { RepoParams, withErrors } from './schemas.js';

const Selector = z.array(z.string().min(1).max(1000)).max(200);

const BuildBody = z.object({
  branch: z.string().min(1).max(1000).optional().describe('default: the default branch'),
  command: z
    .enum(['build', 'run', 'test', 'seed'])
    .default('build')
    .describe('build: seeds, models and tests; run: models; test: tests; seed: seeds'),
  select: Selector.optional(),
  exclude: Selector.optional(),
  fullRefresh: z.boolean().optional(),
  state: z.string().min(1).max(1000).optional().describe('a ref whose build is reused'),
  threads: z.number().int().min(1).max(64).optional(),
  artifacts: z
    .boolean()
    .default(false)
    .describe("write target/run_results.json and manifest.json in the server's project"),
});
type BuildBody = z.infer<typeof BuildBody>;

/** What `sluice build` does, as a run: exit 0 when everything passed, 2 when a node failed. */
async function buildRun(
  repo: Repository,
  project: string,
  body: BuildBody,
  log: RunLog,
): Promise<RunOutcome> {
  const command: BuildCommand = body.command;
  const branch = body.branch ?? repo.defaultBranch;
  const startedAt = Date.now();
  let outcome: Awaited<ReturnType<typeof buildProject>>;
  try {
    outcome = await buildProject(repo, project, {
      branch,
      command,
      ...(body.select ? { select: body.select } : {}),
      ...(body.exclude ? { exclude: body.exclude } : {}),
      ...(body.fullRefresh ? { fullRefresh: true } : {}),
      ...(body.state ? { state: body.state } : {}),
      ...(body.threads ? { threads: body.threads } : {}),
      artifacts: body.artifacts,
      onNode: (r, done, total) => log(buildNodeLine(r, done, total)),
    });
  } catch (err) {
    await recordRunEvent(log, repo, 'build', () =>
      buildErrorEvent(command, branch, err, startedAt),
    );
    throw err;
  }
  const event = await recordRunEvent(log, repo, 'build', () => buildEvent(command, outcome));
  return {
    result: buildDocument(outcome, event),
    exitCode: outcome.run.status === 'success' ? 0 : 2,
  };
}

export function registerBuildRoutes(api: ApiRoutes, ctx: ServerContext): void {
  api.post(
    '/repositories/:repository/builds',
    {
      schema: {
        summary:
          "Build the server's project on a branch (a run; its result is `sluice build --json`)",
        tags: ['builds'],
        params: RepoParams,
        body: BuildBody,
        response: withErrors({ 202: RunJson }),
      },
      config: {
        permission: async (req) => {
          const repository = paramsOf(req).repository as string;
          const body = req.body as BuildBody;
          const branch = body.branch ?? (await ctx.host.get(repository)).defaultBranch;
          return [
            { action: 'build:Run', repository, branch },
            { action: 'branch:Write', repository, branch },
            ...(body.state ? [{ action: 'repo:Read' as const, repository, ref: body.state }] : []),
          ];
        },
      },
    },
    async (req, reply) => {
      const repo = await ctx.host.get(req.params.repository);
      const project = ctx.projectDirOf(repo.name);
      return accepted(ctx, req, reply, repo, 'build', req.body, (log) =>
        buildRun(repo, project, req.body, log),
      );
    },
  );
}
