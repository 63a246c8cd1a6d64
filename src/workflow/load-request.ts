// A load as an idempotent request (issue 14): `sluice load NAME --idempotency-key K`. The key is
// recorded with the publish merge that moves the target (so only a run that landed holds it); a run
// retried with the key — after the first landed, or racing it — lands nothing and answers with the
// first run's commits, recorded as a `skipped` load event that names the run it repeats.
import type { IdempotencyClaim, IdempotencyRecord } from '../core/repository.js';

/** What the key's record keeps of the run that landed (the rest is in its events). */
export interface LandedRun {
  runId: string;
  commit: string;
  rows: number;
  attempts: number;
}

/** The request a load's key answers: this ingestor into this target. */
export function loadRequest(
  key: string | undefined,
  ingestor: string,
  target: string,
): Pick<IdempotencyClaim, 'key' | 'request'> | undefined {
  return key === undefined ? undefined : { key, request: `load ${ingestor} into ${target}` };
}

/** The run that landed under the key, and the target head its merge made. */
export function landedUnder(rec: IdempotencyRecord): LandedRun & { mergeCommit: string } {
  return { ...(JSON.parse(rec.data) as LandedRun), mergeCommit: rec.commitId };
}

/** The `skipped` event of a retried load: which run landed the request first. */
export function replayReason(rec: IdempotencyRecord, first: LandedRun): string {
  return `already applied under idempotency key ${JSON.stringify(rec.key)} by run ${first.runId}`;
}
