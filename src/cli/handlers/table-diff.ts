// `sluice table diff NAME LEFT RIGHT [--sample N]`: how a table differs between two refs — schema
// changes first, then rows added, removed and changed (by primary key when declared, else as
// multisets), with a sample of each. Files both sides share are skipped unread. The printing is
// shared with the remote command (remote/table.ts).
import { diffTable } from '../../index.js';
import { type RowJson as Row, type TableDiffJson, tableDiffJson } from '../../internal.js';
import { nonNegativeInt } from '../options.js';
import type { CommandContext } from '../runner.js';

const cell = (v: unknown): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'string' ? v : JSON.stringify(v);

function rowsTable(rows: Row[]): string[][] {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [cols.map((c) => c.toUpperCase()), ...rows.map((r) => cols.map((c) => cell(r[c])))];
}

export async function run(
  ctx: CommandContext,
  name: string,
  left: string,
  right: string,
  opts: { sample?: string },
): Promise<number> {
  const sample = nonNegativeInt(opts.sample, '--sample');
  const repo = await ctx.repo();
  printTableDiff(
    ctx,
    left,
    right,
    tableDiffJson(await diffTable(repo, name, left, right, { sample })),
  );
  return 0;
}

/** What both the local and the remote command print (remote/table.ts). */
export function printTableDiff(
  ctx: CommandContext,
  left: string,
  right: string,
  d: TableDiffJson,
): void {
  ctx.out.result({ diff: d }, () => {
    ctx.out.line(`table ${d.table}: ${left} → ${right}`);
    if (d.schemaChanges.length === 0 && !d.primaryKeyChange) ctx.out.line('schema: unchanged');
    else {
      ctx.out.line('schema:');
      for (const c of d.schemaChanges) {
        const what =
          c.change === 'added'
            ? `+ ${c.column} ${c.after}`
            : c.change === 'removed'
              ? `- ${c.column} ${c.before}`
              : `~ ${c.column} ${c.before} → ${c.after}`;
        ctx.out.line(`  ${what}`);
      }
      if (d.primaryKeyChange)
        ctx.out.line(
          `  key: (${d.primaryKeyChange.before?.join(', ') ?? 'none'}) → (${d.primaryKeyChange.after?.join(', ') ?? 'none'})`,
        );
    }
    const by = d.primaryKey ? `by key (${d.primaryKey.join(', ')})` : 'as multisets (no key)';
    ctx.out.line(
      `rows ${by}: ${d.added} added, ${d.removed} removed, ${d.changed} changed ` +
        `(${d.filesCompared.left} + ${d.filesCompared.right} file(s) compared, ${d.filesSkipped} shared skipped)`,
    );
    for (const [label, rows] of [
      ['added', d.samples.added],
      ['removed', d.samples.removed],
    ] as const) {
      if (rows.length === 0) continue;
      ctx.out.line();
      ctx.out.line(`${label} (sample):`);
      ctx.out.table(rowsTable(rows));
    }
    if (d.samples.changed.length > 0) {
      ctx.out.line();
      ctx.out.line('changed (sample, left → right):');
      const flat = d.samples.changed.map((c) => {
        const row: Row = { ...c.key };
        for (const k of Object.keys({ ...c.left, ...c.right })) {
          if (k in c.key) continue;
          const a = cell(c.left[k]);
          const b = cell(c.right[k]);
          row[k] = a === b ? a : `${a} → ${b}`;
        }
        return row;
      });
      ctx.out.table(rowsTable(flat));
    }
  });
}
