// `sluice --remote URL build | run | test | seed`: the server builds its project on the branch;
// the node lines, the summary and the exit code are the local command's.
import type { BuildDocument, RunJson } from '../../internal.js';
import type { BuildCliOptions } from '../handlers/build.js';
import { printBuild } from '../handlers/build.js';
import { positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stdoutLines } from './follow-run.js';
import { refuseLocalOption } from './unsupported-option.js';

export async function run(ctx: CommandContext, opts: BuildCliOptions): Promise<number> {
  refuseLocalOption('--project', opts.project);
  refuseLocalOption('--openlineage-file', opts.openlineageFile);
  refuseLocalOption('--openlineage-url', opts.openlineageUrl);
  const command = ctx.command.name() as 'build' | 'run' | 'test' | 'seed';
  const threads = opts.threads === undefined ? undefined : positiveInt(opts.threads, '--threads');
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/builds', {
      params: { path: { repository } },
      body: {
        branch: await session.branch(opts.branch),
        command,
        ...(opts.select ? { select: opts.select } : {}),
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
        ...(opts.fullRefresh ? { fullRefresh: true } : {}),
        ...(opts.state ? { state: opts.state } : {}),
        ...(threads ? { threads } : {}),
        artifacts: opts.artifacts,
      },
    }),
  );
  return runRemotely<BuildDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stdoutLines(ctx),
    (doc) => printBuild(ctx, doc),
  );
}
