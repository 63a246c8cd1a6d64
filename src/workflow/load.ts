// `sluice load NAME`: one write–audit–publish run of an ingestor.
//
// 1. Fetch: the files ingestor's inputs, or every page of the REST endpoint into a local NDJSON
//    file. A source that fails (HTTP errors after the retries, invalid JSON) stops the run here:
//    no branch, nothing staged.
// 2. Write: branch `ingest/<name>/<run-id>` from the target's head, ingest, commit.
// 3. Audit: the checks of the tables written (checks/*.yml and models/*.yml, or the ingestor's
//    own file), on the run branch, stored like any check run.
// 4. Publish: merge into the target through the same gates as any merge (a fast-forward to the
//    audited commit lets the gate take the audit's verdicts instead of measuring them again: the
//    same commit is the same data). If another run landed while the gate checked this one, the
//    merge is made again onto the new head (and checked again); if both rewrote the same files
//    (upserts), the run is redone on the new head — the same inputs written, checked and merged
//    again. Concurrent runs into one target all land or fail on their own merits, and none is
//    lost.
//
// A run whose checks (or the gate's) fail keeps its branch for inspection, sends an alert and
// reports `failure`; one that cannot run (bad input, a source error) is an `error` — recorded,
// alerted and its branch removed unless it committed something, by the run lifecycle
// (run-lifecycle.ts). Every run is a `load` event (plus its `check` and `merge` events).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ConcurrentUpdateError,
  EmptyCommitError,
  GateFailedError,
  MergeConflictError,
} from '../common/errors.js';
import { redactUrl } from '../common/secrets.js';
import type { IdempotencyClaim, IdempotencyRecord, Repository } from '../core/repository.js';
import { specsFor } from '../quality/gate-checks.js';
import { gatesOf } from '../quality/gates.js';
import type { CheckRun } from '../quality/run.js';
import { type CheckSpec, loadSpecs, parseSpecText } from '../quality/spec.js';
import { ingest } from '../tables/ingest.js';
import type { SendAlertResult } from './alerts.js';
import { recordCheckStep, runCheckStep } from './check-step.js';
import {
  describeOrigin,
  findIngestor,
  type Ingestor,
  type WorkflowConfig,
} from './config/index.js';
import type { LoadEvent, StoredEvent } from './events/index.js';
import { type LandedRun, landedUnder, loadRequest, replayReason } from './load-request.js';
import {
  errorDetails,
  failedDetails,
  type RefusingCheck,
  refusalReason,
  runWorkflow,
  type WorkflowRun,
  type WorkflowRunOptions,
} from './run-lifecycle.js';
import { resolveFilesSource } from './sources/files.js';
import { fetchRestSource } from './sources/rest.js';

export type LoadPhase = 'fetch' | 'write' | 'audit' | 'publish';

export interface LoadOptions extends WorkflowRunOptions<LoadPhase> {
  /** Merge into this branch instead of the ingestor's `into`. */
  into?: string;
  /** Times the run is redone when another run rewrote the same files first; default 8. */
  attempts?: number;
  /**
   * The request's idempotency key: recorded with the merge that lands the run; a run with a key
   * that landed already loads nothing and answers with the first run's commits (`replayed`).
   */
  idempotencyKey?: string;
}

export type LoadStatus = 'success' | 'failure' | 'skipped';

export interface LoadRun {
  ingestor: string;
  runId: string;
  /** `ingest/<name>/<run-id>`: kept when the run failed its checks. */
  branch: string;
  target: string;
  status: LoadStatus;
  table: string;
  rows: number;
  /** The ingest commit on the run branch. */
  commit?: string;
  /** The target's head after the merge. */
  mergeCommit?: string;
  checks?: CheckRun;
  /** The checks (or gate checks) that refused the run. */
  failed: { id: string; name: string; table: string; status: string; message?: string }[];
  /** Why it failed or was skipped. */
  reason?: string;
  /** Times the batch was written (more than 1 when redone after a conflicting run landed). */
  attempts: number;
  durationMs: number;
  event: StoredEvent;
  alert?: SendAlertResult;
  /** The idempotency key had landed a run already: its commits; nothing was loaded now. */
  replayed?: boolean;
}

/** Merges retried onto a target other runs keep moving. */
const MAX_MERGE_TRIES = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What every phase of one run reads: the ingestor, where it writes, what it checks. */
interface LoadState {
  repo: Repository;
  repoDir: string;
  config: WorkflowConfig;
  ing: Ingestor;
  run: WorkflowRun;
  /** `ingest/<name>/<run-id>`. */
  branch: string;
  target: string;
  specs: CheckSpec[];
  opts: LoadOptions;
  /** The names every load event and result carry. */
  base: { ingestor: string; runId: string; branch: string; target: string; table: string };
  /** The request's idempotency key and what it names (load-request.ts). */
  request?: Pick<IdempotencyClaim, 'key' | 'request'>;
}

