// `sluice profile NAME [--ref REF] [--no-store]`: a table's metric profile — rows, and per column
// NULLs, distinct values (approximate), min / max / mean / stddev / quartiles — stored per commit
// as the history that anomaly checks read.
import { profileTable } from '../../quality/index.js';
import type { CommandContext } from '../runner.js';

const fmt = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'number'
      ? String(Math.round(v * 1e4) / 1e4)
      : String(v);

export async function run(
  ctx: CommandContext,
  table: string,
  opts: { ref?: string; store: boolean },
): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const r = await profileTable(repo, table, { ref, store: opts.store });
  ctx.out.result({ ref, ...r }, () => {
    ctx.out.line(`table ${table} at ${ref}: ${r.profile.rows} rows`);
    ctx.out.table(
      [
        ['COLUMN', 'TYPE', 'NULLS', 'NULL %', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'STDDEV', 'MEDIAN'],
        ...Object.entries(r.profile.columns).map(([name, c]) => [
          name,
          c.type,
          String(c.nulls),
          fmt(c.nullPercent),
          c.distinct === undefined ? '' : String(c.distinct),
          fmt(c.min),
          fmt(c.max),
          fmt(c.mean),
          fmt(c.stddev),
          fmt(c.median),
        ]),
      ],
      [2, 3, 4, 5, 6, 7, 8, 9],
    );
    if (!r.stored && opts.store)
      ctx.out.note('not stored: the branch has uncommitted changes to this table');
  });
  return 0;
}
