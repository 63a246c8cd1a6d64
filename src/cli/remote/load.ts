// `sluice --remote URL load NAME`: the server runs its project's ingestor; the phase lines, the
// outcome and the exit code are the local command's.
import type { RunJson } from '../../internal.js';
import { type LoadDocument, printLoad } from '../handlers/load.js';
import { destinationBranch } from '../options.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stderrLines } from './follow-run.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { branch?: string; into?: string; idempotencyKey?: string },
): Promise<number> {
  const into = destinationBranch(opts);
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/loads', {
      params: { path: { repository } },
      body: {
        ingestor: name,
        ...(into ? { into } : {}),
        ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
      },
    }),
  );
  return runRemotely<LoadDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stderrLines(ctx),
    (doc) => printLoad(ctx, doc),
  );
}