/** One written batch on the run branch. */
interface Written {
  commit: string;
  rows: number;
  attempt: number;
}

/** The checks a run audits: the table's own, none, or the ingestor's checks file. */
function specsOf(repoDir: string, ing: Ingestor): CheckSpec[] {
  if (ing.checks === false) return [];
  if (ing.checks === true) return specsFor(loadSpecs(repoDir), new Set([ing.table]));
  return parseSpecText(readFileSync(ing.checks, 'utf8'), ing.checks);
}

/** Performs one write–audit–publish run of the ingestor `name`. */
export async function runLoad(
  repo: Repository,
  repoDir: string,
  config: WorkflowConfig,
  name: string,
  opts: LoadOptions = {},
): Promise<LoadRun> {
  // Validate: an unknown ingestor or target, or a bad checks file, fails before the run starts.
  const ing = findIngestor(config, name);
  const target = (await repo.getBranch(opts.into ?? ing.into)).name;
  const specs = specsOf(repoDir, ing);
  let state: LoadState | undefined;
  return runWorkflow(
    repo,
    {
      kind: 'load',
      alerts: config.alerts,
      options: opts as WorkflowRunOptions,
      failure: {
        event: async (run, reason) => {
          const s = state as LoadState;
          const commit = await ownCommit(s);
          return {
            type: 'load',
            outcome: 'error',
            ...s.base,
            ...(commit ? { commit } : {}),
            tables: [ing.table],
            reason,
            durationMs: run.elapsedMs(),
          };
        },
        alert: (_run, reason, err) => ({
          type: 'load.error',
          title: `load ${ing.name} could not run`,
          text: reason,
          severity: 'error',
          outcome: 'error',
          refs: alertRefs(state as LoadState),
          details: errorDetails(err),
        }),
      },
    },
    async (run) => {
      const branch = `ingest/${ing.name}/${run.id}`;
      const base = { ingestor: ing.name, runId: run.id, branch, target, table: ing.table };
      const request = loadRequest(opts.idempotencyKey, ing.name, target);
      const s: LoadState = { repo, repoDir, config, ing, run, branch, target, specs, opts, base };
      if (request) s.request = request;
      state = s;
      // A request landed already: nothing to fetch or write.
      const applied = request && (await repo.appliedRequest(request));
      if (applied) return replayed(s, applied);
      // A run branch with nothing committed on it goes when the run cannot finish.
      run.onFailure(async () => {
        if ((await ownCommit(s)) === undefined) await repo.deleteBranch(branch);
      });
      const fetched = await fetchInputs(s);
      if (fetched.inputs.length === 0) return skipped(s, 0, 0, 'the source returned no records');
      try {
        return await writeAuditPublish(s, fetched.inputs);
      } finally {
        await fetched.cleanup();
      }
    },
  );
}

const alertRefs = (s: LoadState) => ({
  branch: s.branch,
  target: s.target,
  runId: s.run.id,
  table: s.ing.table,
  ingestor: s.ing.name,
});

/** The commit the run made on its branch, if any (its head, unless that is the target's). */
async function ownCommit(s: LoadState): Promise<string | undefined> {
  const head = await s.repo.getBranch(s.branch).then(
    (b) => b.head,
    () => undefined,
  );
  const targetHead = await s.repo.getBranch(s.target).then(
    (b) => b.head,
    () => undefined,
  );
  return head !== undefined && head !== targetHead ? head : undefined;
}

// ---- 1. fetch ---------------------------------------------------------------------------------

