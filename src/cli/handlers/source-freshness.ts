// `sluice source freshness [--ref REF] [--select source:…] [--project DIR]`: dbt's source
// freshness on a branch — each source table's newest `loaded_at_field` against its
// `warn_after` / `error_after`, one fused scan per table — and `target/sources.json`. Read-only.
// Exit code (as dbt): 0 when every source is fresh or only warns, 2 when one is past
// error_after, 3 when one could not be measured (no table, no loaded_at_field, a bad column).
import { resolve } from 'node:path';
import { findRepoDir } from '../../index.js';
import {
  loadProject,
  type SourceFreshness,
  sourceFreshness,
  writeSourcesJson,
} from '../../pipeline/index.js';
import type { CommandContext } from '../runner.js';

interface FreshnessCliOptions {
  ref?: string;
  select?: string[];
  exclude?: string[];
  project?: string;
  artifacts: boolean;
}

const WORD: Record<SourceFreshness['status'], string> = {
  pass: 'PASS',
  warn: 'WARN',
  error: 'ERROR STALE',
  'runtime error': 'ERROR',
};

function age(s: number | undefined): string {
  if (s === undefined) return '-';
  const m = s / 60;
  return m < 120
    ? `${Math.round(m)} min`
    : m < 48 * 60
      ? `${(m / 60).toFixed(1)} h`
      : `${(m / 1440).toFixed(1)} d`;
}

export async function run(ctx: CommandContext, opts: FreshnessCliOptions): Promise<number> {
  const dir = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const project = loadProject(dir);
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const run = await sourceFreshness(repo, project, {
    ref,
    ...(opts.select ? { select: opts.select } : {}),
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
  });
  const artifact = opts.artifacts ? await writeSourcesJson(dir, run) : undefined;
  ctx.out.result({ ...run, ...(artifact ? { artifact } : {}) }, () => {
    if (run.results.length === 0) {
      ctx.out.note('no source declares a freshness: nothing to check');
      return;
    }
    ctx.out.table([
      ['SOURCE', 'STATUS', 'NEWEST', 'AGE', 'DETAIL'],
      ...run.results.map((r) => [
        `${r.source}.${r.table}`,
        WORD[r.status],
        r.maxLoadedAt ?? '-',
        age(r.ageSeconds),
        r.status === 'runtime error'
          ? (r.message ?? '')
          : [
              r.criteria.warnAfter
                ? `warn after ${r.criteria.warnAfter.count} ${r.criteria.warnAfter.period}`
                : '',
              r.criteria.errorAfter
                ? `error after ${r.criteria.errorAfter.count} ${r.criteria.errorAfter.period}`
                : '',
            ]
              .filter(Boolean)
              .join(', '),
      ]),
    ]);
  });
  if (run.results.some((r) => r.status === 'runtime error')) return 3;
  if (run.results.some((r) => r.status === 'error')) return 2;
  return 0;
}
