// `sluice check import-ge SUITE.json --table NAME [--out FILE [--force]]`: converts a Great
// Expectations suite into check YAML for one table. Prints the YAML, or writes it to --out (never
// over an existing file without --force); --json gives `{ yaml, checks }`. An expectation that
// cannot be imported fails the whole command, naming every such expectation (exit 1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '../../index.js';
import { importGeSuite } from '../../quality/index.js';
import { fileError } from '../local-files.js';
import type { CommandContext } from '../runner.js';

interface ImportGeOptions {
  table?: string;
  out?: string;
  force?: boolean;
}

export async function run(ctx: CommandContext, suite: string): Promise<number> {
  // `check` has a --table of its own, which commander gives the parent even when written
  // after the subcommand: read the options with the parent's.
  const opts = ctx.command.optsWithGlobals<ImportGeOptions>();
  if (!opts.table)
    throw new InvalidArgumentError('--table is required: the table the suite checks', {
      argument: '--table',
      reason: 'missing',
    });
  let text: string;
  try {
    text = readFileSync(suite, 'utf8');
  } catch (err) {
    throw fileError(err, suite);
  }
  const { yaml, specs } = importGeSuite(text, {
    table: opts.table,
    file: suite,
    ...(opts.out ? { out: opts.out } : {}),
  });
  if (opts.out) {
    try {
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileSync(opts.out, yaml, { flag: opts.force ? 'w' : 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new InvalidArgumentError(`${opts.out} already exists: pass --force to overwrite it`, {
          argument: '--out',
          reason: 'exists',
        });
      throw fileError(err, opts.out);
    }
  }
  ctx.out.result({ yaml, checks: specs.length, ...(opts.out ? { out: opts.out } : {}) }, () => {
    if (opts.out) ctx.out.note(`wrote ${specs.length} check(s) on ${opts.table} to ${opts.out}`);
    else ctx.out.block(yaml.trimEnd());
  });
  return 0;
}
