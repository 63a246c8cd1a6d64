// The `check` event of a check run, as `sluice check` and the server's check runs both record it —
// one shape, made here: success (passes and warnings), failure (a check failed or could not run),
// error (the run threw: a spec that cannot be used …).
import { errorLine } from '../../common/error-line.js';
import type { Repository } from '../../core/repository.js';
import type { CheckRun } from '../../quality/run.js';
import type { CheckEvent } from './types.js';

/** The event of a check run that returned: failure when a check failed or could not run. */
export function checkEvent(run: CheckRun): CheckEvent {
  const s = run.summary;
  return {
    type: 'check',
    outcome: s.fail + s.error > 0 ? 'failure' : 'success',
    ref: run.ref,
    commit: run.commit,
    ...(run.id ? { runId: run.id } : {}),
    tables: [...new Set(run.results.map((r) => r.table))].sort(),
    summary: { pass: s.pass, warn: s.warn, fail: s.fail, error: s.error },
    durationMs: Math.round(run.durationMs),
  };
}

/**
 * The event of a check run that threw. A check event names the commit it checked: when the ref
 * does not resolve there is none, and nothing to record (the error says what is wrong).
 */
export async function checkErrorEvent(
  repo: Repository,
  ref: string,
  table: string | undefined,
  err: unknown,
  startedAt: number,
): Promise<CheckEvent | undefined> {
  const commit = await repo.resolve(ref).then(
    (r) => r.commit as string,
    () => undefined,
  );
  if (commit === undefined) return undefined;
  return {
    type: 'check',
    outcome: 'error',
    ref,
    commit,
    ...(table ? { tables: [table] } : {}),
    summary: { pass: 0, warn: 0, fail: 0, error: 0 },
    reason: errorLine(err),
    durationMs: Date.now() - startedAt,
  };
}
