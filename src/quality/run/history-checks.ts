// Checks that compare with history rather than read the data: `row_count_change` (an earlier
// version of the table, row counts from file metadata) and `anomaly` (stored profiles).
import type { Repository } from '../../core/repository.js';
import { fileRows, getTable, type TableAtRef } from '../../engine/tables.js';
import { checkDef, type ProfileMetric } from '../checks.js';
import { metricOf, profileHistory, type TableProfile } from '../profile.js';
import type { CheckResult } from '../run.js';
import type { CheckSpec } from '../spec.js';
import { type RunState, setError } from './state.js';
import { baseResult, failingStatus } from './verdicts.js';

/** Runs the history checks (after the session: they read other commits and stored profiles). */
export async function runHistoryChecks(s: RunState): Promise<void> {
  for (const spec of s.specs) {
    if (checkDef(spec.type).kind !== 'history') continue;
    const r = baseResult(spec);
    try {
      s.results.set(
        spec.id,
        spec.type === 'row_count_change'
          ? await rowCountChange(s.repo, r, spec, s.commit, s.tables.get(spec.table) as TableAtRef)
          : await anomaly(s.repo, r, spec, s.commit, s.profiles.get(spec.table)),
      );
    } catch (err) {
      setError(s, spec, err);
    }
  }
}

const rowsOf = (t: TableAtRef): number => t.files.reduce((n, f) => n + (fileRows(f) ?? 0), 0);

/** `row_count_change`: the row count against an earlier version of the table (file metadata). */
async function rowCountChange(
  repo: Repository,
  r: CheckResult,
  s: CheckSpec,
  commit: string,
  current: TableAtRef,
): Promise<CheckResult> {
  const to = (s.params.compare_to as string | undefined) ?? 'previous';
  const base =
    to === 'previous' ? (await repo.getCommit(commit)).parents[0] : (await repo.resolve(to)).commit;
  const then =
    base === undefined ? undefined : await getTable(repo, base, s.table).catch(() => undefined);
  if (!then) return { ...r, message: `no earlier version of ${s.table} to compare with (${to})` };
  const now = rowsOf(current);
  const before = rowsOf(then);
  const pct =
    before === 0 ? (now === 0 ? 0 : Number.POSITIVE_INFINITY) : (100 * (now - before)) / before;
  const up = s.params.max_increase_pct as number | undefined;
  const down = s.params.max_decrease_pct as number | undefined;
  const bad = (up !== undefined && pct > up) || (down !== undefined && -pct > down);
  const change = Number.isFinite(pct) ? `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %` : 'from none';
  return {
    ...r,
    status: bad ? failingStatus(s) : 'pass',
    observed: Number.isFinite(pct) ? Math.round(pct * 100) / 100 : null,
    message: `${before} → ${now} rows (${change}) vs ${to}`,
  };
}

/** `anomaly`: a metric of the profile against its history (z-score over stored profiles). */
async function anomaly(
  repo: Repository,
  r: CheckResult,
  s: CheckSpec,
  commit: string,
  profile: TableProfile | undefined,
): Promise<CheckResult> {
  const metric = s.params.metric as ProfileMetric;
  const value = profile && metricOf(profile, metric, s.column);
  if (value === undefined)
    return { ...r, status: 'error', message: `${metric} cannot be measured here` };
  const lookback = (s.params.lookback as number | undefined) ?? 20;
  const need = (s.params.min_history as number | undefined) ?? 5;
  const sensitivity = (s.params.sensitivity as number | undefined) ?? 3;
  const history = (await profileHistory(repo, s.table, commit, lookback))
    .map((p) => metricOf(p, metric, s.column))
    .filter((v): v is number => v !== undefined);
  if (history.length < need)
    return {
      ...r,
      observed: value,
      message: `collecting history: ${history.length} of ${need} profiles`,
    };
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / (history.length - 1));
  const z =
    sd === 0 ? (value === mean ? 0 : Number.POSITIVE_INFINITY) : Math.abs(value - mean) / sd;
  const zText = Number.isFinite(z) ? z.toFixed(2) : '∞';
  return {
    ...r,
    status: z > sensitivity ? failingStatus(s) : 'pass',
    observed: value,
    message: `${value} vs mean ${mean.toFixed(2)} ± ${sd.toFixed(2)} over ${history.length} commits: z = ${zText} (limit ${sensitivity})`,
  };
}
