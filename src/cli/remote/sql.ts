// `sluice --remote URL sql QUERY`: the server runs it — always read-only, as `sql --read-only`
// does locally — and the answer is printed by the local command's printer, in every format but a
// file: `--out` and the interactive prompt need DuckDB here and are refused. The server answers
// at most its row limit; a cut answer is said on stderr, so stdout stays the data.
import { InvalidArgumentError } from '../../index.js';
import { planSql, printResult, type SqlCliOptions } from '../handlers/sql.js';
import type { CommandContext } from '../runner.js';

/** The most rows the server answers (its SQL route's limit). */
const SERVER_MAX_ROWS = 100_000;

export async function run(
  ctx: CommandContext,
  query: string | undefined,
  opts: SqlCliOptions,
): Promise<number> {
  const plan = await planSql(ctx, query, opts);
  if (plan.interactive) {
    throw new InvalidArgumentError(
      'the SQL prompt runs against a local repository: pass QUERY, or SQL on stdin',
      { argument: 'query', reason: 'remote' },
    );
  }
  if (opts.out !== undefined) {
    throw new InvalidArgumentError(
      '--out writes a file with DuckDB: against a server, redirect the output (--format csv > FILE)',
      { argument: '--out', reason: 'remote' },
    );
  }
  const session = await ctx.remote();
  const repository = await session.repository();
  const answer = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/sql', {
      params: { path: { repository } },
      body: {
        query: plan.text,
        ...(opts.ref?.length ? { refs: opts.ref } : {}),
        limit: SERVER_MAX_ROWS,
      },
    }),
  );
  if (answer.truncated)
    ctx.out.warn(`the server answered the first ${answer.rows.length} rows only (its limit)`);
  const format = ctx.out.json ? 'json' : (plan.format ?? 'table');
  await printResult(ctx, format as 'table' | 'csv' | 'json' | 'ndjson', {
    columns: answer.columns,
    rows: answer.rows as Parameters<typeof printResult>[2]['rows'],
  });
  return 0;
}
