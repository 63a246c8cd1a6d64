// `sluice export NAME --out FILE`: a table as it is at a ref, written to one local file.
import type { Command } from 'commander';
import { exportTable, OUTPUT_FORMATS, outputFormatOf } from '../../index.js';
import { oneOf } from '../options.js';
import { type Runner, refOption } from '../runner.js';

interface ExportOptions {
  ref?: string;
  out: string;
  format?: string;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('export')
    .description('write a table to a local file (Parquet, CSV, JSON or NDJSON)')
    .argument('<name>', 'table name')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', `${OUTPUT_FORMATS.join('|')} (default: from the --out extension)`)
    .addOption(refOption())
    .action(
      runner.action(async (ctx, name: string, opts: ExportOptions) => {
        const format = outputFormatOf(opts.out, oneOf(opts.format, OUTPUT_FORMATS, '--format'));
        const repo = await ctx.repo();
        const ref = await ctx.ref(opts.ref);
        const r = await exportTable(repo, name, { ref, out: opts.out, format });
        ctx.out.result(r, () =>
          ctx.out.note(
            `exported ${r.rows} row(s) of ${r.table} at ${r.ref} to ${r.out} (${r.format})`,
          ),
        );
        return 0;
      }),
    );
}