/** The input files (none: the source had no records) and how to remove what the fetch made. */
async function fetchInputs(
  s: LoadState,
): Promise<{ inputs: string[]; cleanup: () => Promise<void> }> {
  const { ing, opts } = s;
  s.run.phase('fetch', ing.kind === 'rest' ? redactUrl(ing.url) : ing.path);
  const where = describeOrigin('ingestor', ing);
  if (ing.kind === 'files') {
    const inputs = await resolveFilesSource(
      s.repoDir,
      { path: ing.path, ...(ing.format ? { format: ing.format } : {}) },
      where,
    );
    return { inputs, cleanup: async () => {} };
  }
  const got = await fetchRestSource(ing, {
    where,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (got.records === 0) {
    await got.cleanup();
    return { inputs: [], cleanup: async () => {} };
  }
  return { inputs: [got.file], cleanup: got.cleanup };
}

// ---- 2–4. write, audit, publish, redone while another run rewrote the same files first ---------

async function writeAuditPublish(s: LoadState, inputs: string[]): Promise<LoadRun> {
  const maxAttempts = Math.max(1, s.opts.attempts ?? 8);
  for (let attempt = 1; ; attempt++) {
    const written = await writeBatch(s, inputs, attempt);
    if (written.commit === undefined)
      return skipped(s, written.rows, attempt, 'nothing changed', true);
    const audit = await auditBatch(s, written);
    if (audit.failed.length > 0) return refused(s, written, audit.checks, audit.failed);
    const published = await publish(s, audit.checks, attempt < maxAttempts, written);
    if (published.kind === 'redo') continue;
    if (published.kind === 'replayed') {
      await s.repo.deleteBranch(s.branch);
      return replayed(s, published.rec);
    }
    if (published.kind === 'refused')
      return refused(s, written, audit.checks, published.failed, published.reason);
    return landed(s, written, audit.checks, published.mergeCommit);
  }
}

/** 2. The batch on the run branch, from the target's current head (no commit: nothing changed). */
async function writeBatch(
  s: LoadState,
  inputs: string[],
  attempt: number,
): Promise<Written | { commit: undefined; rows: number }> {
  const { repo, ing, branch } = s;
  s.run.phase('write', branch);
  if (attempt === 1) await repo.createBranch(branch, { from: s.target });
  else await repo.resetBranch(branch, s.target);
  const res = await ingest(repo, inputs, {
    table: ing.table,
    branch,
    mode: ing.mode,
    ...(ing.key ? { key: ing.key } : {}),
    ...(ing.partitionBy ? { partitionBy: ing.partitionBy } : {}),
    ...(ing.kind === 'files'
      ? { csv: ing.csv, ...(ing.format ? { format: ing.format } : {}) }
      : { format: 'ndjson' as const }),
  });
  const rows = res.rowsWritten;
  try {
    const commit = await repo.commit(branch, {
      message: `load ${ing.name}: ${rows} row(s) into ${ing.table} (run ${s.run.id})`,
      metadata: {
        'sluice.ingestor': ing.name,
        'sluice.run_id': s.run.id,
        'sluice.table': ing.table,
        'sluice.source_digest': digestOf(inputs),
      },
    });
    return { commit: commit.id, rows, attempt };
  } catch (err) {
    if (err instanceof EmptyCommitError) return { commit: undefined, rows };
    throw err;
  }
}

/** 3. The run's checks on its branch, stored, as a `check` event. */
async function auditBatch(
  s: LoadState,
  _written: Written,
): Promise<{ checks?: CheckRun; failed: LoadRun['failed'] }> {
  s.run.phase('audit', `${s.specs.length} check(s)`);
  if (s.specs.length === 0) return { failed: [] };
  const step = await runCheckStep(s.run, s.specs, s.branch);
  await recordCheckStep(s.run, step, s.specs);
  return { checks: step.checked, failed: step.failed };
}

type Published =
  | { kind: 'merged'; mergeCommit: string }
  | { kind: 'replayed'; rec: IdempotencyRecord }
  | { kind: 'redo' }
  | { kind: 'refused'; failed: LoadRun['failed']; reason: string };

/**
 * 4. The merge into the target, through its gates. Merged again when the target moved while the
 * gate checked (after a short random pause, so racers spread out); `redo` when both rewrote the
 * same files and the batch may be written again.
 */
async function publish(
  s: LoadState,
  checks: CheckRun | undefined,
  mayRedo: boolean,
  written: Written,
): Promise<Published> {
  const { repo, branch, target } = s;
  s.run.phase('publish', target);
  const message = `load ${s.ing.name} (run ${s.run.id})`;
  const metadata = { 'sluice.ingestor': s.ing.name, 'sluice.run_id': s.run.id };
  const landed: LandedRun = {
    runId: s.run.id,
    commit: written.commit,
    rows: written.rows,
    attempts: written.attempt,
  };
  const idempotency = s.request && { ...s.request, result: () => ({ ...landed }) };
  // A run racing another with its key: the one that landed first answers for both.
  const landedFirst = async (): Promise<Published | undefined> => {
    const rec = s.request && (await repo.appliedRequest(s.request));
    return rec ? { kind: 'replayed', rec } : undefined;
  };
  for (let tries = 1; ; tries++) {
    try {
      const first = await landedFirst();
      if (first) return first;
      const gates = gatesOf(repo);
      // The gate need not measure again what the audit measured on the same commit.
      const merged = gates
        ? (
            await gates.merge(branch, target, {
              message,
              metadata,
              ...(checks ? { audited: checks } : {}),
              ...(idempotency ? { idempotency } : {}),
            })
          ).result
        : await repo.merge(branch, target, {
            message,
            metadata,
            ...(idempotency ? { idempotency } : {}),
          });
      if (merged.replayed) return { kind: 'replayed', rec: merged.replayed };
      const mergeCommit = merged.commit?.id ?? (await repo.getBranch(target)).head;
      await s.run.record({
        type: 'merge',
        outcome: 'success',
        source: branch,
        destination: target,
        commit: mergeCommit,
        ...(merged.fastForward !== undefined ? { fastForward: merged.fastForward } : {}),
      });
      return { kind: 'merged', mergeCommit };
    } catch (err) {
      if (err instanceof ConcurrentUpdateError && tries < MAX_MERGE_TRIES) {
        await sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(tries, 5)));
        continue;
      }
      if (err instanceof MergeConflictError && mayRedo) return { kind: 'redo' };
      if (!(err instanceof GateFailedError)) throw err;
      const first = await landedFirst();
      if (first) return first;
      await s.run.record({
        type: 'merge',
        outcome: 'failure',
        source: branch,
        destination: target,
        failedChecks: err.data.failed.map((f) => f.name),
        reason: err.message,
      });
      return { kind: 'refused', failed: err.data.failed, reason: err.message };
    }
  }
}

