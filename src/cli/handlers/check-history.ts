// `sluice check history NAME [-n N]`: the stored results of a table's checks, newest run first —
// when each check passed, warned or failed, at which commit, and what it observed.
import { type CheckHistoryDocument, checkHistoryDocument } from '../../internal.js';
import { summarize } from '../../quality/index.js';
import { parseTableName } from '../../tables/index.js';
import { positiveInt } from '../options.js';
import { shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

/** Prints the document (`--json`: as it is): shared by the local and the remote command. */
export function printCheckHistory(ctx: CommandContext, doc: CheckHistoryDocument): void {
  ctx.out.result(doc, () => {
    if (doc.runs.length === 0)
      ctx.out.note(`no stored check results for ${doc.table} (run sluice check)`);
    for (const r of doc.runs) {
      const counts = summarize(r.results);
      ctx.out.line(
        `${r.at}  ${shortId(r.commit)}  ${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail, ${counts.error} error`,
      );
      ctx.out.table(
        r.results.map((x) => [
          `  ${x.status.toUpperCase()}`,
          x.name,
          x.observed === undefined ? '' : `observed ${JSON.stringify(x.observed)}`,
        ]),
      );
    }
  });
}

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
  printCheckHistory(ctx, checkHistoryDocument(table, rows, limit));
  return 0;
}
