// `sluice export NAME --out FILE`: a table as it is at a ref, written to one local file.
import { exportTable } from '../../index.js';
import { OUTPUT_FORMATS, outputFormatOf } from '../../tables/index.js';
import { oneOf } from '../options.js';
import type { CommandContext } from '../runner.js';

interface ExportOptions {
  ref?: string;
  out: string;
  format?: string;
}

export async function run(ctx: CommandContext, name: string, opts: ExportOptions): Promise<number> {
  const format = outputFormatOf(opts.out, oneOf(opts.format, OUTPUT_FORMATS, '--format'));
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const r = await exportTable(repo, name, { ref, out: opts.out, format });
  ctx.out.result(r, () =>
    ctx.out.note(`exported ${r.rows} row(s) of ${r.table} at ${r.ref} to ${r.out} (${r.format})`),
  );
  return 0;
}
