// `sluice --remote URL env status`: the server's environments, printed as the local command does.
import type { EnvStatus } from '../../index.js';
import { printEnvStatus } from '../handlers/env-status.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const status = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/environments', {
      params: { path: { repository } },
    }),
  );
  printEnvStatus(ctx, status as unknown as EnvStatus);
  return 0;
}
