// A merge as the team workflow makes it, for every edge (the CLI's `sluice merge`, the server's
// merge route): through the destination's gate when the repository's rules protect it, else a
// plain merge, and recorded as one `merge` event — success, skipped (already up to date),
// failure (a gate refused it, or conflicts) or error (anything else it threw). The merge has
// happened when its event is appended: a failed append is reported to `onEventError`, never thrown.
import { errorLine } from '../common/error-line.js';
import { GateFailedError, MergeConflictError } from '../common/errors.js';
import type { MergeResult, Repository } from '../core/repository.js';
import { type GateReport, gatesOf } from '../quality/gates.js';
import type { CheckRun } from '../quality/run.js';
import { recordEvent } from './events/index.js';
import type { MergeEvent, StoredEvent, WorkflowEvent } from './events/types.js';

export interface GatedMergeOptions {
  strategy?: 'fail' | 'source-wins' | 'dest-wins';
  message?: string;
  metadata?: Record<string, string>;
  noFastForward?: boolean;
  /** Merge past a refusing gate, where the rules allow it (recorded in the commit). */
  force?: boolean;
  /** A failed event append (the merge itself stands). */
  onEventError?: (err: unknown) => void;
}

export interface GatedMerge {
  result: MergeResult;
  gate?: GateReport;
  /** The merge's event as stored (undefined when it could not be appended). */
  event?: StoredEvent;
}

type Names = Pick<MergeEvent, 'source' | 'destination' | 'sourceCommit'>;

/** Names of the checks of a run that did not pass (what a gate refuses on). */
const failedNames = (run: CheckRun | undefined): string[] =>
  (run?.results ?? [])
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => r.name);

/** The event of a merge that returned: landed (success) or already up to date (skipped). */
async function mergeEvent(
  repo: Repository,
  names: Names,
  r: MergeResult,
  gate: GateReport | undefined,
  startedAt: number,
): Promise<MergeEvent> {
  const failed = gate?.forced ? failedNames(gate.checks) : [];
  return {
    type: 'merge',
    outcome: r.upToDate ? 'skipped' : 'success',
    ...names,
    // Up to date: the destination did not move, and its head is what it holds after the merge.
    commit:
      r.commit?.id ??
      (await repo.getBranch(names.destination).then(
        (b) => b.head as string,
        () => undefined,
      )),
    ...(r.upToDate ? { reason: `${names.destination} already contains ${names.source}` } : {}),
    fastForward: r.fastForward,
    ...(gate?.checks ? { checks: gate.checks.summary } : {}),
    ...(gate?.forced ? { forced: true } : {}),
    ...(failed.length > 0 ? { failedChecks: failed } : {}),
    durationMs: Date.now() - startedAt,
  };
}

/** The event of a merge that threw: refused by a gate or by conflicts (failure), else error. */
function mergeErrorEvent(names: Names, err: unknown, startedAt: number): MergeEvent {
  const refused = err instanceof GateFailedError || err instanceof MergeConflictError;
  return {
    type: 'merge',
    outcome: refused ? 'failure' : 'error',
    ...names,
    ...(err instanceof GateFailedError ? { failedChecks: err.data.failed.map((f) => f.name) } : {}),
    ...(err instanceof MergeConflictError ? { conflicts: err.data.count } : {}),
    reason: errorLine(err),
    durationMs: Date.now() - startedAt,
  };
}

async function record(
  repo: Repository,
  make: () => WorkflowEvent | Promise<WorkflowEvent>,
  onError: ((err: unknown) => void) | undefined,
): Promise<StoredEvent | undefined> {
  try {
    return await recordEvent(repo, await make());
  } catch (err) {
    onError?.(err);
    return undefined;
  }
}

/** Merges `source` into `destination` through its gate, and records the merge's event. */
export async function gatedMerge(
  repo: Repository,
  source: string,
  destination: string,
  opts: GatedMergeOptions = {},
): Promise<GatedMerge> {
  const mergeOpts = {
    strategy: opts.strategy,
    message: opts.message,
    noFastForward: opts.noFastForward === true,
    ...(opts.metadata ? { metadata: opts.metadata } : {}),
  };
  const gates = gatesOf(repo);
  const startedAt = Date.now();
  // What the source named as the merge began: the event keeps it even if it moves later.
  // An unknown source leaves it out; the merge itself then says what is wrong.
  const sourceCommit = await repo.resolve(source).then(
    (s) => s.commit as string,
    () => undefined,
  );
  const names: Names = { source, destination, ...(sourceCommit ? { sourceCommit } : {}) };
  let outcome: { result: MergeResult; gate?: GateReport };
  try {
    outcome = gates
      ? await gates.merge(source, destination, { ...mergeOpts, force: opts.force === true })
      : { result: await repo.merge(source, destination, mergeOpts) };
  } catch (err) {
    await record(repo, () => mergeErrorEvent(names, err, startedAt), opts.onEventError);
    throw err;
  }
  const { result, gate } = outcome;
  const event = await record(
    repo,
    () => mergeEvent(repo, names, result, gate, startedAt),
    opts.onEventError,
  );
  return { result, ...(gate ? { gate } : {}), ...(event ? { event } : {}) };
}
