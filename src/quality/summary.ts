// A check's status and the counts of a set of results: the one summary every report, event and
// exit code is made from (check runs, a build's tests, a load's audit, smoke checks).

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error';

/** How many results had each status. */
export type CheckSummary = Record<CheckStatus, number>;

export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'warn', 'fail', 'error'];

/** pass < warn < fail < error: the worst status decides a run's verdict and exit code. */
export const STATUS_RANK: Readonly<Record<CheckStatus, number>> = {
  pass: 0,
  warn: 1,
  fail: 2,
  error: 3,
};

export const emptySummary = (): CheckSummary => ({ pass: 0, warn: 0, fail: 0, error: 0 });

/** Counts results by status; anything without a check status (a skipped test) is not counted. */
export function summarize(results: Iterable<{ status: string }>): CheckSummary {
  const s = emptySummary();
  for (const r of results) if (Object.hasOwn(s, r.status)) s[r.status as CheckStatus]++;
  return s;
}

/** The worst status of a set of results (`pass` for none). */
export function worstStatus(results: Iterable<{ status: CheckStatus }>): CheckStatus {
  let worst: CheckStatus = 'pass';
  for (const r of results) if (STATUS_RANK[r.status] > STATUS_RANK[worst]) worst = r.status;
  return worst;
}
