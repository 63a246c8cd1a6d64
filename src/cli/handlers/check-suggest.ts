// `sluice check suggest NAME [--ref REF]`: checks proposed from a table's data — completeness,
// uniqueness, categorical sets, ranges, a row count — printed as dbt properties YAML to review
// and save under checks/. --json gives `{ yaml, checks }`. The rules are in src/quality/suggest.ts.

import { suggestChecks } from '../../quality/index.js';
import { parseTableName } from '../../tables/index.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, table: string): Promise<number> {
  parseTableName(table);
  // `check` has a --ref of its own, which commander gives the parent even when written
  // after the subcommand: read the options with the parent's.
  const opts = ctx.command.optsWithGlobals<{ ref?: string }>();
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const { yaml, checks } = await suggestChecks(repo, table, { ref });
  ctx.out.result({ yaml, checks }, () => ctx.out.block(yaml.trimEnd()));
  return 0;
}
