// `sluice table list [--ref REF]`: the tables at a ref with their row counts, files and size.
// The printing is shared with the remote command (remote/table.ts).
import { type TableListJson, tableSummaryJson } from '../../internal.js';
import { listTableInfos } from '../../tables/index.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { ref?: string }): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const tables = await listTableInfos(repo, ref);
  printTableList(ctx, { ref, tables: tables.map(tableSummaryJson) });
  return 0;
}

export function printTableList(ctx: CommandContext, doc: TableListJson): void {
  const { ref, tables } = doc;
  ctx.out.result(doc, () => {
    if (tables.length === 0) {
      ctx.out.note(`no tables at ${ref}`);
      return;
    }
    ctx.out.table(
      [
        ['NAME', 'ROWS', 'FILES', 'SIZE', 'COLUMNS'],
        ...tables.map((t) => [
          t.name,
          String(t.rows),
          String(t.files),
          formatBytes(t.bytes),
          String(t.columns.length),
        ]),
      ],
      [1, 2, 3, 4],
    );
  });
}
