// `sluice check history NAME [-n N]`: the stored results of a table's checks, newest run first —
// when each check passed, warned or failed, at which commit, and what it observed.
import type { CheckResult } from '../../index.js';
import { summarize } from '../../quality/index.js';
import { parseTableName } from '../../tables/index.js';
import { positiveInt } from '../options.js';
import { shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  table: string,
  opts: { limit?: string },
): Promise<number> {
  parseTableName(table);
  const limit = positiveInt(opts.limit, '-n') ?? 20;
  const repo = await ctx.repo();
  // Results of the newest runs that checked this table, grouped by run.
  const rows = await repo.meta.listCheckResults(repo.name, { table });
  const runs: { runId: string; commit: string; at: Date; results: CheckResult[] }[] = [];
  for (const r of rows) {
    let run = runs.at(-1);
    if (run?.runId !== r.runId) {
      if (runs.length === limit) break;
      run = { runId: r.runId, commit: r.commitId, at: r.createdAt, results: [] };
      runs.push(run);
    }
    run.results.push(JSON.parse(r.data) as CheckResult);
  }
  ctx.out.result(
    {
      table,
      runs: runs.map((r) => ({
        id: r.runId,
        commit: r.commit,
        at: r.at.toISOString(),
        results: r.results,
      })),
    },
    () => {
      if (runs.length === 0)
        ctx.out.note(`no stored check results for ${table} (run sluice check)`);
      for (const r of runs) {
        const counts = summarize(r.results);
        ctx.out.line(
          `${r.at.toISOString()}  ${shortId(r.commit)}  ${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail, ${counts.error} error`,
        );
        ctx.out.table(
          r.results.map((x) => [
            `  ${x.status.toUpperCase()}`,
            x.name,
            x.observed === undefined ? '' : `observed ${JSON.stringify(x.observed)}`,
          ]),
        );
      }
    },
  );
  return 0;
}
