// `sluice check [--ref REF] [--table NAME] [--project DIR] [--sample N] [--html FILE]`: runs the
// checks of the project's `checks/*.yml` and `models/*.yml` on the tables at a ref. Exit code:
// 0 all pass, 1 warnings only, 2 failures, 3 errors (a check that could not run, or a spec that
// cannot be used). --html writes the data docs of the run (results, samples, history charts).
// Each run is a `check` event (../events.ts) — also with --no-store, which keeps the results and
// profiles out of the history, not the run out of the event log: success (passes and warnings),
// failure (a check failed or errored), error (it threw: a spec that cannot be used …).
import { resolve } from 'node:path';
import {
  type CheckResult,
  type CheckRun,
  CheckSpecError,
  type CheckStatus,
  findRepoDir,
  InvalidArgumentError,
  loadSpecs,
  runChecks,
  type StoredEvent,
} from '../../index.js';
import { type CheckDocument, checkDocument } from '../../internal.js';
import { writeDataDocs } from '../../quality/index.js';
import { checkErrorEvent, checkEvent } from '../../workflow/index.js';
import { withEvent } from '../events.js';
import { nonNegativeInt } from '../options.js';
import type { CommandContext } from '../runner.js';

export const EXIT: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2, error: 3 };
const MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
};

interface CheckCliOptions {
  ref?: string;
  table?: string;
  project?: string;
  sample?: string;
  store: boolean;
  html?: string;
}

function detail(r: CheckResult): string {
  if (r.message && r.status === 'error') return r.message;
  const parts: string[] = [];
  if (r.unexpectedCount !== undefined)
    parts.push(
      `${r.unexpectedCount} of ${r.elementCount} failing (${(r.unexpectedPercent ?? 0).toFixed(1)} %)`,
    );
  else if (r.observed !== undefined) parts.push(`observed ${JSON.stringify(r.observed)}`);
  if (r.message) parts.push(r.message);
  return parts.join('; ');
}

/** Registers `check` and returns it, for its subcommands (`history`, …). */
export async function run(ctx: CommandContext, opts: CheckCliOptions): Promise<number> {
  const sample = nonNegativeInt(opts.sample, '--sample');
  const project = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const startedAt = Date.now();
  let run: CheckRun;
  let event: StoredEvent | undefined;
  try {
    // The specs are read inside the run: one that cannot be used is an errored check run.
    ({ value: run, event } = await withEvent(
      ctx,
      repo,
      'check',
      () =>
        runChecks(repo, loadSpecs(project), {
          ref,
          table: opts.table,
          sample,
          store: opts.store,
        }),
      {
        done: checkEvent,
        failed: (err) => checkErrorEvent(repo, ref, opts.table, err, startedAt),
      },
    ));
  } catch (err) {
    // A spec that cannot be used is an error of the run (exit 3), reported like any error.
    if (!(err instanceof CheckSpecError)) throw err;
    ctx.out.error(err);
    return EXIT.error;
  }
  const html = opts.html === undefined ? undefined : resolve(opts.html);
  if (html !== undefined) {
    try {
      await writeDataDocs(repo, run, html);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== 'string' || !(err as NodeJS.ErrnoException).syscall) throw err;
      // Like a spec that cannot be used: an error of the run (exit 3), reported as such.
      ctx.out.error(
        new InvalidArgumentError(`cannot write ${html}: ${(err as Error).message}`, {
          argument: '--html',
          reason: code,
        }),
      );
      return EXIT.error;
    }
  }
  printCheck(ctx, checkDocument(run, event, html));
  return EXIT[run.status];
}

/** Prints a check run's document (`--json`: as it is): the local and the remote command's. */
export function printCheck(ctx: CommandContext, doc: CheckDocument): void {
  const run = doc.check;
  const html = doc.html;
  ctx.out.result(doc, () => {
    const byTable = new Map<string, CheckResult[]>();
    for (const r of run.results) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
    for (const [table, results] of byTable) {
      ctx.out.line(`${table}`);
      ctx.out.table(results.map((r) => [`  ${MARK[r.status]}`, r.name, detail(r)]));
      for (const r of results) {
        if (!r.sample?.length) continue;
        ctx.out.line(`  ${r.name} — failing rows (sample):`);
        const cols = Object.keys(r.sample[0] ?? {});
        ctx.out.table([
          cols.map((c) => `    ${c}`).map((c, i) => (i === 0 ? c : c.trim())),
          ...r.sample.map((row) =>
            cols.map((c, i) => {
              const v = row[c];
              const text =
                v === null || v === undefined
                  ? 'NULL'
                  : typeof v === 'string'
                    ? v
                    : JSON.stringify(v);
              return i === 0 ? `    ${text}` : text;
            }),
          ),
        ]);
      }
    }
    const s = run.summary;
    ctx.out.line(
      `${run.results.length} check(s) at ${run.ref}: ${s.pass} passed, ${s.warn} warned, ${s.fail} failed, ${s.error} errored (${run.queries} queries, ${Math.round(run.durationMs)} ms)`,
    );
    if (html !== undefined) ctx.out.note(`data docs written to ${html}`);
  });
}
