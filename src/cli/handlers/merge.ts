// `sluice merge SOURCE [-b DEST]` (or `--into DEST`): three-way merge; fast-forwards when it can. Conflicts exit 2
// and list the paths (printed by errors.ts from MergeConflictError's data). Each merge tried is a
// `merge` event (../events.ts): success, skipped (already up to date), failure (a gate refused it,
// or conflicts) or error (anything else it threw).
import {
  type CheckRun,
  GateFailedError,
  MergeConflictError,
  type MergeResult,
  type MergeStrategy,
  type Repository,
} from '../../index.js';
import { errorLine } from '../../internal.js';
import { type GateReport, gatesOf } from '../../quality/index.js';
import type { MergeEvent } from '../../workflow/index.js';
import { withEvent } from '../events.js';
import { destinationBranch, oneOf } from '../options.js';
import { commitJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

const STRATEGIES: readonly MergeStrategy[] = ['fail', 'source-wins', 'dest-wins'];

interface MergeCliOptions {
  branch?: string;
  into?: string;
  strategy?: string;
  message?: string;
  ff: boolean;
  force?: boolean;
}

/** Names of the checks of a run that did not pass (what a gate refuses on). */
const failedNames = (run: CheckRun | undefined): string[] =>
  (run?.results ?? [])
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => r.name);

/** The event of a merge that returned: landed (success) or already up to date (skipped). */
async function mergeEvent(
  repo: Repository,
  names: Pick<MergeEvent, 'source' | 'destination' | 'sourceCommit'>,
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
function mergeErrorEvent(
  names: Pick<MergeEvent, 'source' | 'destination' | 'sourceCommit'>,
  err: unknown,
  startedAt: number,
): MergeEvent {
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

export async function run(
  ctx: CommandContext,
  source: string,
  opts: MergeCliOptions,
): Promise<number> {
  const strategy = oneOf(opts.strategy, STRATEGIES, '--strategy');
  const repo = await ctx.repo();
  const into = await ctx.branch(destinationBranch(opts));
  const mergeOpts = { strategy, message: opts.message, noFastForward: !opts.ff };
  // A protected destination is merged through its gate (sluice.yml): checks first.
  const gates = gatesOf(repo);
  const startedAt = Date.now();
  // What the source named as the merge began: the event keeps it even if it moves later.
  // An unknown source leaves it out; the merge itself then says what is wrong.
  const sourceCommit = await repo.resolve(source).then(
    (s) => s.commit as string,
    () => undefined,
  );
  const names = { source, destination: into, ...(sourceCommit ? { sourceCommit } : {}) };
  const {
    value: { result: r, gate },
    event,
  } = await withEvent(
    ctx,
    repo,
    'merge',
    async (): Promise<{ result: MergeResult; gate?: GateReport }> =>
      gates
        ? await gates.merge(source, into, { ...mergeOpts, force: opts.force === true })
        : { result: await repo.merge(source, into, mergeOpts) },
    {
      done: ({ result, gate }) => mergeEvent(repo, names, result, gate, startedAt),
      failed: (err) => mergeErrorEvent(names, err, startedAt),
    },
  );
  const doc = {
    merge: {
      source,
      destination: into,
      base: r.base,
      upToDate: r.upToDate,
      fastForward: r.fastForward,
      applied: r.applied,
      resolved: r.resolved,
      commit: r.commit ? commitJson(r.commit) : null,
      ...(gate
        ? {
            gate: {
              changedTables: gate.changedTables,
              checks: gate.checks?.summary ?? null,
              webhooks: gate.webhooks,
              forced: gate.forced,
            },
          }
        : {}),
    },
    event: event?.id ?? null,
  };
  ctx.out.result(doc, () => {
    if (gate) {
      const s = gate.checks?.summary;
      ctx.out.note(
        `gate ${into}: ${s ? `${s.pass} check(s) passed, ${s.warn} warned` : 'no checks for the changed tables'}` +
          `${gate.webhooks.length ? `, ${gate.webhooks.length} webhook(s) agreed` : ''}` +
          `${gate.forced ? ' — FORCED past failures (recorded in the commit)' : ''}`,
      );
    }
    if (r.upToDate) ctx.out.note(`already up to date: ${into} contains ${source}`);
    else if (r.fastForward && r.commit)
      ctx.out.note(`fast-forward ${into} to ${shortId(r.commit.id)}`);
    else if (r.commit) {
      ctx.out.note(
        `merged ${source} into ${into}: commit ${shortId(r.commit.id)} (${r.applied} path(s) from ${source})`,
      );
    }
    for (const c of r.resolved) {
      ctx.out.note(
        `  resolved ${c.path} (${strategy}: source ${c.source}, destination ${c.destination})`,
      );
    }
  });
  return 0;
}