// ---- the run's outcomes -----------------------------------------------------------------------

/** Nothing to load (no records, or nothing changed): no branch left, a `skipped` event. */
async function skipped(
  s: LoadState,
  rows: number,
  attempts: number,
  reason: string,
  branchMade = false,
): Promise<LoadRun> {
  if (branchMade) await s.repo.deleteBranch(s.branch);
  const event = await s.run.record({
    type: 'load',
    outcome: 'skipped',
    ...s.base,
    rows,
    reason,
    durationMs: s.run.elapsedMs(),
  });
  return {
    ...s.base,
    status: 'skipped',
    rows,
    failed: [],
    reason,
    attempts,
    durationMs: s.run.elapsedMs(),
    event,
  };
}

/** Landed before, under the run's idempotency key: nothing loaded now, a `skipped` event. */
async function replayed(s: LoadState, rec: IdempotencyRecord): Promise<LoadRun> {
  const first = landedUnder(rec);
  const reason = replayReason(rec, first);
  const event = await s.run.record({
    type: 'load',
    outcome: 'skipped',
    ...s.base,
    commit: first.commit,
    mergeCommit: first.mergeCommit,
    rows: first.rows,
    tables: [s.ing.table],
    reason,
    durationMs: s.run.elapsedMs(),
  });
  return {
    ...s.base,
    status: 'success',
    replayed: true,
    rows: first.rows,
    commit: first.commit,
    mergeCommit: first.mergeCommit,
    failed: [],
    reason,
    attempts: first.attempts,
    durationMs: s.run.elapsedMs(),
    event,
  };
}

/** Landed: the run branch goes, a `success` event. */
async function landed(
  s: LoadState,
  written: Written,
  checks: CheckRun | undefined,
  mergeCommit: string,
): Promise<LoadRun> {
  await s.repo.deleteBranch(s.branch);
  const event = await s.run.record({
    type: 'load',
    outcome: 'success',
    ...s.base,
    commit: written.commit,
    mergeCommit,
    rows: written.rows,
    tables: [s.ing.table],
    durationMs: s.run.elapsedMs(),
  } satisfies LoadEvent);
  return {
    ...s.base,
    status: 'success',
    rows: written.rows,
    commit: written.commit,
    mergeCommit,
    ...(checks ? { checks } : {}),
    failed: [],
    attempts: written.attempt,
    durationMs: s.run.elapsedMs(),
    event,
  };
}

/** Refused by its checks or the gate's: the branch stays for inspection, an alert goes out. */
async function refused(
  s: LoadState,
  written: Written,
  checks: CheckRun | undefined,
  failed: LoadRun['failed'],
  gateReason?: string,
): Promise<LoadRun> {
  const reason = gateReason ?? refusalReason(failed as RefusingCheck[]);
  const event = await s.run.record({
    type: 'load',
    outcome: 'failure',
    ...s.base,
    commit: written.commit,
    rows: written.rows,
    tables: [s.ing.table],
    failedChecks: failed.map((f) => f.name),
    reason,
    durationMs: s.run.elapsedMs(),
  });
  const alert = await s.run.alert(
    {
      type: 'load.failed',
      title: `load ${s.ing.name} stopped on ${s.branch}: ${failed.length} check(s) failed`,
      text: `${reason}. ${s.target} was not changed; inspect the batch with \`sluice sql --ref ${s.branch}\`.`,
      severity: 'error',
      outcome: 'failure',
      refs: { ...alertRefs(s), commit: written.commit },
      details: { failed: failedDetails(failed), rows: written.rows },
    },
    event,
  );
  return {
    ...s.base,
    status: 'failure',
    rows: written.rows,
    commit: written.commit,
    ...(checks ? { checks } : {}),
    failed,
    reason,
    attempts: written.attempt,
    durationMs: s.run.elapsedMs(),
    event,
    alert,
  };
}

/** A digest of the inputs' names and sizes (what the commit metadata says was loaded). */
function digestOf(files: string[]): string {
  return createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
}
