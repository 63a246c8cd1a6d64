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
//    again. Concurrent runs into one target all land or
//    fail on their own merits, and none is lost.
//
// A run whose checks (or the gate's) fail keeps its branch for inspection, sends an alert and
// reports `failure`; one that cannot run (bad input, a source error) sends an alert, records
// `error`, deletes its empty branch and throws. Every run is a `load` event (plus its `check` and
// `merge` events).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ConcurrentUpdateError,
  EmptyCommitError,
  GateFailedError,
  MergeConflictError,
} from '../common/errors.js';
import type { Repository } from '../core/repository.js';
import { blocking, gatesOf, specsFor } from '../quality/gates.js';
import { type CheckRun, runChecks } from '../quality/run.js';
import { type CheckSpec, loadSpecs, parseSpecText } from '../quality/spec.js';
import { ingest } from '../tables/ingest.js';
import type { SendAlertResult } from './alerts.js';
import {
  describeOrigin,
  type Env,
  findIngestor,
  type Ingestor,
  type WorkflowConfig,
} from './config.js';
import { type CheckSummary, recordEvent, type StoredEvent } from './events.js';
import { notify } from './notify.js';
import { resolveFilesSource } from './sources/files.js';
import { fetchRestSource } from './sources/rest.js';

export interface LoadOptions {
  /** Merge into this branch instead of the ingestor's `into`. */
  into?: string;
  /** Where `${VAR}` references are looked up; default process.env. */
  env?: Env;
  /** Overrides the REST source's and the alert sinks' backoff (tests). */
  backoffMs?: number;
  /** Times the run is redone when another run rewrote the same files first; default 8. */
  attempts?: number;
  /** Progress, for the CLI. */
  onPhase?: (phase: 'fetch' | 'write' | 'audit' | 'publish', detail?: string) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
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
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A run id: sortable by time, unique across processes. */
export function newLoadRunId(now = new Date()): string {
  return `${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`;
}

const summaryOf = (run: CheckRun): CheckSummary => {
  const s: CheckSummary = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const r of run.results) s[r.status]++;
  return s;
};

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
  const started = Date.now();
  const ing = findIngestor(config, name);
  const where = describeOrigin('ingestor', ing);
  const target = (await repo.getBranch(opts.into ?? ing.into)).name;
  const runId = newLoadRunId();
  const branch = `ingest/${ing.name}/${runId}`;
  const specs = specsOf(repoDir, ing); // a bad checks file fails before anything happens
  const base = { ingestor: ing.name, runId, branch, target, table: ing.table };
  const alertRefs = { branch, target, runId, table: ing.table, ingestor: ing.name };

  /** A run that could not run: recorded, alerted, its empty branch removed, the error thrown. */
  const abort = async (err: unknown, commit?: string): Promise<never> => {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    const event = await recordEvent(repo, {
      type: 'load',
      outcome: 'error',
      ...base,
      ...(commit ? { commit } : {}),
      tables: [ing.table],
      reason,
      durationMs: Date.now() - started,
    });
    await notify(
      repo,
      config.alerts,
      {
        type: 'load.error',
        title: `load ${ing.name} could not run`,
        text: reason,
        severity: 'error',
        outcome: 'error',
        refs: alertRefs,
        details: { code: (err as { code?: string }).code ?? 'Error' },
      },
      alertOpts(event.id),
    );
    if (!commit) await repo.deleteBranch(branch).catch(() => {});
    throw err;
  };
  const alertOpts = (eventId: number) => ({
    eventId,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.backoffMs !== undefined ? { backoffBaseMs: opts.backoffMs } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  // 1. Fetch.
  opts.onPhase?.('fetch', ing.kind === 'rest' ? ing.url : ing.path);
  let inputs: string[];
  let cleanup = async (): Promise<void> => {};
  try {
    if (ing.kind === 'files') {
      inputs = await resolveFilesSource(
        repoDir,
        { path: ing.path, ...(ing.format ? { format: ing.format } : {}) },
        where,
      );
    } else {
      const got = await fetchRestSource(ing, {
        where,
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      cleanup = got.cleanup;
      if (got.records === 0) {
        await cleanup();
        const event = await recordEvent(repo, {
          type: 'load',
          outcome: 'skipped',
          ...base,
          rows: 0,
          reason: 'the source returned no records',
          durationMs: Date.now() - started,
        });
        return {
          ...base,
          status: 'skipped',
          rows: 0,
          failed: [],
          reason: 'the source returned no records',
          attempts: 0,
          durationMs: Date.now() - started,
          event,
        };
      }
      inputs = [got.file];
    }
  } catch (err) {
    return abort(err);
  }

  try {
    let attempt = 0;
    const maxAttempts = Math.max(1, opts.attempts ?? 8);
    const maxTries = 200; // merges onto a target other runs keep moving
    let from: string = target;
    for (;;) {
      attempt++;
      // 2. Write: on the target's current head (again, after another run landed first).
      opts.onPhase?.('write', branch);
      if (attempt === 1) await repo.createBranch(branch, { from });
      else await repo.resetBranch(branch, from);
      let rows = 0;
      let commit: string;
      try {
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
        rows = res.rowsWritten;
        commit = (
          await repo.commit(branch, {
            message: `load ${ing.name}: ${rows} row(s) into ${ing.table} (run ${runId})`,
            metadata: {
              'sluice.ingestor': ing.name,
              'sluice.run_id': runId,
              'sluice.table': ing.table,
              'sluice.source_digest': digestOf(inputs),
            },
          })
        ).id;
      } catch (err) {
        if (err instanceof EmptyCommitError) {
          await repo.deleteBranch(branch);
          const event = await recordEvent(repo, {
            type: 'load',
            outcome: 'skipped',
            ...base,
            rows,
            reason: 'nothing changed',
            durationMs: Date.now() - started,
          });
          return {
            ...base,
            status: 'skipped',
            rows,
            failed: [],
            reason: 'nothing changed',
            attempts: attempt,
            durationMs: Date.now() - started,
            event,
          };
        }
        throw err;
      }

      // 3. Audit.
      opts.onPhase?.('audit', `${specs.length} check(s)`);
      let checks: CheckRun | undefined;
      let failed: LoadRun['failed'] = [];
      if (specs.length > 0) {
        checks = await runChecks(repo, specs, { ref: branch, store: true });
        failed = blocking(checks);
        await recordEvent(repo, {
          type: 'check',
          outcome: failed.length > 0 ? 'failure' : 'success',
          ref: branch,
          commit,
          runId,
          tables: [ing.table],
          summary: summaryOf(checks),
        });
      }

      // 4. Publish.
      let reason: string | undefined;
      let mergeCommit: string | undefined;
      if (failed.length === 0) {
        opts.onPhase?.('publish', target);
        const message = `load ${ing.name} (run ${runId})`;
        const metadata = { 'sluice.ingestor': ing.name, 'sluice.run_id': runId };
        let redo = false;
        for (let tries = 1; ; tries++) {
          try {
            const gates = gatesOf(repo);
            // The gate need not measure again what the audit measured on the same commit.
            const merged = gates
              ? (
                  await gates.merge(branch, target, {
                    message,
                    metadata,
                    ...(checks ? { audited: checks } : {}),
                  })
                ).result
              : await repo.merge(branch, target, { message, metadata });
            mergeCommit = merged.commit?.id ?? (await repo.getBranch(target)).head;
            await recordEvent(repo, {
              type: 'merge',
              outcome: 'success',
              source: branch,
              destination: target,
              commit: mergeCommit,
              ...(merged.fastForward !== undefined ? { fastForward: merged.fastForward } : {}),
            });
            break;
          } catch (err) {
            // Another run landed while the gate checked this one: merge again onto the new head
            // (the gate checks the new result), after a short random pause so racers spread out.
            if (err instanceof ConcurrentUpdateError && tries < maxTries) {
              await sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(tries, 5)));
              continue;
            }
            // Both rewrote the same files (upserts): redo the whole run on the new head.
            if (err instanceof MergeConflictError && attempt < maxAttempts) {
              redo = true;
              break;
            }
            if (!(err instanceof GateFailedError)) throw err;
            failed = err.data.failed;
            reason = err.message;
            await recordEvent(repo, {
              type: 'merge',
              outcome: 'failure',
              source: branch,
              destination: target,
              failedChecks: failed.map((f) => f.name),
              reason,
            });
            break;
          }
        }
        if (redo) {
          from = target;
          continue;
        }
      }
      if (failed.length === 0 && mergeCommit) {
        await repo.deleteBranch(branch);
        const event = await recordEvent(repo, {
          type: 'load',
          outcome: 'success',
          ...base,
          commit,
          mergeCommit,
          rows,
          tables: [ing.table],
          durationMs: Date.now() - started,
        });
        return {
          ...base,
          status: 'success',
          rows,
          commit,
          mergeCommit,
          ...(checks ? { checks } : {}),
          failed: [],
          attempts: attempt,
          durationMs: Date.now() - started,
          event,
        };
      }
      // Refused: the branch stays, an alert goes out.
      reason ??= `${failed.length} check(s) did not pass: ${failed.map((f) => `${f.table}: ${f.name}`).join(', ')}`;
      const event = await recordEvent(repo, {
        type: 'load',
        outcome: 'failure',
        ...base,
        commit,
        rows,
        tables: [ing.table],
        failedChecks: failed.map((f) => f.name),
        reason,
        durationMs: Date.now() - started,
      });
      const alert = await notify(
        repo,
        config.alerts,
        {
          type: 'load.failed',
          title: `load ${ing.name} stopped on ${branch}: ${failed.length} check(s) failed`,
          text: `${reason}. ${target} was not changed; inspect the batch with \`sluice sql --ref ${branch}\`.`,
          severity: 'error',
          outcome: 'failure',
          refs: { ...alertRefs, commit },
          details: {
            failed: failed.map((f) => ({
              table: f.table,
              check: f.name,
              status: f.status,
              ...(f.message ? { message: f.message } : {}),
            })),
            rows,
          },
        },
        alertOpts(event.id),
      );
      return {
        ...base,
        status: 'failure',
        rows,
        commit,
        ...(checks ? { checks } : {}),
        failed,
        reason,
        attempts: attempt,
        durationMs: Date.now() - started,
        event,
        alert,
      };
    }
  } catch (err) {
    // Whatever was committed on the run branch stays there for inspection.
    const head = await repo.getBranch(branch).then(
      (b) => b.head,
      () => undefined,
    );
    const fromHead = await repo.getBranch(target).then(
      (b) => b.head,
      () => undefined,
    );
    return abort(err, head !== undefined && head !== fromHead ? head : undefined);
  } finally {
    await cleanup();
  }
}

/** A digest of the inputs' names and sizes (what the commit metadata says was loaded). */
function digestOf(files: string[]): string {
  return createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
}
