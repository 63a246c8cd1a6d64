// `sluice --remote URL promote [ENV]`: the server promotes; the phase lines, the outcome and the
// exit code are the local command's.
import type { RunJson } from '../../internal.js';
import { type PromoteDocument, printPromote } from '../handlers/promote.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stderrLines } from './follow-run.js';

export async function run(ctx: CommandContext, env: string): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/environments/{env}/promote', {
      params: { path: { repository, env } },
    }),
  );
  return runRemotely<PromoteDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stderrLines(ctx),
    (doc) => printPromote(ctx, doc),
  );
}
