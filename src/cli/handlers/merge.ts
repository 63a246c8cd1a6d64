// `sluice merge SOURCE [-b DEST]` (or `--into DEST`): three-way merge; fast-forwards when it can.
// Conflicts exit 2 and list the paths (printed by errors.ts from MergeConflictError's data). The
// merge goes through the destination's gate and is recorded as a `merge` event (gatedMerge); the
// remote command prints the server's answer with the same printer.
import type { MergeStrategy } from '../../index.js';
import { errorLine, type MergeOutcomeJson, mergeJson } from '../../internal.js';
import { gatedMerge } from '../../workflow/index.js';
import { destinationBranch, oneOf } from '../options.js';
import type { Output } from '../output.js';
import { shortId } from '../output.js';
import type { CommandContext } from '../runner.js';
import { terminalText } from '../terminal-text.js';

export const STRATEGIES: readonly MergeStrategy[] = ['fail', 'source-wins', 'dest-wins'];

export interface MergeCliOptions {
  branch?: string;
  into?: string;
  strategy?: string;
  message?: string;
  ff: boolean;
  force?: boolean;
}

/** Prints a merge's document: itself under --json, else what the gate and the merge did. */
export function printMerge(out: Output, doc: MergeOutcomeJson, strategy: string): void {
  const m = doc.merge;
  out.result(doc, () => {
    const gate = m.gate;
    if (gate) {
      const s = gate.checks;
      out.note(
        `gate ${m.destination}: ${s ? `${s.pass} check(s) passed, ${s.warn} warned` : 'no checks for the changed tables'}` +
          `${gate.webhooks.length ? `, ${gate.webhooks.length} webhook(s) agreed` : ''}` +
          `${gate.forced ? ' — FORCED past failures (recorded in the commit)' : ''}`,
      );
    }
    if (m.upToDate) out.note(`already up to date: ${m.destination} contains ${m.source}`);
    else if (m.fastForward && m.commit)
      out.note(`fast-forward ${m.destination} to ${shortId(m.commit.id)}`);
    else if (m.commit) {
      out.note(
        `merged ${m.source} into ${m.destination}: commit ${shortId(m.commit.id)} (${m.applied} path(s) from ${m.source})`,
      );
    }
    for (const c of m.resolved) {
      out.note(
        `  resolved ${c.path} (${strategy}: source ${c.source}, destination ${c.destination})`,
      );
    }
  });
}

export async function run(
  ctx: CommandContext,
  source: string,
  opts: MergeCliOptions,
): Promise<number> {
  const strategy = oneOf(opts.strategy, STRATEGIES, '--strategy');
  const repo = await ctx.repo();
  const into = await ctx.branch(destinationBranch(opts));
  const { result, gate, event } = await gatedMerge(repo, source, into, {
    strategy,
    message: opts.message,
    noFastForward: !opts.ff,
    force: opts.force === true,
    onEventError: (err) =>
      ctx.io.stderr.write(
        `warning: ${terminalText(`the merge event was not recorded: ${errorLine(err)}`)}\n`,
      ),
  });
  printMerge(
    ctx.out,
    { merge: mergeJson(source, into, result, gate), event: event?.id ?? null },
    strategy ?? 'fail',
  );
  return 0;
}
