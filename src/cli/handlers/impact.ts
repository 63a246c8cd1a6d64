// `sluice impact --base REF [--branch B] [--allow-breaking] [--project DIR]`: what a branch
// changes against a base — the changed models (SQL, config or output columns), everything
// downstream, the exposures affected, and the breaking changes: a column removed or retyped that a
// downstream model reads or an exposure depends on. Exit code 2 when an exposure is broken, unless
// --allow-breaking. The printing is shared with the remote command (remote/lineage.ts).
import { resolve } from 'node:path';
import { findRepoDir, withDuck } from '../../index.js';
import { type ImpactJson, impactJson } from '../../internal.js';
import { compileProject, impactOf, loadProject } from '../../pipeline/index.js';
import type { CommandContext } from '../runner.js';

export interface ImpactCliOptions {
  base: string;
  branch?: string;
  allowBreaking?: boolean;
  project?: string;
}

export async function run(ctx: CommandContext, opts: ImpactCliOptions): Promise<number> {
  const dir = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const compiled = compileProject(loadProject(dir));
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const impact = await withDuck({}, (duck) => impactOf(repo, compiled, duck, opts.base, branch));
  return printImpact(ctx, impactJson(impact), opts);
}

/** What both the local and the remote command print; the exit code (remote/lineage.ts). */
export function printImpact(
  ctx: CommandContext,
  impact: ImpactJson,
  opts: ImpactCliOptions,
): number {
  const { branch } = impact;
  ctx.out.result(impact, () => {
    const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
    ctx.out.line(`${branch} against ${opts.base}`);
    ctx.out.line(`  changed models:     ${list(impact.changed)}`);
    ctx.out.line(`  downstream models:  ${list(impact.downstream)}`);
    ctx.out.line(`  exposures affected: ${list(impact.exposures)}`);
    for (const c of impact.columnChanges)
      ctx.out.line(
        `  column ${c.table}.${c.column} ${c.change}${c.before || c.after ? ` (${c.before ?? ''}${c.before && c.after ? ' → ' : ''}${c.after ?? ''})` : ''}`,
      );
    for (const b of impact.breaking)
      ctx.out.line(
        `  BREAKING: ${b.table}.${b.column} ${b.change}, used by ${b.consumerKind} ${b.consumer}`,
      );
    if (impact.brokenExposures.length > 0)
      ctx.out.line(
        `  broken exposures: ${impact.brokenExposures.join(', ')}${opts.allowBreaking ? ' (allowed)' : ''}`,
      );
  });
  return impact.brokenExposures.length > 0 && !opts.allowBreaking ? 2 : 0;
}
