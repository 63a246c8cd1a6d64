// `sluice table show NAME [--ref REF]`: a table's columns, key, row count, size and files.
// The printing is shared with the remote command (remote/table.ts).
import { showTable } from '../../index.js';
import { type TableInfoJson, tableInfoJson } from '../../internal.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  name: string,
  opts: { ref?: string },
): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  printTableShow(ctx, ref, tableInfoJson(await showTable(repo, ref, name)));
  return 0;
}

export function printTableShow(ctx: CommandContext, ref: string, t: TableInfoJson): void {
  ctx.out.result({ table: t }, () => {
    ctx.out.line(`table ${t.name} at ${ref}`);
    if (t.primaryKey) ctx.out.line(`key:   ${t.primaryKey.join(', ')}`);
    if (t.partitionBy) ctx.out.line(`partitioned by: ${t.partitionBy.join(', ')}`);
    ctx.out.line(`rows:  ${t.rows} in ${t.files.length} file(s), ${formatBytes(t.bytes)}`);
    ctx.out.line();
    ctx.out.table([
      ['COLUMN', 'TYPE'],
      ...t.columns.map((c) => [
        c.name,
        t.primaryKey?.includes(c.name) ? `${c.type} (key)` : c.type,
      ]),
    ]);
    if (t.files.length > 0) {
      ctx.out.line();
      ctx.out.table(
        [
          ['FILE', 'ROWS', 'SIZE'],
          ...t.files.map((f) => [f.path, String(f.rows), formatBytes(f.size)]),
        ],
        [1, 2],
      );
    }
  });
}
