// `sluice --remote URL table list|show|history|diff`: the same output as the local commands (their
// printers, fed with the server's answers), read page by page where the server pages.
import { commitFromJson } from '../../internal.js';
import { printTableDiff } from '../handlers/table-diff.js';
import { type HistoryOptions, printTableHistory } from '../handlers/table-history.js';
import { printTableList } from '../handlers/table-list.js';
import { printTableShow } from '../handlers/table-show.js';
import { nonNegativeInt, positiveInt } from '../options.js';
import type { CommandContext } from '../runner.js';
import { allPages } from './pages.js';

export async function list(ctx: CommandContext, opts: { ref?: string }): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const ref = await session.ref(opts.ref);
  const tables = await allPages((after) =>
    session.call(
      session.client.GET('/api/v1/repositories/{repository}/refs/{ref}/tables', {
        params: { path: { repository, ref }, query: { amount: 1000, ...(after ? { after } : {}) } },
      }),
    ),
  );
  printTableList(ctx, { ref, tables });
  return 0;
}

export async function show(
  ctx: CommandContext,
  name: string,
  opts: { ref?: string },
): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const ref = await session.ref(opts.ref);
  const answer = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/refs/{ref}/tables/{table}', {
      params: { path: { repository, ref, table: name } },
    }),
  );
  printTableShow(ctx, ref, answer.table);
  return 0;
}

export async function history(
  ctx: CommandContext,
  name: string,
  opts: HistoryOptions,
): Promise<number> {
  const limit = positiveInt(opts.limit, '-n');
  const session = await ctx.remote();
  const repository = await session.repository();
  const ref = await session.ref(opts.ref);
  const commits = await allPages(
    (after) =>
      session.call(
        session.client.GET('/api/v1/repositories/{repository}/refs/{ref}/tables/{table}/history', {
          params: {
            path: { repository, ref, table: name },
            query: { amount: Math.min(limit ?? 1000, 1000), ...(after ? { after } : {}) },
          },
        }),
      ),
    limit,
  );
  printTableHistory(ctx, name, ref, commits.map(commitFromJson), opts.oneline);
  return 0;
}

export async function diff(
  ctx: CommandContext,
  name: string,
  left: string,
  right: string,
  opts: { sample?: string },
): Promise<number> {
  const sample = nonNegativeInt(opts.sample, '--sample');
  const session = await ctx.remote();
  const repository = await session.repository();
  const answer = await session.call(
    session.client.GET(
      '/api/v1/repositories/{repository}/refs/{left}/tables/{table}/diff/{right}',
      {
        params: {
          path: { repository, left, table: name, right },
          query: sample === undefined ? {} : { sample },
        },
      },
    ),
  );
  printTableDiff(ctx, left, right, answer.diff);
  return 0;
}
