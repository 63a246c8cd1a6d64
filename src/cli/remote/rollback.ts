// `sluice --remote URL rollback [ENV] [--to ID] [--detected-at WHEN]`: the server flips the alias
// back; the outcome and the exit code are the local command's.
import type { RunJson } from '../../internal.js';
import { printRollback, type RollbackDocument } from '../handlers/rollback.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stderrLines } from './follow-run.js';

export async function run(
  ctx: CommandContext,
  env: string,
  opts: { to?: string; detectedAt?: string },
): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/environments/{env}/rollback', {
      params: { path: { repository, env } },
      body: {
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.detectedAt ? { detectedAt: opts.detectedAt } : {}),
      },
    }),
  );
  return runRemotely<RollbackDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stderrLines(ctx),
    (doc) => printRollback(ctx, doc),
  );
}
