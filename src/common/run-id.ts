// One id format for every run Sluice makes — loads, builds, promotions, deploys, rollbacks, check
// runs, ingests: the UTC time to the millisecond as 17 digits, a dash, 8 random hex digits
// (`20261203091530123-1a2b3c4d`). Ids sort by start time as strings, and two processes starting
// in the same millisecond still get different ids (lakeFS names its runs with one NewRunID too).
import { randomBytes } from 'node:crypto';

/** The shape of every run id. */
export const RUN_ID_PATTERN = /^\d{17}-[0-9a-f]{8}$/;

/** A new run id, sortable by `now`, unique across processes. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 17);
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
