// `sluice --remote URL check history TABLE`: the stored results, read from the server, printed as
// the local command prints them.
import type { CheckHistoryDocument } from '../../internal.js';
import { parseTableName } from '../../tables/index.js';
import { printCheckHistory } from '../handlers/check-history.js';
import { positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  table: string,
  opts: { limit?: string },
): Promise<number> {
  parseTableName(table);
  const limit = positiveInt(opts.limit, '-n') ?? 20;
  const session = await ctx.remote();
  const repository = await session.repository();
  const doc = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/checks/history', {
      params: { path: { repository }, query: { table, amount: limit } },
    }),
  );
  printCheckHistory(ctx, doc as unknown as CheckHistoryDocument);
  return 0;
}
