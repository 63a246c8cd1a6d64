// `sluice --remote URL deploy [ENV]`: the server deploys (blue/green); the phase lines, the outcome and the
// exit code are the local command's.
import type { RunJson } from '../../internal.js';
import { type DeployDocument, printDeploy } from '../handlers/deploy.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stderrLines } from './follow-run.js';

export async function run(ctx: CommandContext, env: string): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/environments/{env}/deploy', {
      params: { path: { repository, env } },
    }),
  );
  return runRemotely<DeployDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stderrLines(ctx),
    (doc) => printDeploy(ctx, doc),
  );
}
